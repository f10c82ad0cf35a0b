"""The spreadsheet's shape: one worksheet per kind, a hidden id column, a column per field, a status column.

Each kind knows how to show an item as canonical cell texts and how to build the item back from
them; cell checks live in `cells`. The hidden id in column A moves with its row when a person
sorts or drags rows, so it is the row's identity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.store import queries
from nargis_desktop.store.database import Store
from nargis_desktop.store.repository import Repository
from nargis_desktop.sync.sheets import cells
from nargis_desktop.sync.sheets.cells import TRUE, BadCellError

ID_HEADER = "id"
STATUS_HEADER = "sync status"
Cells = dict[str, str]


@dataclass(frozen=True)
class Lookups:
    """What some cells refer to: habit names for check-ins."""

    habit_names: dict[str, str]  # id → name, deleted habits included (old check-ins still name them)
    habit_ids: dict[str, str]  # lower-case name → id, live habits only

    @classmethod
    def load(cls, store: Store) -> Lookups:
        rows = queries.habit_names(store)
        return cls(
            habit_names={habit_id: name for habit_id, name, _deleted in rows},
            habit_ids={name.lower(): habit_id for habit_id, name, deleted in rows if not deleted},
        )


@dataclass(frozen=True)
class Column:
    header: str
    render: Callable[[Any, Lookups], str]
    check: Callable[[str, Lookups], str]  # the canonical text of what a person typed; raises BadCellError
    editable: bool = True


@dataclass(frozen=True)
class Kind:
    name: str  # as in settings and the CLI: "tasks"
    title: str  # the worksheet's title
    entity: str  # as in the change log
    columns: tuple[Column, ...]
    repository: Callable[[Store], Repository[Any]]
    build: Callable[[Cells, Any, str, datetime, Lookups], Any]  # (cells, existing or None, id, now) → item

    @property
    def headers(self) -> list[str]:
        return [ID_HEADER, *(c.header for c in self.columns), STATUS_HEADER]

    @property
    def width(self) -> int:
        return len(self.columns) + 2

    def render(self, item: Any, lookups: Lookups) -> Cells:
        return {c.header: c.render(item, lookups) for c in self.columns}

    def read_range(self) -> str:
        return f"'{self.title}'!A1:{column_letter(self.width - 1)}"


def column_letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _plain(check: Callable[[str], str]) -> Callable[[str, Lookups], str]:
    return lambda value, _lookups: check(value)


def _habit_name(value: str, lookups: Lookups) -> str:
    name = " ".join(value.split())
    habit_id = lookups.habit_ids.get(name.lower())
    if habit_id is None:
        raise BadCellError(f"there is no habit called {name!r}")
    return lookups.habit_names[habit_id]


def _optional(text: str) -> str | None:
    return text or None


# Tasks ----------------------------------------------------------------------------------------
def _build_task(c: Cells, old: Task | None, item_id: str, now: datetime, _lookups: Lookups) -> Task:
    fields: dict[str, Any] = {
        "title": c["title"],
        "due": cells.parse_rendered_date(c["due"]),
        "priority": Priority.parse(c["priority"]),
        "tags": tuple(t for t in c["tags"].split(", ") if t),
        "notes": c["notes"],
        "recurrence": _optional(c["repeat"]),
    }
    task = replace(old, **fields) if old else Task(created_at=now, id=item_id, **fields)
    wants_done = c["done"] == TRUE
    if wants_done and not task.done:
        return task.complete(now)  # a repeating task moves to its next date, as when ticked in the app
    if not wants_done and task.done:
        return task.reopen()
    return task


TASKS = Kind(
    "tasks",
    "Tasks",
    "task",
    (
        Column("title", lambda t, _: t.title, _plain(cells.required_text)),
        Column("due", lambda t, _: cells.render_date(t.due), _plain(cells.optional_when)),
        Column(
            "priority", lambda t, _: "" if t.priority is Priority.NONE else t.priority.value, _plain(cells.priority)
        ),
        Column("done", lambda t, _: cells.TRUE if t.done else cells.FALSE, _plain(cells.boolean)),
        Column("tags", lambda t, _: cells.render_tags(t.tags), _plain(cells.tags)),
        Column("notes", lambda t, _: t.notes, _plain(cells.text)),
        Column("repeat", lambda t, _: t.recurrence or "", _plain(cells.rule)),
    ),
    lambda store: store.tasks,
    _build_task,
)


# Habits ---------------------------------------------------------------------------------------
def _build_habit(c: Cells, old: Habit | None, item_id: str, now: datetime, _lookups: Lookups) -> Habit:
    fields: dict[str, Any] = {
        "name": c["name"],
        "schedule": Schedule.parse(c["schedule"]),
        "start": cells.parse_date_or_datetime(c["start"]),
        "target": float(c["target"]) if c["target"] else None,
        "unit": c["unit"],
        "archived": c["archived"] == TRUE,
    }
    return replace(old, **fields) if old else Habit(created_at=now, id=item_id, **fields)


def _schedule(value: str) -> str:
    from nargis_desktop.domain.errors import DomainError

    try:
        return Schedule.parse(cells.required_text(value)).text
    except DomainError as err:
        raise BadCellError(err.message) from err


HABITS = Kind(
    "habits",
    "Habits",
    "habit",
    (
        Column("name", lambda h, _: h.name, _plain(lambda v: " ".join(cells.required_text(v).split()))),
        Column("schedule", lambda h, _: h.schedule.text, _plain(_schedule)),
        Column("start", lambda h, _: h.start.isoformat(), _plain(cells.day)),
        Column("target", lambda h, _: cells.render_number(h.target), _plain(cells.number)),
        Column("unit", lambda h, _: h.unit, _plain(cells.text)),
        Column("archived", lambda h, _: cells.TRUE if h.archived else cells.FALSE, _plain(cells.boolean)),
    ),
    lambda store: store.habits,
    _build_habit,
)


# Check-ins ------------------------------------------------------------------------------------
def _build_checkin(c: Cells, old: CheckIn | None, item_id: str, now: datetime, lookups: Lookups) -> CheckIn:
    fields: dict[str, Any] = {
        "habit_id": lookups.habit_ids[c["habit"].lower()],
        "day": cells.parse_date_or_datetime(c["day"]),
        "value": float(c["value"]) if c["value"] else None,
        "note": c["note"],
    }
    return replace(old, **fields) if old else CheckIn(created_at=now, id=item_id, **fields)


CHECKINS = Kind(
    "checkins",
    "Check-ins",
    "checkin",
    (
        Column("habit", lambda ci, lk: lk.habit_names.get(ci.habit_id, ci.habit_id), _habit_name),
        Column("day", lambda ci, _: ci.day.isoformat(), _plain(cells.day)),
        Column("value", lambda ci, _: cells.render_number(ci.value), _plain(cells.number)),
        Column("note", lambda ci, _: ci.note, _plain(cells.text)),
    ),
    lambda store: store.checkins,
    _build_checkin,
)


# Reminders ------------------------------------------------------------------------------------
def _build_reminder(c: Cells, old: Reminder | None, item_id: str, now: datetime, _lookups: Lookups) -> Reminder:
    fields: dict[str, Any] = {
        "text": c["text"],
        "at": cells.parse_date_or_datetime(c["at"]),
        "recurrence": _optional(c["repeat"]),
        "snoozed_until": cells.parse_rendered_date(c["snoozed until"]),
    }
    reminder = replace(old, **fields) if old else Reminder(created_at=now, id=item_id, **fields)
    wants_done = c["done"] == TRUE
    if wants_done and not reminder.done:
        return reminder.complete(now)
    if not wants_done and reminder.done:
        return replace(reminder, done=False)
    return reminder


REMINDERS = Kind(
    "reminders",
    "Reminders",
    "reminder",
    (
        Column("text", lambda r, _: r.text, _plain(cells.required_text)),
        Column("at", lambda r, _: cells.render_date(r.at), _plain(cells.moment)),
        Column("repeat", lambda r, _: r.recurrence or "", _plain(cells.rule)),
        Column("snoozed until", lambda r, _: cells.render_date(r.snoozed_until), _plain(cells.optional_moment)),
        Column("done", lambda r, _: cells.TRUE if r.done else cells.FALSE, _plain(cells.boolean)),
    ),
    lambda store: store.reminders,
    _build_reminder,
)


# Journal (only when the person turns it on) -----------------------------------------------------
def _build_journal(c: Cells, old: JournalEntry | None, item_id: str, now: datetime, _lookups: Lookups) -> JournalEntry:
    mood = int(c["mood"]) if c["mood"] else None
    if old is None:
        return JournalEntry(text=c["text"], created_at=now, id=item_id, mood=mood)
    edited = old.edit(c["text"], now) if c["text"] != old.text else old
    return replace(edited, mood=mood)


JOURNAL = Kind(
    "journal",
    "Journal",
    "journal",
    (
        Column("written", lambda j, _: cells.render_date(j.created_at), _plain(cells.text), editable=False),
        Column("text", lambda j, _: j.text, _plain(cells.required_text)),
        Column("mood", lambda j, _: "" if j.mood is None else str(j.mood), _plain(cells.mood)),
    ),
    lambda store: store.journal,
    _build_journal,
)

# Habits before check-ins: a check-in names its habit.
STANDARD_KINDS = (TASKS, HABITS, CHECKINS, REMINDERS)


def kinds(include_journal: bool) -> tuple[Kind, ...]:
    return (*STANDARD_KINDS, JOURNAL) if include_journal else STANDARD_KINDS
