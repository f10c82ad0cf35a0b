"""Edits made by hand in the window go through the services, where a value the domain refuses
becomes the InputError a person reads (never a bare DomainError)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.errors import InputError
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from tests.moments import NOW


@pytest.fixture
def data(store: Store) -> Iterator[PersonalData]:
    yield PersonalData(store)


def test_a_journal_edit_keeps_the_old_text_and_sets_the_mood(data: PersonalData) -> None:
    entry = data.add_journal("A quiet morning.", NOW - timedelta(days=1))
    edited = data.edit_journal_entry(entry.id, "A quiet morning by the river. ", NOW, mood=4)
    assert (edited.text, edited.mood) == ("A quiet morning by the river.", 4)
    assert [r.text for r in data.store.journal.get(entry.id).history] == ["A quiet morning."]


def test_a_journal_mood_off_the_scale_is_an_input_error_keeping_its_cause(data: PersonalData) -> None:
    entry = data.add_journal("A quiet morning.", NOW)
    with pytest.raises(InputError, match="mood 9") as refused:
        data.edit_journal_entry(entry.id, "Another text", NOW, mood=9)
    assert isinstance(refused.value.__cause__, DomainError)
    assert data.store.journal.get(entry.id).text == "A quiet morning."


def test_a_habit_schedule_the_words_do_not_say_is_an_input_error(data: PersonalData) -> None:
    habit = data.add_habit("Run", NOW)
    with pytest.raises(InputError):
        data.edit_habit(habit, name="Run", schedule="every blue moon")
    assert data.store.habits.get(habit.id).schedule == habit.schedule


def test_hand_edits_of_tasks_habits_and_reminders_land_in_the_store(data: PersonalData) -> None:
    task = data.complete_task(data.add_task("Call mom", NOW), NOW)
    assert not data.reopen_task(task).done
    data.delete_task(task)
    assert task.id not in data.store.tasks.ids()
    habit = data.add_habit("Run", NOW - timedelta(days=3))
    checkin = data.check_in(habit, NOW.date(), NOW)
    data.take_back_check_in(checkin)
    assert data.checkins(habit) == []
    habit = data.edit_habit(habit, name="Jog", schedule="3 times a week")
    assert (habit.name, habit.schedule.times_per_week) == ("Jog", 3)
    assert data.archive_habit(habit).archived and data.store.habits.active() == []
    reminder = data.snooze_reminder(data.add_reminder("Stretch", NOW + timedelta(hours=1), NOW), 10, NOW)
    moved = data.edit_reminder(reminder, "Stretch well", NOW + timedelta(hours=2))
    assert (moved.text, moved.at, moved.snoozed_until) == ("Stretch well", NOW + timedelta(hours=2), None)


def test_the_assistant_and_the_cli_change_data_only_through_the_services() -> None:
    """Writes meet the domain's checks and the error mapping in one place, `PersonalData`."""
    import re
    from pathlib import Path

    import nargis_desktop

    package = Path(nargis_desktop.__file__).parent
    direct = re.compile(r"\.store\.\w+\.(?:add|save|delete|restore)\(")
    writers = [
        f"{path.relative_to(package)}:{number}"
        for folder in ("assistant", "cli")
        for path in sorted((package / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert writers == []
