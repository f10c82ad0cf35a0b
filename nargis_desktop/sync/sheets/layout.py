"""The spreadsheet's shape: one worksheet per kind, a hidden id column, a column per field, a status column.

A kind's columns are the fields its field map (`store/fields.py`) shows in Sheets; each kind of
value knows how to show itself as canonical cell text and how to be read back (`CELLS`); cell
checks live in `cells`. The hidden id in column A moves with its row when a person
sorts or drags rows, so it is the row's identity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.habits import Schedule
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.store import fields, queries
from nargis_desktop.store.database import Store
from nargis_desktop.store.fields import Entity, Field, Value
from nargis_desktop.store.repository import Repository
from nargis_desktop.sync.sheets import cells
from nargis_desktop.sync.sheets.cells import FALSE, TRUE, BadCellError

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
class Cell:
    """How one kind of value shows in a cell, what a person may type, and the value read back."""

    render: Callable[[Any, Lookups], str]
    check: Callable[[str, Lookups], str]  # the canonical text of what a person typed; raises BadCellError
    read: Callable[[str, Lookups], Any]  # the value from canonical text


@dataclass(frozen=True)
class Column:
    header: str
    attr: str
    render: Callable[[Any, Lookups], str]  # the item's cell
    check: Callable[[str, Lookups], str]
    read: Callable[[str, Lookups], Any]
    editable: bool = True
    by_rule: bool = False  # read back through the kind's rule, not set

    @classmethod
    def of(cls, mapped: Field) -> Column:
        sheet = mapped.sheet
        assert sheet is not None, mapped.attr
        cell, attr = CELLS[mapped.value], mapped.attr
        return cls(
            sheet.header,
            attr,
            lambda item, lookups: cell.render(getattr(item, attr), lookups),
            cell.check if sheet.editable else _plain(cells.text),  # a read-only cell is never read back
            cell.read,
            sheet.editable,
            sheet.by_rule,
        )


Values = dict[str, Any]


def _replace(old: Any, values: Values, _now: datetime) -> Any:
    return replace(old, **values)


def _no_rule(item: Any, _ruled: Values, _now: datetime) -> Any:
    return item


@dataclass(frozen=True)
class Kind:
    name: str  # as in settings and the CLI: "tasks"
    title: str  # the worksheet's title
    field_map: Entity[Any]  # its columns are the fields shown in Sheets
    repository: Callable[[Store], Repository[Any]]
    update: Callable[[Any, Values, datetime], Any] = _replace  # (stored item, values read, now) → item
    rule: Callable[[Any, Values, datetime], Any] = _no_rule  # applies the columns marked by_rule
    columns: tuple[Column, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(Column.of(f) for f in self.field_map.in_sheet))

    @property
    def entity(self) -> str:  # as in the change log
        return self.field_map.name

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

    def build(self, c: Cells, old: Any, item_id: str, now: datetime, lookups: Lookups) -> Any:
        """The item from canonical cells: the stored one (`old`) updated, or a new one made `now`."""
        values: Values = {}
        ruled: Values = {}
        for column in self.columns:
            if column.editable:
                (ruled if column.by_rule else values)[column.attr] = column.read(c[column.header], lookups)
        if old is None:
            item = self.field_map.build({"created_at": now, "id": item_id, **values})
        else:
            item = self.update(old, values, now)
        return self.rule(item, ruled, now)


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


def _schedule(value: str) -> str:
    try:
        return Schedule.parse(cells.required_text(value)).text
    except DomainError as err:
        raise BadCellError(err.message) from err


def _shown(value: Any, _lookups: Lookups) -> str:
    return str(value)


def _date(value: Any, _lookups: Lookups) -> str:
    return cells.render_date(value)


def _read_text(text: str, _lookups: Lookups) -> str:
    return text


def _read_when(text: str, _lookups: Lookups) -> Any:
    return cells.parse_rendered_date(text)


def _read_date(text: str, _lookups: Lookups) -> Any:
    return cells.parse_date_or_datetime(text)


def _read_number(text: str, _lookups: Lookups) -> float | None:
    return float(text) if text else None


# Each kind of value shown in a sheet (ids are the hidden column; some values are never shown).
CELLS: dict[Value, Cell] = {
    Value.TEXT: Cell(_shown, _plain(cells.required_text), _read_text),
    Value.NAME: Cell(_shown, _plain(lambda v: " ".join(cells.required_text(v).split())), _read_text),
    Value.NOTE: Cell(_shown, _plain(cells.text), _read_text),
    Value.WHEN: Cell(_date, _plain(cells.optional_when), _read_when),
    Value.DAY: Cell(lambda d, _: d.isoformat(), _plain(cells.day), _read_date),
    Value.MOMENT: Cell(_date, _plain(cells.moment), _read_date),
    Value.LATER_MOMENT: Cell(_date, _plain(cells.optional_moment), _read_when),
    Value.FLAG: Cell(lambda on, _: TRUE if on else FALSE, _plain(cells.boolean), lambda t, _: t == TRUE),
    Value.NUMBER: Cell(lambda n, _: cells.render_number(n), _plain(cells.number), _read_number),
    Value.PRIORITY: Cell(
        lambda p, _: "" if p is Priority.NONE else p.value, _plain(cells.priority), lambda t, _: Priority.parse(t)
    ),
    Value.RULE: Cell(lambda r, _: r or "", _plain(cells.rule), lambda t, _: t or None),
    Value.TAGS: Cell(
        lambda tags, _: cells.render_tags(tags), _plain(cells.tags), lambda t, _: tuple(x for x in t.split(", ") if x)
    ),
    Value.SCHEDULE: Cell(lambda s, _: s.text, _plain(_schedule), lambda t, _: Schedule.parse(t)),
    Value.MOOD: Cell(lambda m, _: "" if m is None else str(m), _plain(cells.mood), lambda t, _: int(t) if t else None),
    Value.HABIT: Cell(
        lambda habit_id, lk: lk.habit_names.get(habit_id, habit_id), _habit_name, lambda t, lk: lk.habit_ids[t.lower()]
    ),
}


# Ticking done in a sheet does what ticking it in the app does: a repeating item moves to its next date.
def _tick_task(task: Task, ruled: Values, now: datetime) -> Task:
    wants_done = ruled["done"]
    if wants_done and not task.done:
        return task.complete(now)
    if not wants_done and task.done:
        return task.reopen()
    return task


def _tick_reminder(reminder: Reminder, ruled: Values, now: datetime) -> Reminder:
    wants_done = ruled["done"]
    if wants_done and not reminder.done:
        return reminder.complete(now)
    if not wants_done and reminder.done:
        return replace(reminder, done=False)
    return reminder


def _edit_journal(old: JournalEntry, values: Values, now: datetime) -> JournalEntry:
    """An edited text keeps the earlier one in the entry's history, as an edit in the app does."""
    rest = {k: v for k, v in values.items() if k != "text"}
    return replace(old.edit(values["text"], now), **rest)


TASKS = Kind("tasks", "Tasks", fields.TASK, lambda store: store.tasks, rule=_tick_task)
HABITS = Kind("habits", "Habits", fields.HABIT, lambda store: store.habits)
CHECKINS = Kind("checkins", "Check-ins", fields.CHECKIN, lambda store: store.checkins)
REMINDERS = Kind("reminders", "Reminders", fields.REMINDER, lambda store: store.reminders, rule=_tick_reminder)
# Only when the person turns it on.
JOURNAL = Kind("journal", "Journal", fields.JOURNAL, lambda store: store.journal, update=_edit_journal)

# Habits before check-ins: a check-in names its habit.
STANDARD_KINDS = (TASKS, HABITS, CHECKINS, REMINDERS)


def kinds(include_journal: bool) -> tuple[Kind, ...]:
    return (*STANDARD_KINDS, JOURNAL) if include_journal else STANDARD_KINDS
