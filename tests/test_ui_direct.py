"""Direct manipulation in the window, offscreen with pytest-qt: every change by hand lands in the
store, shows in the toast, and Undo (the assistant's undo) takes it back."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from tests.moments import NOW

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = NOW.date()


@pytest.fixture
def profile(paths: ProfilePaths) -> Any:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    opened.data.add_task("Call mom", NOW, due=TODAY)
    opened.data.add_task("File taxes", NOW - timedelta(days=9), due=TODAY - timedelta(days=3))
    opened.data.add_task("Later", NOW, due=date(2026, 12, 25), recurrence="FREQ=WEEKLY")
    opened.data.add_habit("Meditate", NOW - timedelta(days=30), start=TODAY - timedelta(days=30))
    yield opened
    opened.close()


def window_for(profile: Profile, qtbot: Any, view: str = "today") -> Any:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    qtbot.addWidget(window)
    window.select(view)
    settle(window, qtbot)
    return window


def settle(window: Any, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: not window.stack.currentWidget().loading, timeout=5000)


def titles(table: Any) -> list[str]:
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def row_of(table: Any, title: str) -> int:
    return titles(table).index(title)


def undo_and_wait(window: Any, qtbot: Any, done: Any) -> None:
    assert window.features.toast.undo.isVisibleTo(window.features.toast)
    window.features.toast.undo.click()
    qtbot.waitUntil(done, timeout=5000)


def task_named(profile: Profile, title: str) -> Any:
    return next(t for t in profile.store.tasks.list() if t.title == title)


def test_quick_add_previews_the_parsed_date_and_repeat_and_adds_the_task(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot, "tasks")
    tasks = window.pages["tasks"]
    tasks.quick.setText("Pay rent tomorrow at 5 every month !high")
    assert tasks.preview.text() == "Will add: Pay rent · tomorrow at 5 PM · repeats every month · high priority"
    tasks.quick.returnPressed.emit()
    qtbot.waitUntil(lambda: "Pay rent" in titles(tasks.table), timeout=5000)
    rent = task_named(profile, "Pay rent")
    assert rent.due == datetime(2026, 11, 26, 17, 0) and rent.recurrence == "FREQ=MONTHLY"
    assert rent.priority.value == "high"
    assert window.features.toast.message.text().startswith("Added Pay rent, tomorrow at 5 PM")
    undo_and_wait(window, qtbot, lambda: "Pay rent" not in titles(tasks.table))
    assert "Pay rent" not in [t.title for t in profile.data.tasks()]


def test_ticking_a_task_completes_it_shows_a_toast_and_undo_reopens_it(profile: Profile, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    window = window_for(profile, qtbot, "tasks")
    table = window.pages["tasks"].table
    table.item(row_of(table, "Call mom"), 0).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: "Call mom" not in titles(table), timeout=5000)
    assert task_named(profile, "Call mom").done
    assert window.features.toast.message.text() == "Done: Call mom"
    undo_and_wait(window, qtbot, lambda: "Call mom" in titles(table))
    assert not task_named(profile, "Call mom").done
    assert not profile.store.completions.list()  # the completion went with the undo


def test_deleting_a_task_and_undo_brings_it_back(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot, "tasks")
    tasks = window.pages["tasks"]
    tasks.table.selectRow(row_of(tasks.table, "Call mom"))
    tasks.delete_button.click()
    qtbot.waitUntil(lambda: "Call mom" not in titles(tasks.table), timeout=5000)
    assert "Call mom" not in [t.title for t in profile.data.tasks()]
    undo_and_wait(window, qtbot, lambda: "Call mom" in titles(tasks.table))
    assert "Call mom" in [t.title for t in profile.data.tasks()]


def test_rescheduling_by_quick_choice_and_by_date_and_setting_priority(profile: Profile, qtbot: Any) -> None:
    from nargis_desktop.domain.tasks import Priority

    window = window_for(profile, qtbot, "tasks")
    tasks = window.pages["tasks"]
    call = task_named(profile, "Call mom").id
    tasks._reschedule_by(call, 1)
    qtbot.waitUntil(lambda: window.features.toast.message.text() == "Call mom: due tomorrow", timeout=5000)
    assert task_named(profile, "Call mom").due == TODAY + timedelta(days=1)
    tasks._reschedule_by(call, 7)  # next week: its Monday
    qtbot.waitUntil(lambda: task_named(profile, "Call mom").due == date(2026, 11, 30), timeout=5000)
    tasks.reschedule(call, date(2027, 1, 4))
    qtbot.waitUntil(lambda: task_named(profile, "Call mom").due == date(2027, 1, 4), timeout=5000)
    tasks.set_priority(call, Priority.HIGH)
    qtbot.waitUntil(lambda: task_named(profile, "Call mom").priority is Priority.HIGH, timeout=5000)
    undo_and_wait(window, qtbot, lambda: task_named(profile, "Call mom").priority is Priority.NONE)
    assert task_named(profile, "Call mom").due == date(2027, 1, 4)  # only the last change was undone


def test_filters_and_search_and_overdue_is_marked(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot, "tasks")
    tasks = window.pages["tasks"]
    table = tasks.table
    assert table.item(row_of(table, "File taxes"), 1).text().startswith("Overdue · ")
    assert table.item(row_of(table, "Call mom"), 1).text() == "Today"
    tasks.filter_buttons["Overdue"].click()
    qtbot.waitUntil(lambda: titles(table) == ["File taxes"], timeout=5000)
    tasks.filter_buttons["Today"].click()
    qtbot.waitUntil(lambda: sorted(titles(table)) == ["Call mom", "File taxes"], timeout=5000)
    tasks.filter_buttons["Upcoming"].click()
    qtbot.waitUntil(lambda: titles(table) == ["Later"], timeout=5000)
    tasks.filter_buttons["Done"].click()
    qtbot.waitUntil(lambda: not tasks.loading and table.rowCount() == 0, timeout=5000)
    assert tasks.empty.isVisibleTo(tasks) and "No finished tasks" in tasks.empty.text()
    tasks.filter_buttons["All"].click()
    tasks.search.setText("tax")
    qtbot.waitUntil(lambda: titles(table) == ["File taxes"], timeout=5000)


def test_ctrl_n_and_ctrl_f_reach_quick_add_and_search(profile: Profile, qtbot: Any) -> None:
    from PySide6.QtGui import QShortcut
    from PySide6.QtWidgets import QLabel

    window = window_for(profile, qtbot)
    window.show()
    qtbot.waitExposed(window)
    shortcuts = {s.key().toString(): s for s in window.findChildren(QShortcut)}
    assert {"Ctrl+N", "Ctrl+F", "Ctrl+Z", "Ctrl+Q", "F1"} <= set(shortcuts)
    shortcuts["Ctrl+N"].activated.emit()
    tasks = window.pages["tasks"]
    assert window.stack.currentWidget() is tasks
    qtbot.waitUntil(tasks.quick.hasFocus, timeout=2000)
    shortcuts["Ctrl+F"].activated.emit()
    qtbot.waitUntil(tasks.search.hasFocus, timeout=2000)
    shortcuts["F1"].activated.emit()
    assert window.features.help is not None and "Ctrl+Z" in window.features.help.findChild(QLabel).text()


def test_clicking_a_past_day_in_the_habit_grid_checks_it_in_and_clicking_again_unchecks(
    profile: Profile, qtbot: Any
) -> None:
    window = window_for(profile, qtbot, "habits")
    habits = window.pages["habits"]
    meditate = profile.store.habits.list()[0]
    three_days_ago = TODAY - timedelta(days=3)
    column = habits.days.index(three_days_ago) + 1
    assert habits.grid.horizontalHeaderItem(len(habits.days)).text().startswith("Today")
    habits.grid.cellClicked.emit(0, column)
    qtbot.waitUntil(lambda: [c.day for c in profile.data.checkins(meditate)] == [three_days_ago], timeout=5000)
    qtbot.waitUntil(lambda: habits.grid.item(0, column).text() == "✓", timeout=5000)
    assert window.features.toast.message.text() == "Meditate: checked Sun 22 Nov"
    habits.grid.cellClicked.emit(0, column)
    qtbot.waitUntil(lambda: not profile.data.checkins(meditate), timeout=5000)
    undo_and_wait(window, qtbot, lambda: [c.day for c in profile.data.checkins(meditate)] == [three_days_ago])


def test_habits_are_added_edited_and_archived_in_place(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot, "habits")
    habits = window.pages["habits"]
    habits.add("Drink water", "weekdays")
    qtbot.waitUntil(lambda: habits.grid.rowCount() == 2, timeout=5000)
    water = next(h for h in profile.store.habits.list() if h.name == "Drink water")
    assert water.schedule.rule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert habits.grid.item(0, 0).text() == "Drink water\nevery weekday"
    assert habits.grid.item(1, len(habits.days) + 2).text().endswith("%")  # the score beside the habit
    habits.archive(water.id)
    qtbot.waitUntil(lambda: habits.grid.rowCount() == 1, timeout=5000)
    assert profile.store.habits.get(water.id).archived
    undo_and_wait(window, qtbot, lambda: habits.grid.rowCount() == 2)


def test_journal_new_entry_is_always_there_and_starts_a_second_entry(profile: Profile, qtbot: Any) -> None:
    first = profile.data.add_journal("A quiet morning by the river.", NOW - timedelta(days=1), mood=4)
    window = window_for(profile, qtbot, "journal")
    journal = window.pages["journal"]
    assert "4 good" in journal.entries.item(0).text()
    journal.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: journal.current_id == first.id, timeout=5000)
    assert journal.new_button.isVisibleTo(journal)
    journal.new_button.click()
    assert journal.editor.toPlainText() == "" and journal.current_id is None
    journal.mood.setCurrentIndex(5)
    journal.editor.setPlainText("Finished the book.")
    qtbot.waitUntil(lambda: profile.store.journal.count() == 2, timeout=5000)
    assert profile.store.journal.get(first.id).text == "A quiet morning by the river."
    new = next(e for e in profile.store.journal.list() if e.id != first.id)
    assert (new.text, new.mood) == ("Finished the book.", 5)


def test_a_journal_edit_too_large_to_keep_is_refused_in_words_and_the_entry_stays(profile: Profile, qtbot: Any) -> None:
    entry = profile.data.add_journal("A quiet morning by the river.", NOW - timedelta(days=1))
    window = window_for(profile, qtbot, "journal")
    journal = window.pages["journal"]
    journal.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: journal.current_id == entry.id, timeout=5000)
    journal.editor.setPlainText("the river again " * 40_000)  # 640 KB: over the 512 KB one item may hold
    toast = window.features.toast
    qtbot.waitUntil(lambda: "too large" in toast.message.text(), timeout=5000)
    assert toast.message.text().startswith("error: this journal entry is too large") and toast.property("error")
    assert "Traceback" not in toast.message.text() and "[" not in toast.message.text()  # no code, no trace
    assert profile.store.journal.get(entry.id).text == "A quiet morning by the river." and not journal.saved.text()


def test_reminders_are_added_edited_snoozed_and_done_by_hand(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot)
    today = window.pages["today"]
    today.add_reminder("Stretch", NOW + timedelta(hours=2))
    qtbot.waitUntil(lambda: len(profile.data.reminders()) == 1, timeout=5000)
    reminder = profile.data.reminders()[0]
    qtbot.waitUntil(lambda: "Stretch" in today.reminders.item(0).text(), timeout=5000)
    today.edit_reminder(reminder.id, "Stretch well", NOW + timedelta(hours=3))
    qtbot.waitUntil(lambda: profile.store.reminders.get(reminder.id).text == "Stretch well", timeout=5000)
    assert profile.store.reminders.get(reminder.id).at == NOW + timedelta(hours=3)
    today.snooze_reminder(reminder.id, 60)
    qtbot.waitUntil(lambda: profile.store.reminders.get(reminder.id).snoozed_until is not None, timeout=5000)
    today.complete_reminder(reminder.id)
    qtbot.waitUntil(lambda: profile.store.reminders.get(reminder.id).done, timeout=5000)
    undo_and_wait(window, qtbot, lambda: not profile.store.reminders.get(reminder.id).done)


def test_a_typed_command_shows_its_reply_in_the_window_with_undo(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot)
    window.command.setText("add pay rent today")
    window.type_command()
    toast = window.features.toast
    qtbot.waitUntil(lambda: toast.isVisibleTo(window) and "Pay rent" in toast.message.text(), timeout=10000)
    assert "Pay rent" in [t.title for t in profile.data.tasks()]
    undo_and_wait(window, qtbot, lambda: "undone" in toast.message.text())
    assert "Pay rent" not in [t.title for t in profile.data.tasks()]


def test_saying_undo_takes_back_a_change_made_by_hand(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot, "tasks")
    window.pages["tasks"].complete(task_named(profile, "Call mom").id)
    qtbot.waitUntil(lambda: task_named(profile, "Call mom").done, timeout=5000)
    window.command.setText("undo")
    window.type_command()
    qtbot.waitUntil(lambda: not task_named(profile, "Call mom").done, timeout=5000)


def test_closing_with_a_tray_hides_the_window_and_tells_once(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot)
    told: list[str] = []

    class Tray:
        def isVisible(self) -> bool:  # noqa: N802 - Qt's name
            return True

        def showMessage(self, title: str, _text: str) -> None:  # noqa: N802 - Qt's name
            told.append(title)

    window.tray = Tray()
    window.show()
    window.close()
    assert window.isHidden() and not window.store_worker.stopped  # still running: reminders keep coming
    window.show()
    window.close()
    assert told == ["Nargis is still running"]
    window.tray = None
    window.close()
    assert window.store_worker.stopped


def test_the_watchdog_logs_a_stall_of_the_main_thread(profile: Profile, qtbot: Any, caplog: Any) -> None:
    import time

    from PySide6.QtCore import QTimer

    window = window_for(profile, qtbot)
    watchdog = window.features.watchdog
    watchdog.reset()
    with caplog.at_level(logging.WARNING, logger="nargis_desktop.ui.watchdog"):
        QTimer.singleShot(0, lambda: time.sleep(0.4))  # the main thread held for 400 ms
        qtbot.waitUntil(lambda: bool(watchdog.stalls), timeout=5000)
    assert watchdog.stalls[0] > 250
    assert any("did not respond" in r.getMessage() for r in caplog.records)


def test_a_habit_schedule_the_words_do_not_say_is_refused_with_a_message(profile: Profile, qtbot: Any) -> None:
    from nargis_desktop.ui import hand_actions

    window = window_for(profile, qtbot, "habits")
    habits = window.pages["habits"]
    meditate = profile.store.habits.list()[0]
    habits.act(lambda: hand_actions.edit_habit(profile.data, meditate.id, NOW, "Meditate", "every blue moon"))
    toast = window.features.toast
    qtbot.waitUntil(lambda: toast.isVisibleTo(window) and bool(toast.property("error")), timeout=5000)
    assert "blue moon" in toast.message.text() and "Traceback" not in toast.message.text()
    assert profile.store.habits.get(meditate.id).schedule.rule == "FREQ=DAILY"  # nothing half-written


def test_journal_search_by_meaning_finds_a_paraphrase_and_bolds_the_words(profile: Profile, qtbot: Any) -> None:
    profile.data.add_journal("Walked the dog along the beach at sunset.", NOW - timedelta(days=3), mood=4)
    profile.data.add_journal("Spreadsheets all afternoon, the budget finally adds up.", NOW - timedelta(days=2))
    profile.data.add_journal("Baked bread with Sam; the crust came out dark.", NOW - timedelta(days=1))
    window = window_for(profile, qtbot, "journal")
    journal = window.pages["journal"]
    journal.search.setText("a stroll by the sea with my pet")
    journal.search.returnPressed.emit()
    qtbot.waitUntil(lambda: journal.found.text().endswith("nearest in meaning"), timeout=60000)
    assert "Walked the dog" in journal.entries.item(0).text() and "match" in journal.entries.item(0).text()
    journal.search.setText("bread")  # typing again: back to the words themselves
    qtbot.waitUntil(lambda: journal.entries.count() == 1 and not journal.found.text(), timeout=5000)
    assert journal.entries.item(0).font().bold()
