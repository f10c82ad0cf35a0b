"""The Insights view, offscreen with pytest-qt: seeded habits, tasks and journal fill its charts."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.services.personal_data import PersonalData
from tests.moments import NOW

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = NOW.date()
THIS_MONDAY = TODAY - timedelta(days=TODAY.weekday())
TASKS_PER_WEEKS_AGO = {0: 2, 1: 3, 3: 1, 8: 4}
MEDITATED = {TODAY - timedelta(days=n) for n in (*range(1, 15), 20, 21, 40, 41, 42, 43, 60, 100, 150)}


def seed(data: PersonalData, now: datetime = NOW) -> None:
    """Weeks of a daily habit, a weekday one, tasks done in known weeks, journal entries with moods."""
    today = now.date()
    monday = today - timedelta(days=today.weekday())
    meditate = data.add_habit("Meditate", now - timedelta(days=170), start=today - timedelta(days=170))
    for day in sorted(MEDITATED):
        data.check_in(meditate, day, now)
    walk = data.add_habit("Walk", now - timedelta(days=60), schedule="weekdays", start=today - timedelta(days=60))
    for n in range(1, 60):
        day = today - timedelta(days=n)
        if day.weekday() < 5 and n % 4:
            data.check_in(walk, day, now)
    for weeks_ago, count in TASKS_PER_WEEKS_AGO.items():
        for n in range(count):
            done_at = datetime.combine(monday - timedelta(weeks=weeks_ago), datetime.min.time()) + timedelta(
                hours=9 + n
            )
            task = data.add_task(f"Task {weeks_ago}-{n}", done_at - timedelta(days=2), due=done_at.date())
            data.complete_task(task, done_at)
    data.add_task("Overdue report", now - timedelta(days=5), due=today - timedelta(days=2))
    moods = {0: (5, "A wonderful, happy day with friends."), 1: (2, "Tired and sad, a rough week."), 4: (4, "Calm.")}
    for weeks_ago, (mood, text) in moods.items():
        data.add_journal(text, datetime.combine(monday - timedelta(weeks=weeks_ago), datetime.min.time()), mood=mood)


@pytest.fixture
def profile(paths: ProfilePaths) -> Any:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    yield opened
    opened.close()


def insights_window(profile: Profile, qtbot: Any) -> Any:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    qtbot.addWidget(window)
    window.select("insights")
    page = window.pages["insights"]
    qtbot.waitUntil(lambda: page.view is not None and not page.loading, timeout=15000)
    return window, page


def test_the_view_shows_the_habit_calendar_rates_weekly_tasks_and_mood(profile: Profile, qtbot: Any) -> None:
    seed(profile.data)
    window, page = insights_window(profile, qtbot)
    assert window.stack.currentWidget() is page
    assert page.numbers["tasks_done"].text() == "2"  # this Monday's two; last week's are 9+ days ago
    assert page.numbers["overdue"].text() == "1"
    assert page.numbers["on_time"].text() == "100%"
    assert page.numbers["busiest_hour"].text() == "09:00"
    assert [page.habit.itemText(i) for i in range(page.habit.count())] == ["Meditate", "Walk"]
    assert page.selected_habit().name == "Meditate"
    shown = page.heat_map.states
    assert len(shown) == 26 * 7
    assert page.heat_map.done_days() == {d for d in MEDITATED if d >= min(shown)}
    assert shown[TODAY - timedelta(days=16)] == "missed" and shown[TODAY] == "future"
    page.heat_map.resize(420, 160)
    for day in (min(shown), TODAY - timedelta(days=1), max(shown)):  # the tooltip names the cell's day
        assert page.heat_map.day_at(page.heat_map.cell_rect(day).center()) == day
    assert page.rates_card.has_data and len(page.rates.chart_.series()) == 2
    seven_day = page.rates.chart_.series()[0]
    assert seven_day.count() == 84 and seven_day.at(seven_day.count() - 1).y() == 100.0

    page.habit.setCurrentIndex(1)  # the weekday habit: weekends are never misses
    walk = page.heat_map.states
    assert all(walk[d] != "missed" for d in walk if d.weekday() >= 5)
    assert any(state == "missed" for state in walk.values())

    expected = [TASKS_PER_WEEKS_AGO.get(w, 0) for w in range(11, -1, -1)]
    assert page.week_counts == tuple(expected)
    bar_set = page.tasks.chart_.series()[0].barSets()[0]
    assert [bar_set.at(i) for i in range(bar_set.count())] == expected

    mood, tone = page.mood.chart_.series()
    assert [(int(p.x()), p.y()) for p in mood.points()] == [(7, 4.0), (10, 2.0), (11, 5.0)]
    tones = {int(p.x()): p.y() for p in tone.points()}
    assert tones[11] > 0.3 and tones[10] < 0  # VADER: the happy week reads glad, the rough one sad


def test_an_empty_profile_says_no_data_yet_everywhere(profile: Profile, qtbot: Any) -> None:
    _window, page = insights_window(profile, qtbot)
    for card in (page.calendar_card, page.rates_card, page.tasks_card, page.mood_card):
        assert not card.has_data
        assert card.empty.text().startswith("No data yet")
    assert page.numbers["on_time"].text() == "—" and page.numbers["best_habit"].text() == "—"
    assert page.numbers["tasks_done"].text() == "0"
    assert not page.habit.isVisible()


def test_the_view_and_a_chart_export_as_png(profile: Profile, qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    seed(profile.data)
    _window, page = insights_window(profile, qtbot)
    whole, chart = tmp_path / "insights.png", tmp_path / "tasks.png"
    assert page.export_png(whole) and page.tasks_card.export_png(chart)
    for path, min_width in ((whole, 600), (chart, 200)):
        image = QImage(str(path))
        assert image.width() >= min_width
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 5, path
    image = QImage(str(chart))
    green = [image.pixelColor(x, y) for x in range(image.width()) for y in range(0, image.height(), 3)]
    assert any(c.green() > 140 and c.red() < 90 and c.blue() < 110 for c in green)  # the bars were drawn


def test_the_view_sits_between_journal_and_conversation_and_keeps_ctrl_shortcuts(profile: Profile, qtbot: Any) -> None:
    from PySide6.QtGui import QShortcut

    from nargis_desktop.ui.main_window import VIEWS

    assert VIEWS.index("insights") == VIEWS.index("journal") + 1 == VIEWS.index("conversation") - 1
    window, page = insights_window(profile, qtbot)
    shortcuts = {s.key().toString(): s for s in window.findChildren(QShortcut)}
    assert {f"Ctrl+{n}" for n in range(1, len(VIEWS) + 1)} <= set(shortcuts)
    shortcuts["Ctrl+7"].activated.emit()
    assert window.stack.currentWidget() is window.pages["settings"]
    shortcuts["Ctrl+5"].activated.emit()
    assert window.stack.currentWidget() is page


def test_the_screenshot_waits_for_a_slow_read_without_spinning(
    profile: Profile, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`nargis app --screenshot` waits for the view's read; PySide6 6.12's processEvents() drops a
    reference to None per call, so a busy loop over a slow read (Insights) aborted Python."""
    import sys
    import threading

    from PySide6.QtCore import QTimer

    from nargis_desktop.ui.application import _wait_until_shown

    window, page = insights_window(profile, qtbot)
    release = threading.Event()
    quick_reader = page.reader

    def slow_reader() -> Any:
        read = quick_reader()
        return lambda: release.wait(5) and read()

    monkeypatch.setattr(page, "reader", slow_reader)
    page.refresh()
    QTimer.singleShot(400, release.set)
    before = sys.getrefcount(None)
    _wait_until_shown(window, "insights")
    assert not page.loading and page.view is not None
    assert before - sys.getrefcount(None) < 200
