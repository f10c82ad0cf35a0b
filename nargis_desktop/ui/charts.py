"""QtCharts cards for the Insights view: a titled frame with a chart, or "No data yet" when it has none.

Charts draw on a transparent background with the palette's text colour, so one set of series
colours serves the light and the dark theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QAction, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

BLUE, AMBER, GREEN, PURPLE = QColor("#3b82f6"), QColor("#f59e0b"), QColor("#2da44e"), QColor("#a855f7")
NO_DATA = "No data yet"


class ChartCard(QFrame):
    """A titled card; `body` shows the chart (or any widget) and `empty` says there is nothing yet."""

    def __init__(self, title: str, body: QWidget, export: bool = True) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setStyleSheet("QFrame#card { border: 1px solid palette(midlight); border-radius: 8px; }")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        self.header = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: 600; border: none")
        self.header.addWidget(self.title)
        self.header.addStretch(1)
        outer.addLayout(self.header)
        self.stack = QStackedLayout()
        self.body = body
        self.empty = QLabel(NO_DATA)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid); font-size: 12pt; border: none")
        self.stack.addWidget(body)
        self.stack.addWidget(self.empty)
        outer.addLayout(self.stack, 1)
        if export:
            action = QAction("Export this chart as PNG…", self)
            action.triggered.connect(self._export)
            self.addAction(action)
            self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def show_data(self, has_data: bool, empty_text: str = NO_DATA) -> None:
        self.empty.setText(empty_text)
        self.stack.setCurrentWidget(self.body if has_data else self.empty)

    @property
    def has_data(self) -> bool:
        return self.stack.currentWidget() is self.body

    def export_png(self, path: Path) -> bool:
        return self.grab().save(str(path), "PNG")

    def _export(self) -> None:
        path = ask_png_path(self, self.title.text())
        if path is not None:
            self.export_png(path)


def ask_png_path(parent: QWidget, what: str) -> Path | None:
    """Where to save a PNG of `what`, asked in a save dialog (None when cancelled)."""
    suggested = Path.home() / f"nargis-{what.lower().replace(' ', '-')}.png"
    chosen, _filter = QFileDialog.getSaveFileName(parent, f"Export {what}", str(suggested), "PNG images (*.png)")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".png" else path.with_suffix(".png")


class Chart(QChartView):
    """A chart view whose chart is emptied and filled again on each read."""

    def __init__(self) -> None:
        super().__init__()
        self.chart_ = QChart()
        self.chart_.setBackgroundVisible(False)
        self.chart_.setMargins(QMargins(0, 0, 0, 0))
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setStyleSheet("background: transparent; border: none")
        self.setMinimumHeight(190)

    def clear(self) -> None:
        self.chart_.removeAllSeries()
        for axis in self.chart_.axes():
            self.chart_.removeAxis(axis)
            axis.deleteLater()

    def styled(self, axis: QAbstractAxis) -> QAbstractAxis:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(40)
        axis.setLabelsColor(text)
        axis.setLinePen(QPen(grid))
        axis.setGridLinePen(QPen(grid, 1, Qt.PenStyle.DotLine))
        self.chart_.legend().setLabelColor(text)
        return axis

    def attach(self, series: QLineSeries | QBarSeries, x: QAbstractAxis, y: QAbstractAxis) -> None:
        self.chart_.addSeries(series)
        for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
            if axis not in self.chart_.axes():
                self.chart_.addAxis(self.styled(axis), side)
            series.attachAxis(axis)


def value_axis(low: float, high: float, every: float, label_format: str = "%d") -> QValueAxis:
    """A y axis from `low` to `high` with a tick on each multiple of `every` inside it.

    A little room past the outer ticks keeps a point or a line on them from being cut in half.
    """
    axis = QValueAxis()
    axis.setRange(low, high)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(every)
    axis.setLabelFormat(label_format)
    return axis


def labelled_axis(low: float, high: float, labels: Mapping[float, str]) -> QCategoryAxis:
    """An x axis from `low` to `high` with a label (and grid line) at each given value only.

    (As a y axis, Qt elides labels whose span is not much taller than the text.)
    """
    axis = QCategoryAxis()
    axis.setRange(low, high)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for value, label in sorted(labels.items()):
        axis.append(label, value)
    axis.setStartValue(min(labels))  # from `low`, the first label's span is too short to show it
    return axis


def date_axis(first_ms: int, last_ms: int) -> QDateTimeAxis:
    axis = QDateTimeAxis()
    axis.setFormat("d MMM")
    axis.setRange(QDateTime.fromMSecsSinceEpoch(first_ms), QDateTime.fromMSecsSinceEpoch(last_ms))
    axis.setTickCount(5)
    return axis


def line(name: str, colour: QColor, points: Sequence[tuple[float, float]], width: float = 2.0) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    series.setPen(QPen(colour, width))
    for x, y in points:
        series.append(x, y)
    return series


def bars(name: str, colour: QColor, values: Sequence[float]) -> tuple[QBarSeries, QBarSet]:
    bar_set = QBarSet(name)
    bar_set.setColor(colour)
    bar_set.setBorderColor(colour)
    bar_set.append(list(values))
    series = QBarSeries()
    series.append(bar_set)
    series.setBarWidth(0.7)
    return series, bar_set
