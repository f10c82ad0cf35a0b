"""Schema migrations: small numbered functions, applied in order, tracked in PRAGMA user_version."""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from nargis_desktop.errors import StoreError
from nargis_desktop.store.codecs import encode_fields
from nargis_desktop.store.hlc import HlcTimestamp, HybridClock

_LOGGER = logging.getLogger(__name__)

Migration = Callable[[Any], None]
MIGRATIONS: dict[int, Migration] = {}


def migration(version: int) -> Callable[[Migration], Migration]:
    def register(func: Migration) -> Migration:
        MIGRATIONS[version] = func
        return func

    return register


LATEST_VERSION = 6


def schema_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, target: int = LATEST_VERSION) -> int:
    """Bring the schema up to `target`, each step in its own transaction. Returns the old version."""
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise StoreError(
            f"this store was written by a newer Nargis (schema {current}, this one knows {LATEST_VERSION}); "
            "update Nargis",
            code="store-too-new",
        )
    for version in range(current + 1, target + 1):
        _LOGGER.info("migrating store to schema %d", version)
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current


_ITEM_COLUMNS = "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT"


@migration(1)
def _initial_schema(conn: Any) -> None:
    for statement in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"""CREATE TABLE tasks (id TEXT PRIMARY KEY, title TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '',
            due TEXT, priority TEXT NOT NULL DEFAULT 'none', recurrence TEXT, tags TEXT NOT NULL DEFAULT '[]',
            done INTEGER NOT NULL DEFAULT 0, completed_at TEXT, {_ITEM_COLUMNS})""",
        f"""CREATE TABLE habits (id TEXT PRIMARY KEY, name TEXT NOT NULL, schedule TEXT NOT NULL, start TEXT NOT NULL,
            target REAL, unit TEXT NOT NULL DEFAULT '', archived INTEGER NOT NULL DEFAULT 0, {_ITEM_COLUMNS})""",
        f"""CREATE TABLE checkins (id TEXT PRIMARY KEY, habit_id TEXT NOT NULL REFERENCES habits(id), day TEXT NOT NULL,
            value REAL, note TEXT NOT NULL DEFAULT '', {_ITEM_COLUMNS})""",
        f"""CREATE TABLE journal (id TEXT PRIMARY KEY, text TEXT NOT NULL, mood INTEGER,
            history TEXT NOT NULL DEFAULT '[]', {_ITEM_COLUMNS})""",
        f"""CREATE TABLE reminders (id TEXT PRIMARY KEY, text TEXT NOT NULL, at TEXT NOT NULL, recurrence TEXT,
            snoozed_until TEXT, done INTEGER NOT NULL DEFAULT 0, {_ITEM_COLUMNS})""",
        """CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
            fields TEXT NOT NULL, hlc TEXT NOT NULL, device_id TEXT NOT NULL)""",
        "CREATE INDEX checkins_by_habit_day ON checkins (habit_id, day)",
    ):
        conn.execute(statement)


@migration(2)
def _completions_and_agenda_indexes(conn: Any) -> None:
    """Completions of recurring tasks keep their history; Today reads open items by date."""
    for statement in (
        """CREATE TABLE task_completions (task_id TEXT NOT NULL REFERENCES tasks(id), due TEXT,
            completed_at TEXT NOT NULL)""",
        "CREATE INDEX task_completions_by_task ON task_completions (task_id)",
        "CREATE INDEX open_tasks_by_due ON tasks (due) WHERE deleted_at IS NULL AND done = 0",
        "CREATE INDEX open_reminders_by_at ON reminders (at) WHERE deleted_at IS NULL AND done = 0",
        "CREATE INDEX changes_by_entity ON changes (entity, entity_id)",
        "CREATE INDEX changes_by_hlc ON changes (hlc)",  # the clock resumes from max(hlc) at every open
    ):
        conn.execute(statement)


