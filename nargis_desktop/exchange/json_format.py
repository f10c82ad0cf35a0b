"""The JSON export contract: one object with arrays tasks, habits, checkins, journal, reminders
and completions (the history of done tasks; exports before it had none, and still import).

Dates are ISO local times (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`); priority "none" is null;
rules are RRULE text without the `RRULE:` prefix; deleted items are not exported. Each kind's
fields, their names and order come from its field map (`store/fields.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from nargis_desktop import __version__
from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit
from nargis_desktop.domain.journal import JournalEntry, Revision
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.store import fields
from nargis_desktop.store.codecs import iso
from nargis_desktop.store.database import Store
from nargis_desktop.store.fields import Entity, Value

FORMAT_NAME = "nargis-export"
FORMAT_VERSION = 1
KINDS = ("tasks", "habits", "checkins", "journal", "reminders")  # each also a CSV file; completions are JSON only
# Each array of the file (a Snapshot's attribute of the same name), in the file's order.
FIELD_MAPS: dict[str, Entity[Any]] = {
    "tasks": fields.TASK,
    "habits": fields.HABIT,
    "checkins": fields.CHECKIN,
    "journal": fields.JOURNAL,
    "reminders": fields.REMINDER,
    "completions": fields.COMPLETION,
}


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
            tasks=store.tasks.oldest_first(),
            habits=store.habits.oldest_first(),
            checkins=store.checkins.oldest_first(),
            journal=store.journal.oldest_first(),
            reminders=store.reminders.oldest_first(),
            # Deleted tasks are not exported, so neither is their history: each completion names a task in the file.
            completions=store.completions.of_kept_tasks(),
        )


def _history(history: tuple[Revision, ...], _names: dict[str, str]) -> list[dict[str, Any]]:
    return [{"text": r.text, "replaced_at": iso(r.replaced_at)} for r in history]


def _same(value: Any, _names: dict[str, str]) -> Any:
    return value


def _iso(value: date | datetime | None, _names: dict[str, str]) -> str | None:
    return iso(value)


# Each kind of value as JSON; the second argument names habits by id.
_TO_JSON: dict[Value, Callable[[Any, dict[str, str]], Any]] = {
    Value.ID: _same,
    Value.TEXT: _same,
    Value.NAME: _same,
    Value.NOTE: _same,
    Value.WHEN: _iso,
    Value.DAY: _iso,
    Value.MOMENT: _iso,
    Value.LATER_MOMENT: _iso,
    Value.FLAG: _same,
    Value.NUMBER: _same,
    Value.PRIORITY: lambda p, _: None if p is Priority.NONE else p.value,
    Value.RULE: _same,
    Value.TAGS: lambda tags, _: list(tags),
    Value.SCHEDULE: lambda schedule, _: schedule.text,
    Value.MOOD: _same,
    Value.HISTORY: _history,
    Value.HABIT: lambda habit_id, names: names.get(habit_id, habit_id),
    Value.TASK: _same,
}


def to_json(entity: Entity[Any], item: Any, habit_names: dict[str, str] | None = None) -> dict[str, Any]:
    """One item as its field map exports it; a check-in names its habit when `habit_names` knows it."""
    names = habit_names or {}
    return {f.json_key: _TO_JSON[f.value](getattr(item, f.attr), names) for f in entity.exported}


def snapshot_to_json(snapshot: Snapshot, exported_at: datetime) -> dict[str, Any]:
    names = {h.id: h.name for h in snapshot.habits}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": iso(exported_at),
        "app_version": __version__,
        **{
            kind: [to_json(entity, item, names) for item in getattr(snapshot, kind)]
            for kind, entity in FIELD_MAPS.items()
        },
    }
