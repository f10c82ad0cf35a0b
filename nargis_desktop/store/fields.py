"""One field map per kind of item: each field is named once, with its column, its name in the JSON
export, its Sheets column and the kind of value it holds.

The codec (`codecs`), the JSON export and import (`exchange/`) and the Sheets layout
(`sync/sheets/layout`) are derived from these maps, each with one converter per kind of value:
a new field is one line here (and a migration for its column). Fields are listed in the order of
the JSON export, which is a published format.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Task

T = TypeVar("T")


class Value(enum.Enum):
    """What a field holds; every format has one converter per kind of value."""

    ID = "id"
    TEXT = "text"  # must not be empty
    NAME = "name"  # text that must not be empty, runs of spaces counting as one (habits are found by name)
    NOTE = "note"  # free text, "" when there is none
    WHEN = "date or date-time"  # or none
    DAY = "date"
    MOMENT = "date-time"
    LATER_MOMENT = "date-time or none"
    FLAG = "yes or no"
    NUMBER = "number"  # or none
    PRIORITY = "priority"
    RULE = "repeat rule"  # RRULE text without the "RRULE:" prefix, or none
    TAGS = "tags"
    SCHEDULE = "habit schedule"
    MOOD = "mood"  # 1 to 5, or none
    HISTORY = "earlier texts"  # of a journal entry
    HABIT = "habit"  # its id in the store; files and sheets name the habit
    TASK = "task"  # its id, everywhere


class IfMissing(enum.Enum):
    """What an import makes of a date a file leaves out (other kinds of value have their own empty)."""

    REFUSE = "refuse"
    NOW = "now"  # when the file was imported
    CREATION_DAY = "creation day"  # the day of the item's created_at


@dataclass(frozen=True)
class Sheet:
    """The field's column in its worksheet."""

    header: str
    position: int  # 1 is column B: column A holds the hidden id
    editable: bool = True  # False: shown, never read back
    by_rule: bool = False  # applied by the kind's own rule, not set (ticking done moves a repeating task on)


@dataclass(frozen=True)
class Field:
    attr: str  # the domain object's attribute
    value: Value
    column: str = ""  # in the store's table; "" is the attribute's name
    json: str = ""  # in the JSON export and CSV; "" is the attribute's name
    exported: bool = True
    if_missing: IfMissing = IfMissing.REFUSE
    sheet: Sheet | None = None

    @property
    def column_name(self) -> str:
        return self.column or self.attr

    @property
    def json_key(self) -> str:
        return self.json or self.attr


@dataclass(frozen=True)
class Entity(Generic[T]):
    name: str  # in the change log and the sync wire: "task"
    table: str
    make: type[T]
    fields: tuple[Field, ...]
    csv: tuple[str, ...] = ()  # CSV columns by JSON key, when not every exported field in order

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.column_name for f in self.fields)

    @property
    def exported(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.exported)

    @property
    def csv_columns(self) -> tuple[str, ...]:
        return self.csv or tuple(f.json_key for f in self.exported)

    @property
    def in_sheet(self) -> tuple[Field, ...]:
        shown = [f for f in self.fields if f.sheet is not None]
        return tuple(sorted(shown, key=lambda f: f.sheet.position if f.sheet else 0))

    def build(self, values: dict[str, Any]) -> T:
        """The domain object from its attributes' values."""
        return self.make(**values)


def _id() -> Field:
    return Field("id", Value.ID)


def _created(if_missing: IfMissing = IfMissing.NOW, sheet: Sheet | None = None) -> Field:
    return Field("created_at", Value.MOMENT, if_missing=if_missing, sheet=sheet)


TASK = Entity(
    "task",
    "tasks",
    Task,
    (
        _id(),
        Field("title", Value.TEXT, sheet=Sheet("title", 1)),
        Field("notes", Value.NOTE, sheet=Sheet("notes", 6)),
        Field("due", Value.WHEN, sheet=Sheet("due", 2)),
        Field("priority", Value.PRIORITY, sheet=Sheet("priority", 3)),
        Field("recurrence", Value.RULE, sheet=Sheet("repeat", 7)),
        Field("tags", Value.TAGS, sheet=Sheet("tags", 5)),
        Field("done", Value.FLAG, sheet=Sheet("done", 4, by_rule=True)),
        Field("completed_at", Value.LATER_MOMENT),
        _created(),
    ),
)

HABIT = Entity(
    "habit",
    "habits",
    Habit,
    (
        _id(),
        Field("name", Value.NAME, sheet=Sheet("name", 1)),
        Field("schedule", Value.SCHEDULE, sheet=Sheet("schedule", 2)),
        Field("start", Value.DAY, if_missing=IfMissing.CREATION_DAY, sheet=Sheet("start", 3)),
        Field("target", Value.NUMBER, sheet=Sheet("target", 4)),
        Field("unit", Value.NOTE, sheet=Sheet("unit", 5)),
        Field("archived", Value.FLAG, sheet=Sheet("archived", 6)),
        _created(),
    ),
)

CHECKIN = Entity(
    "checkin",
    "checkins",
    CheckIn,
    (
        _id(),
        Field("habit_id", Value.HABIT, json="habit", sheet=Sheet("habit", 1)),
        Field("day", Value.DAY, json="date", sheet=Sheet("day", 2)),
        Field("value", Value.NUMBER, sheet=Sheet("value", 3)),
        Field("note", Value.NOTE, sheet=Sheet("note", 4)),
        _created(),
    ),
)

JOURNAL = Entity(
    "journal",
    "journal",
    JournalEntry,
    (
        _id(),
        Field("text", Value.TEXT, sheet=Sheet("text", 2)),
        _created(IfMissing.REFUSE, Sheet("written", 1, editable=False)),
        Field("mood", Value.MOOD, sheet=Sheet("mood", 3)),
        Field("history", Value.HISTORY),
    ),
    csv=("id", "created_at", "mood", "text"),  # the long text last; earlier texts only in JSON
)

REMINDER = Entity(
    "reminder",
    "reminders",
    Reminder,
    (
        _id(),
        Field("text", Value.TEXT, sheet=Sheet("text", 1)),
        Field("at", Value.MOMENT, sheet=Sheet("at", 2)),
        Field("recurrence", Value.RULE, sheet=Sheet("repeat", 3)),
        Field("done", Value.FLAG, sheet=Sheet("done", 5, by_rule=True)),
        Field("snoozed_until", Value.LATER_MOMENT, sheet=Sheet("snoozed until", 4)),
        _created(),
    ),
)

COMPLETION = Entity(
    "completion",
    "task_completions",
    TaskCompletion,
    (
        _id(),
        Field("task_id", Value.TASK),
        Field("due", Value.WHEN),
        Field("completed_at", Value.MOMENT),
        _created(),
    ),
)

ENTITIES: tuple[Entity[Any], ...] = (TASK, HABIT, CHECKIN, JOURNAL, REMINDER, COMPLETION)
