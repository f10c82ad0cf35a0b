"""Import the JSON export: every item is checked first; one bad field and nothing is written.

Each kind's fields are read as its field map (`store/fields.py`) says."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.habits import Habit, Schedule
from nargis_desktop.domain.journal import Revision, parse_mood
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.domain.when import parse_written
from nargis_desktop.errors import ImportFileError
from nargis_desktop.exchange.json_format import FORMAT_NAME, FORMAT_VERSION, KINDS, Snapshot
from nargis_desktop.store import fields
from nargis_desktop.store.database import Store
from nargis_desktop.store.fields import Entity, IfMissing, Value
from nargis_desktop.store.repository import HasId, Repository

T = TypeVar("T", bound=HasId)
MAX_REPORTED_PROBLEMS = 10


class _Item:
    """Typed access to one object of the file, recording where a bad field is."""

    def __init__(self, data: Any, where: str, now: datetime) -> None:
        if not isinstance(data, dict):
            raise DomainError(f"{where}: expected an object, found {type(data).__name__}")
        self.data, self.where, self.now = data, where, now

    def _get(self, key: str, kinds: tuple[type, ...], required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise DomainError(f"{self.where}.{key}: missing")
            return None
        value = self.data[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise DomainError(f"{self.where}.{key}: expected {' or '.join(k.__name__ for k in kinds)}, found {value!r}")
        return value

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self._get(key, (str,), required)
        return default if value is None else str(value)

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, (str,), False)
        return None if value is None else str(value)

    def flag(self, key: str) -> bool:
        return bool(self._get(key, (bool,), False))

    def number(self, key: str) -> float | None:
        value = self._get(key, (int, float), False)
        return None if value is None else float(value)

    def when(self, key: str, required: bool = False) -> date | datetime | None:
        value = self._get(key, (str,), required)
        if value is None:
            return None
        try:
            return parse_written(value)
        except DomainError as err:
            raise DomainError(f"{self.where}.{key}: {value!r} is not an ISO date or date-time") from err

    def moment(self, key: str, required: bool = True) -> datetime:
        value = self.when(key, required)
        if value is None:
            return self.now
        if not isinstance(value, datetime):
            return datetime.combine(value, datetime.min.time())
        return value

    def day(self, key: str) -> date:
        value = self.when(key, True)
        assert value is not None
        return value.date() if isinstance(value, datetime) else value

    def mood(self, key: str) -> int | str | None:
        value: int | str | None = self._get(key, (int, str), False)
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._get(key, (list,), False) or []
        if not all(isinstance(v, str) for v in value):
            raise DomainError(f"{self.where}.{key}: expected a list of strings")
        return tuple(value)


@dataclass
class _Found:
    """What items read so far let later ones name: habits by name (check-ins), tasks by id (completions)."""

    habit_ids: dict[str, str] = field(default_factory=dict)  # lower-case name → id
    task_ids: set[str] = field(default_factory=set)

    def note(self, item: Any) -> None:
        if isinstance(item, Habit):
            self.habit_ids[item.name.lower()] = item.id
        elif isinstance(item, Task):
            self.task_ids.add(item.id)


def _habit(item: _Item, key: str, found: _Found) -> str:
    name = item.text(key)
    habit_id = found.habit_ids.get(" ".join(name.split()).lower())
    if habit_id is None:
        raise DomainError(f"{item.where}.{key}: no habit called {name!r} in this file")
    return habit_id


def _task(item: _Item, key: str, found: _Found) -> str:
    task_id = item.text(key)
    if task_id not in found.task_ids:
        raise DomainError(f"{item.where}.{key}: no task with id {task_id!r} in this file")
    return task_id


def _history(item: _Item, key: str, _found: _Found) -> tuple[Revision, ...]:
    return tuple(
        Revision(
            _Item(r, f"{item.where}.{key}[{i}]", item.now).text("text"),
            _Item(r, f"{item.where}.{key}[{i}]", item.now).moment("replaced_at"),
        )
        for i, r in enumerate(item.data.get(key) or [])
    )


# Each kind of value read from the file: (the item, its key, what was read before) → the value.
_Reader = Callable[[_Item, str, _Found], Any]
_FROM_JSON: dict[Value, _Reader] = {
    Value.ID: lambda item, key, _: item.text(key),
    Value.TEXT: lambda item, key, _: item.text(key),
    Value.NAME: lambda item, key, _: item.text(key),
    Value.NOTE: lambda item, key, _: item.text(key, False),
    Value.WHEN: lambda item, key, _: item.when(key),
    Value.DAY: lambda item, key, _: item.day(key),
    Value.MOMENT: lambda item, key, _: item.moment(key),
    Value.LATER_MOMENT: lambda item, key, _: item.moment(key, False) if item.data.get(key) else None,
    Value.FLAG: lambda item, key, _: item.flag(key),
    Value.NUMBER: lambda item, key, _: item.number(key),
    Value.PRIORITY: lambda item, key, _: Priority.parse(item.optional_text(key)),
    Value.RULE: lambda item, key, _: item.optional_text(key),
    Value.TAGS: lambda item, key, _: item.strings(key),
    Value.SCHEDULE: lambda item, key, _: Schedule.parse(item.text(key)),
    Value.MOOD: lambda item, key, _: parse_mood(item.mood(key)),
    Value.HISTORY: _history,
    Value.HABIT: _habit,
    Value.TASK: _task,
}


def _read_item(entity: Entity[Any], item: _Item, found: _Found) -> Any:
    values: dict[str, Any] = {}
    for f in entity.fields:
        key = f.json_key
        if f.if_missing is IfMissing.NOW:
            values[f.attr] = item.moment(key, False)
        elif f.if_missing is IfMissing.CREATION_DAY and not item.data.get(key):
            continue  # filled in below, once created_at is read
        else:
            values[f.attr] = _FROM_JSON[f.value](item, key, found)
    for f in entity.fields:
        if f.if_missing is IfMissing.CREATION_DAY and f.attr not in values:
            values[f.attr] = values["created_at"].date()  # the item began when it was made
    built = entity.build(values)
    found.note(built)
    return built


def _check_format(path: Path, data: dict[str, Any]) -> None:
    """A file that names its format must name ours, in a version this Nargis reads (hand-written
    files without the two fields are read as version 1)."""
    name = data.get("format", FORMAT_NAME)
    if name != FORMAT_NAME:
        raise ImportFileError(f"{path} is a {str(name)[:40]!r} file, not a Nargis export ({FORMAT_NAME!r})")
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError(f"{path} names no export version Nargis knows ({str(version)[:20]!r})")
    if version > FORMAT_VERSION:
        raise ImportFileError(
            f"{path} was written by a newer Nargis (export version {version}; this one reads up to "
            f"{FORMAT_VERSION}): update Nargis first"
        )


def read_snapshot(path: Path, now: datetime) -> Snapshot:
    """Parse and check the whole file; ImportFileError names every bad line or field (up to ten)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFileError(f"cannot read {path}: {err}") from err
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ImportFileError(f"{path} is not valid JSON: line {err.lineno}, column {err.colno}: {err.msg}") from err
    except RecursionError as err:
        raise ImportFileError(f"{path} is nested too deeply to be a Nargis export") from err
    except ValueError as err:  # e.g. an integer of thousands of digits (Python refuses to convert it)
        raise ImportFileError(f"{path} holds a value Nargis cannot read: {str(err)[:100]}") from err
    if not isinstance(data, dict) or not any(kind in data for kind in KINDS):
        raise ImportFileError(f"{path} is not a Nargis export: expected an object with {', '.join(KINDS)}")
    _check_format(path, data)
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as err:  # "\ud800" escapes decode to text that cannot be stored
        raise ImportFileError(f"{path} holds text with unpaired surrogates (not valid Unicode)") from err
    problems: list[str] = []
    snapshot = Snapshot()
    found = _Found()

    def each(kind: str, build: Callable[[_Item], Any], into: list[Any]) -> None:
        items = data.get(kind, [])
        if not isinstance(items, list):
            problems.append(f"{kind}: expected a list")
            return
        for index, raw_item in enumerate(items):
            try:
                into.append(build(_Item(raw_item, f"{kind}[{index}]", now)))
            except DomainError as err:
                where = f"{kind}[{index}]"
                problems.append(err.message if err.message.startswith(where) else f"{where}: {err.message}")

    def read(entity: Entity[Any]) -> Callable[[_Item], Any]:
        return lambda item: _read_item(entity, item, found)

    each("habits", read(fields.HABIT), snapshot.habits)
    each("checkins", read(fields.CHECKIN), snapshot.checkins)
    each("tasks", read(fields.TASK), snapshot.tasks)
    each("completions", read(fields.COMPLETION), snapshot.completions)  # absent from older exports: none
    each("journal", read(fields.JOURNAL), snapshot.journal)
    each("reminders", read(fields.REMINDER), snapshot.reminders)
    if problems:
        shown = "\n  ".join(problems[:MAX_REPORTED_PROBLEMS])
        more = (
            f"\n  … and {len(problems) - MAX_REPORTED_PROBLEMS} more" if len(problems) > MAX_REPORTED_PROBLEMS else ""
        )
        raise ImportFileError(f"nothing was imported; {path} has {len(problems)} problem(s):\n  {shown}{more}")
    return snapshot


def write_snapshot(store: Store, snapshot: Snapshot) -> dict[str, int]:
    """Add new items and update known ones (by id), all in one transaction."""
    counts: dict[str, int] = {}
    with store.transaction():
        counts["habits"] = _upsert(store.habits, snapshot.habits)
        counts["checkins"] = _upsert(store.checkins, snapshot.checkins)
        counts["tasks"] = _upsert(store.tasks, snapshot.tasks)
        counts["completions"] = _upsert(store.completions, snapshot.completions)
        counts["journal"] = _upsert(store.journal, snapshot.journal)
        counts["reminders"] = _upsert(store.reminders, snapshot.reminders)
    return counts


def _upsert(repo: Repository[T], items: list[T]) -> int:
    live, deleted = repo.ids(), repo.ids(deleted=True)
    repo.add_many([item for item in items if item.id not in live and item.id not in deleted])
    for item in items:
        if item.id in deleted:
            repo.undelete(item.id)
        if item.id in live or item.id in deleted:
            repo.save(item)
    return len(items)
