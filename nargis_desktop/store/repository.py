"""One repository per kind of item: rows in, domain objects out, every write in the change log."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from nargis_desktop.errors import InputError, NotFoundError
from nargis_desktop.store.codecs import Codec, Row, iso

if TYPE_CHECKING:
    from nargis_desktop.domain.completions import TaskCompletion
    from nargis_desktop.domain.habits import CheckIn, Habit
    from nargis_desktop.domain.journal import JournalEntry
    from nargis_desktop.domain.reminders import Reminder
    from nargis_desktop.domain.tasks import Task
    from nargis_desktop.store.database import Store


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)
Snapshot = dict[str, Any]  # an item's state for undo; only the repository that took it reads it
MIN_PREFIX_LENGTH = 4


class Repository(Generic[T]):
    def __init__(self, store: Store, codec: Codec[T]) -> None:
        self._store = store
        self.codec = codec
        self._select = f"SELECT {', '.join(codec.columns)} FROM {codec.table}"

    # Reading -------------------------------------------------------------------------
    def _rows(self, where: str = "", params: Sequence[Any] = (), order: str = "") -> Iterator[Row]:
        sql = f"{self._select} WHERE deleted_at IS NULL"
        if where:
            sql += f" AND ({where})"
        if order:
            sql += f" ORDER BY {order}"
        cursor = self._store.conn.execute(sql, tuple(params))
        for values in cursor:
            yield dict(zip(self.codec.columns, values, strict=True))

    def called(self, field: str, name: str) -> list[T]:
        """Items whose `field` is `name`, ignoring case."""
        return self._list(f"lower({self._column(field)}) = lower(?)", (name.strip(),))

    def containing(self, field: str, words: str) -> list[T]:
        """Items whose `field` contains `words`, ignoring case."""
        return self._list(f"instr(lower({self._column(field)}), lower(?)) > 0", (words.strip(),))

    def _column(self, field: str) -> str:
        if field not in self.codec.columns:
            raise ValueError(f"{self.codec.table} has no column {field!r}")
        return field

    def oldest_first(self) -> list[T]:
        """Every item, in the order they were made, ties by id: two reads of the same items list them alike."""
        return self._list(order="created_at, id")

    def _list(self, where: str = "", params: Sequence[Any] = (), order: str = "created_at") -> list[T]:
        """The SQL condition and order stay here: outside store/, code asks a named question."""
        return [self.codec.from_row(row) for row in self._rows(where, params, order)]

    def list(self) -> list[T]:
        """Every item not deleted, in the order they were made; for anything narrower, a named question."""
        return self._list()

    def get(self, item_id: str) -> T:
        rows = list(self._rows("id = ?", (item_id,)))
        if not rows:
            raise NotFoundError(f"no {self.codec.entity} with id {item_id}")
        return self.codec.from_row(rows[0])

    def find(self, reference: str) -> T:
        """By full id, or by an unambiguous id prefix of at least four characters (as shown in lists)."""
        reference = reference.strip().lower()
        if len(reference) < MIN_PREFIX_LENGTH:
            raise InputError(f"give at least {MIN_PREFIX_LENGTH} characters of the {self.codec.entity} id")
        rows = list(self._rows("id LIKE ? ESCAPE '\\'", (reference.replace("%", "\\%").replace("_", "\\_") + "%",)))
        if not rows:
            raise NotFoundError(f"no {self.codec.entity} with id {reference}")
        if len(rows) > 1:
            raise InputError(
                f"{len(rows)} {self.codec.entity}s have ids starting with {reference}; give more of the id",
                code="ambiguous-id",
            )
        return self.codec.from_row(rows[0])

    def ids(self, *, deleted: bool = False) -> set[str]:
        condition = "IS NOT NULL" if deleted else "IS NULL"
        return {
            row[0]
            for row in self._store.conn.execute(f"SELECT id FROM {self.codec.table} WHERE deleted_at {condition}")
        }

    def count(self) -> int:
        return int(
            self._store.conn.execute(f"SELECT count(*) FROM {self.codec.table} WHERE deleted_at IS NULL").fetchone()[0]
        )

    # Writing -------------------------------------------------------------------------
    def add(self, item: T) -> T:
        self.add_many([item])
        return item

    def add_many(self, items: Sequence[T]) -> None:
        rows = [self.codec.to_row(item) for item in items]
        if not rows:
            return
        columns = (*self.codec.columns, "updated_at")
        sql = f"INSERT INTO {self.codec.table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        with self._store.transaction():
            stamp = self._store.clock.now()
            updated = self._store.wall_time()
            self._store.conn.executemany(sql, [(*row.values(), updated) for row in rows])
            self._store.record_changes(self.codec.entity, [(row["id"], row) for row in rows], stamp)

    def save(self, item: T) -> T:
        """Write the fields that differ from the stored row; nothing if none do."""
        with self._store.transaction():
            old = self.codec.to_row(self.get(item.id))
            new = self.codec.to_row(item)
            changed = {k: v for k, v in new.items() if old[k] != v}
            if changed:
                self._update(item.id, changed)
        return item

    def delete(self, item_id: str) -> None:
        """Soft delete: the row stays (sync needs the tombstone) but nothing lists it."""
        with self._store.transaction():
            self.get(item_id)
            self._update(item_id, {"deleted_at": self._store.wall_time()})

    def undelete(self, item_id: str) -> None:
        with self._store.transaction():
            self._update(item_id, {"deleted_at": None})

    # Undo: callers keep a snapshot without knowing what is in it ------------------------
    def snapshot(self, item_id: str) -> Snapshot | None:
        """The item as it is now, as an opaque JSON-safe record for `restore`; None if there is none."""
        try:
            return self.codec.to_row(self.get(item_id))
        except NotFoundError:
            return None

    def restore(self, item_id: str, snapshot: Snapshot | None) -> None:
        """Put the item back as `snapshot` took it: undeleted if need be; deleted if there was none."""
        with self._store.transaction():
            if snapshot is None:
                if item_id in self.ids():
                    self.delete(item_id)  # a soft delete, so the undo syncs too
                return
            if item_id in self.ids(deleted=True):
                self.undelete(item_id)
            self.save(self.codec.from_row(snapshot))

    def _update(self, item_id: str, changed: Row) -> None:
        assignments = ", ".join(f"{column} = ?" for column in changed)
        self._store.conn.execute(
            f"UPDATE {self.codec.table} SET {assignments}, updated_at = ? WHERE id = ?",
            (*changed.values(), self._store.wall_time(), item_id),
        )
        self._store.record_changes(self.codec.entity, [(item_id, changed)], self._store.clock.now())


# The most one write of one item may hold, as UTF-8 JSON: it must fit one synced change (the wire
# allows 1 MiB of ciphertext). A journal entry of 500 KB is a short book; longer is split by hand.
MAX_ITEM_BYTES = 512 * 1024


_ITEM_WORDS = {"journal": "journal entry", "checkin": "check-in", "completion": "completion"}


def check_storable(entity: str, fields: Row) -> None:
    """Refuse, at write time and in plain words, what could not be synced later."""
    try:
        size = len(json.dumps(fields, ensure_ascii=False).encode("utf-8"))
    except UnicodeEncodeError as err:
        raise InputError(
            f"this {entity} holds characters that are not valid text (an unpaired surrogate); remove them",
            code="invalid-text",
        ) from err
    if size > MAX_ITEM_BYTES:
        raise InputError(
            f"this {_ITEM_WORDS.get(entity, entity)} is too large: {size:,} bytes, and one item may hold at most "
            f"{MAX_ITEM_BYTES:,} bytes ({MAX_ITEM_BYTES // 1024} KB); split a long text into two",
            code="item-too-large",
        )


# Named questions, one class per kind of item: callers outside store/ never write SQL.
class TaskRepository(Repository["Task"]):
    def by_due(self, *, done_too: bool = False) -> list[Task]:
        """Open tasks (or all), soonest due first, undated ones last."""
        return self._list("" if done_too else "done = 0", order="done, due IS NULL, due, created_at")

    def open_due_before(self, day: date) -> list[Task]:
        return self._list("done = 0 AND due < ?", (iso(day),), order="due, created_at")


class HabitRepository(Repository["Habit"]):
    def active(self) -> list[Habit]:
        """Habits not archived, by name."""
        return self._list("archived = 0", order="name")

    def active_oldest_first(self) -> list[Habit]:
        return self._list("archived = 0")


class CheckInRepository(Repository["CheckIn"]):
    def on(self, habit_id: str, day: date) -> list[CheckIn]:
        """The habit's check-in for that day (one at most, by the service's rule)."""
        return self._list("habit_id = ? AND day = ?", (habit_id, iso(day)))

    def of(self, habit_id: str) -> list[CheckIn]:
        return self._list("habit_id = ?", (habit_id,), order="day")

    def by_day(self) -> list[CheckIn]:
        return self._list(order="day")

    def oldest_first(self) -> list[CheckIn]:
        """By the day each names, then as made, ties by id."""
        return self._list(order="day, created_at, id")


class JournalRepository(Repository["JournalEntry"]):
    def newest_first(self) -> list[JournalEntry]:
        return self._list(order="created_at DESC")

    def since(self, moment: datetime) -> list[JournalEntry]:
        return self._list("created_at >= ?", (iso(moment),))

    def with_ids(self, ids: Sequence[str]) -> list[JournalEntry]:
        return self._list(f"id IN ({', '.join('?' * len(ids))})", list(ids)) if ids else []


class ReminderRepository(Repository["Reminder"]):
    _WHEN = "coalesce(snoozed_until, at)"  # when it rings next

    def by_time(self, *, done_too: bool = False) -> list[Reminder]:
        return self._list("" if done_too else "done = 0", order=self._WHEN)

    def open_ringing_by(self, moment: datetime) -> list[Reminder]:
        """Open reminders due at or before `moment`."""
        return self._list(f"done = 0 AND {self._WHEN} <= ?", (iso(moment),), order=self._WHEN)

    def open_ringing_between(self, after: datetime, up_to: datetime) -> list[Reminder]:
        return self._list(
            f"done = 0 AND {self._WHEN} > ? AND {self._WHEN} <= ?",
            (iso(after), iso(up_to)),
            order=self._WHEN,
        )

    def open_before_day(self, day: date) -> list[Reminder]:
        return self._list(f"done = 0 AND {self._WHEN} < ?", (iso(day),), order=self._WHEN)


class CompletionRepository(Repository["TaskCompletion"]):
    def of_kept_tasks(self) -> list[TaskCompletion]:
        """Completions of tasks not deleted, oldest first (an export names only tasks it holds)."""
        return self._list("task_id IN (SELECT id FROM tasks WHERE deleted_at IS NULL)", order="completed_at, id")

    def take_back(self, task_id: str, completed_at: datetime) -> None:
        """Undo completing the task at that moment: its completions then are (soft) deleted, so it syncs."""
        with self._store.transaction():
            for completion in self._list("task_id = ? AND completed_at = ?", (task_id, iso(completed_at))):
                self.delete(completion.id)
