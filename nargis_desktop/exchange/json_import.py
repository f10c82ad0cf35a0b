"""Import the JSON export: every item is checked first; one bad field and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.journal import JournalEntry, Revision, parse_mood
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.domain.when import parse_written
from nargis_desktop.errors import ImportFileError
from nargis_desktop.exchange.json_format import FORMAT_NAME, FORMAT_VERSION, KINDS, Snapshot
from nargis_desktop.store.database import Store
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

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._get(key, (list,), False) or []
        if not all(isinstance(v, str) for v in value):
            raise DomainError(f"{self.where}.{key}: expected a list of strings")
        return tuple(value)


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
    habit_ids: dict[str, str] = {}
    task_ids: set[str] = set()

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

    def habit(item: _Item) -> Habit:
        created_at = item.moment("created_at", False)
        built = Habit(
            id=item.text("id"),
            name=item.text("name"),
            schedule=Schedule.parse(item.text("schedule")),
            # no start given: the habit began when it was made (its check-ins may reach back further)
            start=item.day("start") if item.data.get("start") else created_at.date(),
            target=item.number("target"),
            unit=item.text("unit", False),
            archived=item.flag("archived"),
            created_at=created_at,
        )
        habit_ids[built.name.lower()] = built.id
        return built

    def checkin(item: _Item) -> CheckIn:
        name = item.text("habit")
        habit_id = habit_ids.get(" ".join(name.split()).lower())
        if habit_id is None:
            raise DomainError(f"{item.where}.habit: no habit called {name!r} in this file")
        return CheckIn(
            id=item.text("id"),
            habit_id=habit_id,
            day=item.day("date"),
            value=item.number("value"),
            note=item.text("note", False),
            created_at=item.moment("created_at", False),
        )

    def task(item: _Item) -> Task:
        built = Task(
            id=item.text("id"),
            title=item.text("title"),
            notes=item.text("notes", False),
            due=item.when("due"),
            priority=Priority.parse(item.optional_text("priority")),
            recurrence=item.optional_text("recurrence"),
            tags=item.strings("tags"),
            done=item.flag("done"),
            completed_at=item.moment("completed_at", False) if item.data.get("completed_at") else None,
            created_at=item.moment("created_at", False),
        )
        task_ids.add(built.id)
        return built

    def completion(item: _Item) -> TaskCompletion:
        task_id = item.text("task_id")
        if task_id not in task_ids:
            raise DomainError(f"{item.where}.task_id: no task with id {task_id!r} in this file")
        return TaskCompletion(
            id=item.text("id"),
            task_id=task_id,
            due=item.when("due"),
            completed_at=item.moment("completed_at"),
            created_at=item.moment("created_at", False),
        )

    def entry(item: _Item) -> JournalEntry:
        history = tuple(
            Revision(
                _Item(r, f"{item.where}.history[{i}]", now).text("text"),
                _Item(r, f"{item.where}.history[{i}]", now).moment("replaced_at"),
            )
            for i, r in enumerate(item.data.get("history") or [])
        )
        return JournalEntry(
            id=item.text("id"),
            text=item.text("text"),
            created_at=item.moment("created_at"),
            mood=parse_mood(item._get("mood", (int, str), False)),
            history=history,
        )

    def reminder(item: _Item) -> Reminder:
        return Reminder(
            id=item.text("id"),
            text=item.text("text"),
            at=item.moment("at"),
            recurrence=item.optional_text("recurrence"),
            done=item.flag("done"),
            snoozed_until=item.moment("snoozed_until", False) if item.data.get("snoozed_until") else None,
            created_at=item.moment("created_at", False),
        )

    each("habits", habit, snapshot.habits)
    each("checkins", checkin, snapshot.checkins)
    each("tasks", task, snapshot.tasks)
    each("completions", completion, snapshot.completions)  # absent from older exports: none
    each("journal", entry, snapshot.journal)
    each("reminders", reminder, snapshot.reminders)
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
