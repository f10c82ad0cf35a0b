"""How each kind of item becomes a row and back, as its field map says. Dates are ISO text, lists JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from nargis_desktop.domain.habits import Schedule
from nargis_desktop.domain.journal import Revision
from nargis_desktop.domain.tasks import Priority
from nargis_desktop.store import fields
from nargis_desktop.store.fields import Entity, Value

T = TypeVar("T")
Row = dict[str, Any]


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def parse_iso(text: str | None) -> date | datetime | None:
    if text is None:
        return None
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def parse_datetime(text: str) -> datetime:
    value = parse_iso(text)
    assert isinstance(value, datetime), text
    return value


def parse_optional_datetime(text: str | None) -> datetime | None:
    return None if text is None else parse_datetime(text)


def parse_date(text: str) -> date:
    return date.fromisoformat(text[:10])


def _history_to_text(history: tuple[Revision, ...]) -> str:
    return json.dumps([{"text": r.text, "replaced_at": iso(r.replaced_at)} for r in history])


def _history_from_text(text: str) -> tuple[Revision, ...]:
    return tuple(Revision(r["text"], parse_datetime(r["replaced_at"])) for r in json.loads(text))


def _same(value: Any) -> Any:
    return value


# Each kind of value as a column's value and back.
_ROW: dict[Value, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    Value.ID: (_same, _same),
    Value.TEXT: (_same, _same),
    Value.NAME: (_same, _same),
    Value.NOTE: (_same, _same),
    Value.WHEN: (iso, parse_iso),
    Value.DAY: (iso, parse_date),
    Value.MOMENT: (iso, parse_datetime),
    Value.LATER_MOMENT: (iso, parse_optional_datetime),
    Value.FLAG: (int, bool),
    Value.NUMBER: (_same, _same),
    Value.PRIORITY: (lambda p: p.value, Priority),
    Value.RULE: (_same, _same),
    Value.TAGS: (lambda tags: json.dumps(list(tags)), lambda text: tuple(json.loads(text))),
    Value.SCHEDULE: (lambda s: s.text, Schedule.parse),
    Value.MOOD: (_same, _same),
    Value.HISTORY: (_history_to_text, _history_from_text),
    Value.HABIT: (_same, _same),
    Value.TASK: (_same, _same),
}


@dataclass(frozen=True)
class Codec(Generic[T]):
    """An item as a row of its table and back, as its field map says."""

    field_map: Entity[T]

    @property
    def entity(self) -> str:
        return self.field_map.name

    @property
    def table(self) -> str:
        return self.field_map.table

    @property
    def columns(self) -> tuple[str, ...]:
        return self.field_map.columns

    def to_row(self, item: T) -> Row:
        return {f.column_name: _ROW[f.value][0](getattr(item, f.attr)) for f in self.field_map.fields}

    def from_row(self, row: Row) -> T:
        return self.field_map.build({f.attr: _ROW[f.value][1](row[f.column_name]) for f in self.field_map.fields})


TASKS = Codec(fields.TASK)
HABITS = Codec(fields.HABIT)
CHECKINS = Codec(fields.CHECKIN)
JOURNAL = Codec(fields.JOURNAL)
REMINDERS = Codec(fields.REMINDER)
COMPLETIONS = Codec(fields.COMPLETION)


def encode_fields(fields: Row) -> str:
    """A change's fields as the change log keeps them: compact, keys sorted (so equal means equal)."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))
