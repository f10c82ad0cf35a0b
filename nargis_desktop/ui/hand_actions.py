"""What a person does by hand in the window (tick, reschedule, delete, check in…), undoable.

Each action changes the store through `PersonalData` and leaves its undo in the conversation's
state, where the assistant keeps the undo of a spoken or typed command: so the toast's Undo, the
Ctrl+Z key and saying "undo" all take back the last thing done, whoever did it. Runs on the store
worker; no Qt here. Returns the words the toast shows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from nargis_desktop.assistant.dialogue import DialogueState
from nargis_desktop.assistant.speech import rule_words, when_words
from nargis_desktop.assistant.undo import Record, before_change, completed, created
from nargis_desktop.domain.habits import Schedule
from nargis_desktop.domain.tasks import Due, Priority
from nargis_desktop.services.personal_data import PersonalData


def _remember(data: PersonalData, now: datetime, records: list[Record], label: str, focus: tuple[str, str]) -> None:
    """The undo of this action replaces the last one (as a spoken command's would)."""
    state = DialogueState.load(data.store, now)
    state.undo, state.undo_label, state.focus = records, label, list(focus)
    state.save(data.store, now)


# Tasks ---------------------------------------------------------------------------------------
def add_task(
    data: PersonalData,
    title: str,
    now: datetime,
    due: Due | None = None,
    recurrence: str | None = None,
    priority: Priority = Priority.NONE,
) -> str:
    if recurrence and due is None:
        due = now.date()
    with data.store.transaction():
        task = data.add_task(title[:1].upper() + title[1:], now, due=due, recurrence=recurrence, priority=priority)
        _remember(data, now, [created("task", task.id)], "adding that task", ("task", task.id))
    said = f"Added {task.title}"
    if due is not None:
        said += f", {when_words(due, now)}"
    if recurrence:
        said += f", repeating {rule_words(recurrence)}"
    return said


def complete_task(data: PersonalData, task_id: str, now: datetime) -> str:
    with data.store.transaction():
        task = data.store.tasks.get(task_id)
        records = [before_change(data, "task", task.id), completed(task.id, now)]
        done = data.complete_task(task, now)
        _remember(data, now, records, "completing that task", ("task", task.id))
    if not done.done and done.due is not None:
        return f"Done: {task.title} (next {when_words(done.due, now)})"
    return f"Done: {task.title}"


def reopen_task(data: PersonalData, task_id: str, now: datetime) -> str:
    with data.store.transaction():
        task = data.store.tasks.get(task_id)
        records = [before_change(data, "task", task.id)]
        data.reopen_task(task)
        _remember(data, now, records, "reopening that task", ("task", task.id))
    return f"Reopened {task.title}"


def delete_task(data: PersonalData, task_id: str, now: datetime) -> str:
    with data.store.transaction():
        task = data.store.tasks.get(task_id)
        records = [before_change(data, "task", task.id)]
        data.delete_task(task)
        _remember(data, now, records, "deleting that task", ("task", task.id))
    return f"Deleted {task.title}"


def edit_task(data: PersonalData, task_id: str, now: datetime, **changes: Any) -> str:
    """A new title, due date or priority; the words say what changed."""
    with data.store.transaction():
        task = data.store.tasks.get(task_id)
        records = [before_change(data, "task", task.id)]
        edited = data.edit_task(task, **changes)
        _remember(data, now, records, "that change", ("task", task.id))
    if "due" in changes:
        return f"{edited.title}: " + (f"due {when_words(edited.due, now)}" if edited.due else "no due date")
    if "priority" in changes:
        return f"{edited.title}: priority {edited.priority.value}"
    return f"Renamed to {edited.title}"


# Habits --------------------------------------------------------------------------------------
def set_checked(data: PersonalData, habit_id: str, day: date, checked: bool, now: datetime) -> str:
    """Check a habit in on `day` (today or a past day), or take that day's check-in back."""
    with data.store.transaction():
        habit = data.store.habits.get(habit_id)
        existing = [c for c in data.checkins(habit) if c.day == day]
        records: list[Record] = []
        if checked and not existing:
            if day < habit.start:
                records.append(before_change(data, "habit", habit.id))
            checkin = data.check_in(habit, day, now)
            records.append(created("checkin", checkin.id))
        elif not checked and existing:
            for checkin in existing:
                records.append(before_change(data, "checkin", checkin.id))
                data.take_back_check_in(checkin)
        if records:
            label = "that check-in" if checked else "unchecking that day"
            _remember(data, now, records, label, ("habit", habit.id))
    when = "today" if day == now.date() else f"{day:%a %d %b}"
    return f"{habit.name}: {'checked' if checked else 'unchecked'} {when}"


def add_habit(data: PersonalData, name: str, schedule: str, now: datetime) -> str:
    with data.store.transaction():
        habit = data.add_habit(name, now, schedule=schedule or "daily")
        _remember(data, now, [created("habit", habit.id)], "the new habit", ("habit", habit.id))
    return f"New habit: {habit.name}, {schedule_words(habit.schedule)}"


def edit_habit(data: PersonalData, habit_id: str, now: datetime, name: str, schedule: str) -> str:
    with data.store.transaction():
        habit = data.store.habits.get(habit_id)
        records = [before_change(data, "habit", habit.id)]
        edited = data.edit_habit(habit, name=name, schedule=schedule)  # refuses a schedule the words do not say
        _remember(data, now, records, "that change", ("habit", habit.id))
    return f"{edited.name}: {schedule_words(edited.schedule)}"


def archive_habit(data: PersonalData, habit_id: str, now: datetime) -> str:
    with data.store.transaction():
        habit = data.store.habits.get(habit_id)
        records = [before_change(data, "habit", habit.id)]
        data.archive_habit(habit)
        _remember(data, now, records, "archiving that habit", ("habit", habit.id))
    return f"Archived {habit.name} (its history is kept)"


def schedule_words(schedule: Schedule) -> str:
    if schedule.times_per_week is not None:
        return f"{schedule.times_per_week} times a week"
    assert schedule.rule is not None
    return rule_words(schedule.rule)


# Journal and reminders ---------------------------------------------------------------------
def add_journal(data: PersonalData, text: str, now: datetime, mood: int | None) -> tuple[str, str]:
    """The new entry's id, and the words."""
    with data.store.transaction():
        entry = data.add_journal(text, now, mood=mood)
        _remember(data, now, [created("journal", entry.id)], "that journal entry", ("journal", entry.id))
    return entry.id, "Journal entry saved"


def add_reminder(data: PersonalData, text: str, at: datetime, now: datetime) -> str:
    with data.store.transaction():
        reminder = data.add_reminder(text, at, now)
        _remember(data, now, [created("reminder", reminder.id)], "that reminder", ("reminder", reminder.id))
    return f"I'll remind you to {reminder.text} {when_words(at, now)}"


def edit_reminder(data: PersonalData, reminder_id: str, text: str, at: datetime, now: datetime) -> str:
    with data.store.transaction():
        reminder = data.store.reminders.get(reminder_id)
        records = [before_change(data, "reminder", reminder.id)]
        data.edit_reminder(reminder, text, at)
        _remember(data, now, records, "that change", ("reminder", reminder.id))
    return f"Reminder moved to {when_words(at, now)}"


def snooze_reminder(data: PersonalData, reminder_id: str, minutes: int, now: datetime) -> str:
    with data.store.transaction():
        reminder = data.store.reminders.get(reminder_id)
        records = [before_change(data, "reminder", reminder.id)]
        data.snooze_reminder(reminder, minutes, now)
        _remember(data, now, records, "the snooze", ("reminder", reminder.id))
    return f"Snoozed {reminder.text} for {minutes} minutes"


def complete_reminder(data: PersonalData, reminder_id: str, now: datetime) -> str:
    with data.store.transaction():
        reminder = data.store.reminders.get(reminder_id)
        records = [before_change(data, "reminder", reminder.id)]
        data.complete_reminder(reminder, now)
        _remember(data, now, records, "that reminder", ("reminder", reminder.id))
    return f"Done: {reminder.text}"
