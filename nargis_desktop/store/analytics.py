"""An in-memory DuckDB copy of what the Insights view counts, kept in step through the change log.

Why in memory rather than an encrypted DuckDB file (measured by `benchmarks/bench_insights.py`,
five years of data): loading the copy from the SQLCipher store takes about half a second once
per session, on a worker, after which a refresh reads only the rows the change log names.
Reopening an encrypted DuckDB file takes ~0.1 s, but it would need a second key in the keyring,
the httpfs extension for its AES and its own crash-safe cursor into the change log, to save
that one load. Nothing here touches the disk: DuckDB may not
spill to a temp folder, and journal text never enters it (only word counts, mood and vectors).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np

from nargis_desktop.errors import StoreError
from nargis_desktop.store.database import Store

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalyticsSettings:
    memory_limit_mb: int = 512
    threads: int = 2


# Each mirrored table: the store's query (rows not deleted) and DuckDB's typed columns. Dates
# and times stay the person's local wall time: a check-in belongs to the day it names, so a
# DST change or a trip never moves it to another day.
_TABLES: dict[str, tuple[str, str]] = {
    "habit": (
        "SELECT id, name, schedule, start, target, archived FROM habits WHERE deleted_at IS NULL",
        "id VARCHAR PRIMARY KEY, name VARCHAR, schedule VARCHAR, start DATE, target DOUBLE, archived BOOLEAN",
    ),
    "checkin": (
        "SELECT id, habit_id, day, value FROM checkins WHERE deleted_at IS NULL",
        "id VARCHAR PRIMARY KEY, habit_id VARCHAR, day DATE, value DOUBLE",
    ),
    "task": (
        "SELECT id, substr(due, 1, 10), CASE WHEN length(due) > 10 THEN substr(due, 1, 19) END, done "
        "FROM tasks WHERE deleted_at IS NULL",
        "id VARCHAR PRIMARY KEY, due_day DATE, due_at TIMESTAMP, done BOOLEAN",
    ),
    "journal": (
        "SELECT id, substr(created_at, 1, 19), text, mood FROM journal WHERE deleted_at IS NULL",
        "id VARCHAR PRIMARY KEY, created_at TIMESTAMP, words INTEGER, mood INTEGER",
    ),
    # A completion counts while it lives, even once its task is deleted: the work was done.
    "completion": (
        "SELECT id, task_id, substr(due, 1, 10), substr(completed_at, 1, 19) FROM task_completions "
        "WHERE deleted_at IS NULL",
        "id VARCHAR PRIMARY KEY, task_id VARCHAR, due_day DATE, completed_at TIMESTAMP",
    ),
}
# A synced row that waited for its parent is written to the store when the parent arrives, with no
# change of its own in the log: so a changed parent has its children re-read too.
_CHILDREN = {"habit": ("checkin", "habit_id"), "task": ("completion", "task_id")}
_CHUNK = 500  # ids per IN (...) list when refreshing
_FEW_ROWS = 32


class Analytics:
    """Owns the DuckDB connection; `refresh()` brings it up to the store's latest change."""

    def __init__(self, store: Store, settings: AnalyticsSettings | None = None) -> None:
        settings = settings or AnalyticsSettings()
        self._store = store
        try:
            self.db = duckdb.connect(
                ":memory:",
                config={
                    "memory_limit": f"{settings.memory_limit_mb}MB",
                    "threads": settings.threads,
                    "temp_directory": "",  # never spill personal data to a plaintext temp file
                    "autoinstall_known_extensions": False,
                },
            )
            self.db.execute("SET enable_external_access = false")  # no file reads or writes, no downloads
            self.db.execute("SET lock_configuration = true")
        except duckdb.Error as err:
            raise StoreError(f"could not start the analytics engine: {err}", code="analytics-failed") from err
        for name, (_, columns) in _TABLES.items():
            self.db.execute(f"CREATE TABLE {name} ({columns})")
        self.cursor = 0
        self.reload()

    def close(self) -> None:
        self.db.close()

    def reload(self) -> None:
        """Copy everything from the store (once per session; then `refresh`)."""
        with self._store.snapshot():
            cursor = self._latest_change()
            for name, (query, _) in _TABLES.items():
                self.db.execute(f"DELETE FROM {name}")
                self._insert(name, self._store.conn.execute(query))
        self.cursor = cursor

    def refresh(self) -> int:
        """Re-read the rows changed since the last refresh; returns how many items changed."""
        with self._store.snapshot():
            latest = self._latest_change()
            if latest == self.cursor:
                return 0
            changed: dict[str, set[str]] = {}
            for entity, entity_id in self._store.conn.execute(
                "SELECT DISTINCT entity, entity_id FROM changes WHERE seq > ? AND seq <= ?", (self.cursor, latest)
            ):
                changed.setdefault(entity, set()).add(entity_id)
            for entity, ids in changed.items():
                if entity in _TABLES:
                    self._replace(entity, _TABLES[entity][0], sorted(ids))
            for parent, (child, key) in _CHILDREN.items():
                if parent in changed:
                    self._replace(child, _TABLES[child][0], sorted(changed[parent]), key=key)
        self.cursor = latest
        return sum(len(ids) for ids in changed.values())

    def _latest_change(self) -> int:
        return int(self._store.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])

    def _replace(self, table: str, query: str, ids: Sequence[str], key: str = "id") -> None:
        """Re-read the rows whose `key` (a column of the same name here and in the store) is in `ids`."""
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ", ".join("?" * len(chunk))
            self.db.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", chunk)
            self._insert(table, self._store.conn.execute(f"{query} AND {key} IN ({marks})", chunk))

    def _insert(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        columns = [list(column) for column in zip(*rows, strict=True)]
        if not columns:
            return
        if table == "journal":  # the text becomes its word count before it reaches DuckDB
            columns[2] = [len(text.split()) for text in columns[2]]
        if len(columns[0]) <= _FEW_ROWS:  # a refresh after one edit: plain parameters are quickest
            marks = ", ".join("?" * len(columns))
            self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", [list(r) for r in zip(*columns, strict=True)])
            return
        # NumPy columns (DuckDB scans them in place); the INSERT casts text to dates and numbers.
        batch = {f"c{i}": np.array(column, dtype=object) for i, column in enumerate(columns)}
        self.db.register("incoming", batch)
        try:
            self.db.execute(f"INSERT INTO {table} SELECT * FROM incoming")
        finally:
            self.db.unregister("incoming")
