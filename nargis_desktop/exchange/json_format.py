"""The JSON export contract: one object with arrays tasks, habits, checkins, journal, reminders
and completions (the history of done tasks; exports before it had none, and still import).

Dates are ISO local times (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`); priority "none" is null;
rules are RRULE text without the `RRULE:` prefix; deleted items are not exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nargis_desktop import __version__
from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.store.codecs import iso
from nargis_desktop.store.database import Store

FORMAT_NAME = "nargis-export"
FORMAT_VERSION = 1
KINDS = ("tasks", "habits", "checkins", "journal", "reminders")  # each also a CSV file; completions are JSON only


@dataclass
class Snapshot:
    """Everything a person keeps, as domain objects."""

    tasks: list[Task] = field(default_factory=list)
    habits: list[Habit] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    completions: list[TaskCompletion] = field(default_factory=list)

    @classmethod
    def of(cls, store: Store) -> Snapshot:
        return cls(
            tasks=store.tasks.list(order="created_at, id"),
            habits=store.habits.list(order="created_at, id"),
            checkins=store.checkins.list(order="day, created_at, id"),
            journal=store.journal.list(order="created_at, id"),
            reminders=store.reminders.list(order="created_at, id"),
            # Deleted tasks are not exported, so neither is their history: each completion names a task in the file.
            completions=store.completions.of_kept_tasks(),
        )


def task_to_json(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "notes": task.notes,
        "due": iso(task.due),
        "priority": None if task.priority is Priority.NONE else task.priority.value,
        "recurrence": task.recurrence,
        "tags": list(task.tags),
        "done": task.done,
        "completed_at": iso(task.completed_at),
        "created_at": iso(task.created_at),
    }


def habit_to_json(habit: Habit) -> dict[str, Any]:
    return {
        "id": habit.id,
        "name": habit.name,
        "schedule": habit.schedule.text,
        "start": iso(habit.start),
        "target": habit.target,
        "unit": habit.unit,
        "archived": habit.archived,
        "created_at": iso(habit.created_at),
    }


def checkin_to_json(checkin: CheckIn, habit_names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": checkin.id,
        "habit": habit_names.get(checkin.habit_id, checkin.habit_id),
        "date": iso(checkin.day),
        "value": checkin.value,
        "note": checkin.note,
        "created_at": iso(checkin.created_at),
    }


def journal_to_json(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "text": entry.text,
        "created_at": iso(entry.created_at),
        "mood": entry.mood,
        "history": [{"text": r.text, "replaced_at": iso(r.replaced_at)} for r in entry.history],
    }


def reminder_to_json(reminder: Reminder) -> dict[str, Any]:
    return {
        "id": reminder.id,
        "text": reminder.text,
        "at": iso(reminder.at),
        "recurrence": reminder.recurrence,
        "done": reminder.done,
        "snoozed_until": iso(reminder.snoozed_until),
        "created_at": iso(reminder.created_at),
    }


def completion_to_json(completion: TaskCompletion) -> dict[str, Any]:
    return {
        "id": completion.id,
        "task_id": completion.task_id,
        "due": iso(completion.due),
        "completed_at": iso(completion.completed_at),
        "created_at": iso(completion.created_at),
    }


def snapshot_to_json(snapshot: Snapshot, exported_at: datetime) -> dict[str, Any]:
    names = {h.id: h.name for h in snapshot.habits}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": iso(exported_at),
        "app_version": __version__,
        "tasks": [task_to_json(t) for t in snapshot.tasks],
        "habits": [habit_to_json(h) for h in snapshot.habits],
        "checkins": [checkin_to_json(c, names) for c in snapshot.checkins],
        "journal": [journal_to_json(e) for e in snapshot.journal],
        "reminders": [reminder_to_json(r) for r in snapshot.reminders],
        "completions": [completion_to_json(c) for c in snapshot.completions],
    }
