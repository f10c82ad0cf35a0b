"""The Insights view: key numbers, a habit's streak calendar and completion rates, tasks per week, mood.

All of it is read in one go on the store worker (`services.insight_series.insights_view`); the
whole view, or one chart (right-click), exports as a PNG.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QCategoryAxis
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nargis_desktop.app import Profile
from nargis_desktop.services.insight_series import HabitChart, InsightsView, insights_view
from nargis_desktop.ui.background import StoreWorker
from nargis_desktop.ui.charts import (
    AMBER,
    BLUE,
    GREEN,
    PURPLE,
    Chart,
    ChartCard,
    ask_png_path,
    bars,
    date_axis,
    labelled_axis,
    line,
    value_axis,
)
from nargis_desktop.ui.heat_map import HeatMap
from nargis_desktop.ui.pages import ITEM_ID, Clock, Page, heading

NUMBERS = {
    "tasks_done": "Tasks done, 7 days",
    "on_time": "On time",
    "overdue": "Overdue now",
    "busiest_hour": "Busiest hour",
    "best_habit": "Best habit",
}


class InsightsPage(Page):
    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        self.view: InsightsView | None = None
        self.layout_.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        scroll.setWidget(self.content)
        self.layout_.addWidget(scroll)
        column = QVBoxLayout(self.content)
        top = QHBoxLayout()
        top.addWidget(heading("Insights"))
        top.addStretch(1)
        self.exported = QLabel("")
        self.exported.setStyleSheet("color: palette(mid)")
        top.addWidget(self.exported)
        self.export = QPushButton("Export PNG…")
        self.export.setToolTip("Save the whole view as a PNG image (right-click a chart for that chart alone)")
        self.export.clicked.connect(self._export)
        top.addWidget(self.export)
        column.addLayout(top)
        column.addLayout(self._numbers())
        grid = QGridLayout()
        grid.setSpacing(10)
        self.habit = QComboBox()
        self.habit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # "Drink water", not "Drink wa"
        self.habit.currentIndexChanged.connect(self._show_habit)
        self.heat_map = HeatMap()
        self.habit_summary = QLabel("")
        self.habit_summary.setStyleSheet("border: none")
        calendar = QWidget()
        stacked = QVBoxLayout(calendar)
        stacked.setContentsMargins(0, 6, 0, 0)
        stacked.addWidget(self.heat_map)
        stacked.addWidget(self.habit_summary)
        stacked.addStretch(1)
        self.calendar_card = ChartCard("Streak calendar, 26 weeks", calendar)
        self.calendar_card.header.addWidget(self.habit)
        self.rates = Chart()
        self.rates_card = ChartCard("Completion rate, 12 weeks", self.rates)
        self.tasks = Chart()
        self.tasks_card = ChartCard("Tasks done per week", self.tasks)
        self.mood = Chart()
        self.mood_card = ChartCard("Mood per week", self.mood)
        for index, card in enumerate((self.calendar_card, self.rates_card, self.tasks_card, self.mood_card)):
            grid.addWidget(card, index // 2, index % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid, 1)
        self.week_counts: tuple[int, ...] = ()
        self._charts_to_fill: list[Callable[[], None]] = []
        self._fill_round = 0

    def _numbers(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.numbers: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key, caption in NUMBERS.items():
            card = QFrame()
            card.setObjectName("card")
            card.setStyleSheet("QFrame#card { border: 1px solid palette(midlight); border-radius: 8px; }")
            inside = QVBoxLayout(card)
            inside.setContentsMargins(12, 6, 12, 6)
            value = QLabel("—")
            value.setStyleSheet("font-size: 16pt; font-weight: 600; border: none")
            words = QLabel(caption)
            words.setStyleSheet("color: palette(mid); border: none")
            inside.addWidget(value)
            inside.addWidget(words)
            self.numbers[key], self.captions[key] = value, words
            row.addWidget(card, 1)
        return row

    def reader(self) -> Callable[[], Any]:
        now, data = self.clock(), self.profile.data
        return lambda: insights_view(data, now)

    def fill(self, view: Any) -> None:
        assert isinstance(view, InsightsView)
        self.view = view
        self._fill_numbers(view)
        chosen = self.habit.currentData(ITEM_ID)
        self.habit.blockSignals(True)
        self.habit.clear()
        for habit in view.habits:
            self.habit.addItem(habit.name, habit.habit_id)  # the id as ITEM_ID (Qt's UserRole)
        ids = [h.habit_id for h in view.habits]
        self.habit.setCurrentIndex(ids.index(chosen) if chosen in ids else 0 if ids else -1)
        self.habit.setVisible(bool(ids))
        self.habit.blockSignals(False)
        self._show_habit()
        # One chart per turn of the event loop: each part is short, and the window repaints between.
        self._charts_to_fill = [lambda: self._fill_tasks(view), lambda: self._fill_mood(view)]
        self._fill_round += 1
        fill_round = self._fill_round
        QTimer.singleShot(0, lambda: self._fill_next_chart(fill_round))

    @property
    def loading(self) -> bool:
        return super().loading or bool(self._charts_to_fill)

    def _fill_next_chart(self, fill_round: int) -> None:
        if fill_round != self._fill_round or not self._charts_to_fill:
            return  # a newer read is being shown
        self._charts_to_fill.pop(0)()
        if self._charts_to_fill:
            QTimer.singleShot(0, lambda: self._fill_next_chart(fill_round))
        else:
            self.loaded.emit()  # every chart shows the latest read

    def _fill_numbers(self, view: InsightsView) -> None:
        tasks = view.tasks
        on_time, hour, best = tasks["on_time_rate"], tasks["busiest_hour"], view.best_habit
        self.numbers["tasks_done"].setText(str(tasks["completed_last_7_days"]))
        self.numbers["on_time"].setText("—" if on_time is None else f"{on_time:.0%}")
        self.numbers["overdue"].setText(str(tasks["overdue_now"]))
        self.numbers["busiest_hour"].setText("—" if hour is None else f"{hour:02d}:00")
        self.numbers["best_habit"].setText("—" if best is None else f"{best.score:.0%}")
        self.captions["best_habit"].setText(NUMBERS["best_habit"] + ("" if best is None else f" · {best.name}"))
        self.numbers["best_habit"].setToolTip(
            "" if best is None else f"{best.name}: its habit score (as Loop counts it)"
        )

    def selected_habit(self) -> HabitChart | None:
        if self.view is None:
            return None
        chosen = self.habit.currentData(ITEM_ID)
        return next((h for h in self.view.habits if h.habit_id == chosen), None)

    def _show_habit(self) -> None:
        habit = self.selected_habit()
        self.calendar_card.show_data(habit is not None, "No data yet — add a habit and check in")
        self.habit_summary.setVisible(habit is not None)
        self.rates.clear()
        if habit is None:
            self.heat_map.show_days({})
            self.rates_card.show_data(False)
            return
        self.heat_map.show_days(habit.calendar)
        unit = habit.streak_unit if habit.streak_unit.endswith("s") else f"{habit.streak_unit}s"
        self.habit_summary.setText(
            f"Streak {habit.streak_current} {unit}, best {habit.streak_best} · score {habit.score:.0%}"
        )
        series = habit.rates
        checked = any(state == "done" for state in habit.calendar.values())
        self.rates_card.show_data(bool(series.days) and checked, "No data yet — no check-ins")
        if not series.days:
            return
        x = date_axis(_ms(series.days[0]), _ms(series.days[-1]))
        y = value_axis(-4, 104, 25, "%d%%")
        for window, colour in zip(sorted(series.rates), (AMBER, BLUE), strict=False):
            points = [(_ms(d), 100 * r) for d, r in zip(series.days, series.rates[window], strict=True)]
            self.rates.attach(line(f"{window}-day rate", colour, points), x, y)

    def _fill_tasks(self, view: InsightsView) -> None:
        self.tasks.clear()
        counts = tuple(int(c) for c in view.tasks["completed_per_week"])
        self.week_counts = counts
        self.tasks_card.show_data(any(counts), "No data yet — tick off a task")
        if not any(counts):
            return
        series, _set = bars("Tasks done", GREEN, counts)
        series.setLabelsVisible(True)
        series.setLabelsPosition(series.LabelsPosition.LabelsInsideEnd)
        top, step = _nice_top(max(counts))
        counts_axis = value_axis(0, top, step)
        self.tasks.attach(series, _week_axis(view), counts_axis)
        self.tasks.chart_.legend().setVisible(False)

    def _fill_mood(self, view: InsightsView) -> None:
        self.mood.clear()
        moods, sentiments = view.mood_per_week, view.sentiment_per_week
        has_data = any(m is not None for m in moods) or any(s is not None for s in sentiments)
        self.mood_card.show_data(has_data, "No data yet — write in the journal")
        if not has_data:
            return
        weeks = _week_axis(view)
        mood_axis = value_axis(0.7, 5.3, 1)
        mood_points = [(i, m) for i, m in enumerate(moods) if m is not None]
        mood_line = line("Mood (1–5)", PURPLE, mood_points, 2.5)
        self.mood.attach(mood_line, weeks, mood_axis)
        feeling = line("Tone (−1 sad … +1 glad)", AMBER, [(i, s) for i, s in enumerate(sentiments) if s is not None])
        tone_axis = value_axis(-1.15, 1.15, 0.5, "%.1f")
        self.mood.chart_.addSeries(feeling)
        self.mood.chart_.addAxis(self.mood.styled(tone_axis), Qt.AlignmentFlag.AlignRight)
        feeling.attachAxis(weeks)
        feeling.attachAxis(tone_axis)
        for series in (mood_line, feeling):
            series.setPointsVisible(True)  # a week on its own, between gaps, still shows
        tone_axis.setGridLineVisible(False)

    def export_png(self, path: Path) -> bool:
        """The whole view, scrolled-away parts too, as a PNG."""
        return self.content.grab().save(str(path), "PNG")

    def _export(self) -> None:
        path = ask_png_path(self, "Insights")
        if path is None:
            return
        self.exported.setText(f"Saved {path.name}" if self.export_png(path) else f"Could not write {path}")


def _ms(day: date) -> int:
    return int(datetime.combine(day, time(12)).timestamp() * 1000)


def _week_axis(view: InsightsView) -> QCategoryAxis:
    """Weeks 0..11 (bars and points sit on the index), the Monday named on every third, this week last."""
    last = len(view.week_starts) - 1
    labels: dict[float, str] = {i: f"{d.day} {d:%b}" for i, d in enumerate(view.week_starts) if (last - i) % 3 == 0}
    return labelled_axis(-0.5, last + 0.5, labels)


def _nice_top(highest: int) -> tuple[int, int]:
    """The y range's top, a step above the tallest bar so its label fits, and a round step between labels."""
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if highest / s <= 5), 1000)
    return (highest // step + 1) * step, step