@migration(3)
def _sync_state(conn: Any) -> None:
    """Sync: changes from other devices keep their id (applying twice is a no-op), journal text
    changes name the versions they replaced, and concurrent journal edits keep the losing text."""
    for statement in (
        "ALTER TABLE changes ADD COLUMN change_id TEXT",  # NULL: written on this device
        "ALTER TABLE changes ADD COLUMN bases TEXT",  # JSON list of HLCs a journal text edit replaced
        "CREATE UNIQUE INDEX changes_by_change_id ON changes (change_id) WHERE change_id IS NOT NULL",
        "CREATE INDEX local_changes_by_seq ON changes (seq) WHERE change_id IS NULL",
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE journal_conflicts (entry_id TEXT NOT NULL, hlc TEXT NOT NULL, device_id TEXT NOT NULL,
            text TEXT NOT NULL, PRIMARY KEY (entry_id, hlc))""",
    ):
        conn.execute(statement)


@migration(4)
def _sheets_sync(conn: Any) -> None:
    """Google Sheets sync: settings, what each row looked like when last synced, conflicts, deletions."""
    for statement in (
        "CREATE TABLE sheets_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE sheets_rows (kind TEXT NOT NULL, item_id TEXT NOT NULL, cells TEXT NOT NULL,
            PRIMARY KEY (kind, item_id))""",
        """CREATE TABLE sheets_conflicts (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
            item_id TEXT NOT NULL, field TEXT NOT NULL, kept TEXT NOT NULL, discarded TEXT NOT NULL,
            local_hlc TEXT, recorded_at TEXT NOT NULL)""",
        """CREATE TABLE sheets_deletions (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
            item_id TEXT NOT NULL, deleted_at TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0)""",
    ):
        conn.execute(statement)


# Completions that existed before they synced get an id derived from what they record, so two
# copies of one store (a backup restored on a second device) migrate to the same ids, not twins.
_COMPLETION_IDS = uuid.UUID("6f1d7c43-2a5e-4b8e-9a51-0c3f2d9e7b10")


@migration(5)
def _synced_completions(conn: Any) -> None:
    """Task completions become synced items: an id, the item columns, and a change-log entry each."""
    conn.execute(
        f"""CREATE TABLE task_completions_v5 (id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks(id),
            due TEXT, completed_at TEXT NOT NULL, {_ITEM_COLUMNS})"""
    )
    old = conn.execute("SELECT task_id, due, completed_at FROM task_completions ORDER BY rowid").fetchall()
    seen: Counter[tuple[str, str | None, str]] = Counter()
    rows: list[tuple[Any, ...]] = []
    for task_id, due, completed_at in old:
        seen[(task_id, due, completed_at)] += 1
        name = json.dumps([task_id, due, completed_at, seen[(task_id, due, completed_at)]])
        rows.append((uuid.uuid5(_COMPLETION_IDS, name).hex, task_id, due, completed_at, completed_at, completed_at))
    conn.executemany(
        "INSERT INTO task_completions_v5 (id, task_id, due, completed_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    for statement in (
        "DROP TABLE task_completions",
        "ALTER TABLE task_completions_v5 RENAME TO task_completions",
        "CREATE INDEX task_completions_by_task ON task_completions (task_id)",
    ):
        conn.execute(statement)
    if rows:
        _log_existing_completions(conn, rows)


def _log_existing_completions(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    """Every other item's history is in the change log from its first write; these join it now."""
    found = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    if found is None:  # the Store names its device after migrating; a store with data always has one
        raise StoreError("this store has completions but no device id; it cannot be migrated", code="store-damaged")
    device_id = str(found[0])
    last = conn.execute("SELECT max(hlc) FROM changes").fetchone()[0]
    hlc = HybridClock(device_id, HlcTimestamp.decode(last) if last else None).now().encode()
    conn.executemany(
        "INSERT INTO changes (entity, entity_id, fields, hlc, device_id) VALUES ('completion', ?, ?, ?, ?)",
        [
            (
                item_id,
                encode_fields({"task_id": task_id, "due": due, "completed_at": done, "created_at": created}),
                hlc,
                device_id,
            )
            for item_id, task_id, due, done, created, _ in rows
        ],
    )


@migration(6)
def _sync_quarantine(conn: Any) -> None:
    """Synced changes that cannot be read or applied are set aside (with their ciphertext, so they
    can be tried again), instead of stopping sync; `sync status` counts them per device."""
    conn.execute(
        """CREATE TABLE sync_quarantine (change_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
            ciphertext TEXT NOT NULL, reason TEXT NOT NULL, received_at TEXT NOT NULL)"""
    )
