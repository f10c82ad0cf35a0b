"""The Store: one connection, one writer, transactions, the change log and the repositories."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from nargis_desktop.errors import NotAStoreError, StoreError
from nargis_desktop.store import codecs
from nargis_desktop.store.codecs import encode_fields
from nargis_desktop.store.connection import connect
from nargis_desktop.store.hlc import HlcTimestamp, HybridClock
from nargis_desktop.store.migrations import LATEST_VERSION, migrate, schema_version
from nargis_desktop.store.repository import (
    CheckInRepository,
    CompletionRepository,
    HabitRepository,
    JournalRepository,
    ReminderRepository,
    Repository,
    TaskRepository,
    check_storable,
)

_LOGGER = logging.getLogger(__name__)
_NARGIS_TABLES = {"meta", "tasks", "habits", "checkins", "journal", "reminders", "changes"}


class Store:
    """Pass a connection in (tests and tools bring their own) or use `Store.open`."""

    def __init__(self, conn: Any, *, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0
        migrate(conn)
        self.device_id = self._meta_value("device_id", default=lambda: uuid.uuid4().hex[:16])
        last = conn.execute("SELECT max(hlc) FROM changes").fetchone()[0]
        self.clock = HybridClock(self.device_id, HlcTimestamp.decode(last) if last else None)
        self.tasks = TaskRepository(self, codecs.TASKS)
        self.habits = HabitRepository(self, codecs.HABITS)
        self.checkins = CheckInRepository(self, codecs.CHECKINS)
        self.journal = JournalRepository(self, codecs.JOURNAL)
        self.reminders = ReminderRepository(self, codecs.REMINDERS)
        self.completions = CompletionRepository(self, codecs.COMPLETIONS)
        self._by_entity: dict[str, Repository[Any]] = {
            repo.codec.entity: repo
            for repo in (self.tasks, self.habits, self.checkins, self.journal, self.reminders, self.completions)
        }

    def repository(self, entity: str) -> Repository[Any]:
        """The repository of one kind of item, by the name its changes carry ("task", "checkin", …)."""
        return self._by_entity[entity]

    @classmethod
    def open(cls, path: Path, key: bytes) -> Store:
        """Open (or create) the store at `path`; an older schema is backed up, then migrated."""
        existed = path.exists() and path.stat().st_size > 0
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path, key)
        try:
            if existed:
                _check_is_nargis_store(conn, path)
                if 0 < schema_version(conn) < LATEST_VERSION:
                    from nargis_desktop.store.backup import backup_before_migration

                    backup_before_migration(conn, path, key)
            return cls(conn, path=path)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def is_open(self) -> bool:
        try:
            self.conn.execute("SELECT 1")
        except Exception:  # a closed connection refuses everything (sqlcipher3's ProgrammingError)
            return False
        return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE takes the write lock up front: one writer, no upgrade deadlocks."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            self._observe_other_connections()
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def _observe_other_connections(self) -> None:
        """Another connection to this file (the app's background sync, a `nargis sync now`) may have
        applied changes from other devices since this clock last looked: a write made here after
        them must be dated after them, or it would lose to what it replaced (indexed, so cheap)."""
        clock: HybridClock | None = getattr(self, "clock", None)  # None while the store is being opened
        if clock is None:
            return
        last = self.conn.execute("SELECT max(hlc) FROM changes").fetchone()[0]
        if last:
            clock.observe(HlcTimestamp.decode(last))

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one consistent state, even while another connection writes (WAL)."""
        if self._depth or self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN DEFERRED")
        self._depth = 1
        try:
            yield
        finally:
            self.conn.execute("COMMIT")
            self._depth = 0

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Everything written inside is undone at the end (`--dry-run`)."""
        if self._depth:
            raise RuntimeError("rolled_back() cannot run inside another transaction")
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")
            self._depth = 0

    def version(self) -> tuple[int, int]:
        """Changes as a pair that moves on every write: rows this connection changed, and commits
        by other connections to the file (a background sync, a `nargis` command). Equal pairs: equal data."""
        other_commits = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return int(self.conn.total_changes), int(other_commits)

    def last_change_stamp(self) -> str | None:
        """The newest change's stamp: anything cached from the data is stale once it moves."""
        row = self.conn.execute("SELECT max(hlc) FROM changes").fetchone()
        return str(row[0]) if row and row[0] else None

    def wall_time(self) -> str:
        return datetime.now().replace(microsecond=0).isoformat()

    def record_changes(self, entity: str, changes: Iterable[tuple[str, dict[str, Any]]], stamp: HlcTimestamp) -> None:
        """One row per write: the fields it set, under one hybrid-clock timestamp."""
        changes = list(changes)
        for _, fields in changes:
            check_storable(entity, fields)
        hlc = stamp.encode()
        self.conn.executemany(
            "INSERT INTO changes (entity, entity_id, fields, hlc, device_id) VALUES (?, ?, ?, ?, ?)",
            [(entity, item_id, encode_fields(fields), hlc, self.device_id) for item_id, fields in changes],
        )

    def remembered(self, key: str) -> str | None:
        """A value kept in the store's meta table (dialogue state and the like), or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def remember(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def _meta_value(self, key: str, default: Any) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row:
            return str(row[0])
        value = str(default())
        with self.transaction():
            self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
        return str(self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])

    def integrity_problems(self) -> list[str]:
        """SQLCipher's page HMAC check and SQLite's structure check; empty when all is well."""
        problems: list[str] = []
        for pragma in ("cipher_integrity_check", "integrity_check"):
            try:
                problems += [str(r[0]) for r in self.conn.execute(f"PRAGMA {pragma}") if r[0] != "ok"]
            except Exception as err:  # sqlcipher3.DatabaseError: too damaged to even check
                problems.append(f"{pragma}: {err}")
        return problems


def _check_is_nargis_store(conn: Any, path: Path) -> None:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except Exception as err:  # sqlcipher3.DatabaseError: a damaged file
        raise StoreError(f"the store {path} is damaged: {err}", code="store-damaged") from err
    if schema_version(conn) == 0 or not tables >= _NARGIS_TABLES:
        raise NotAStoreError(f"{path} is an encrypted database, but not a Nargis store")
