"""Schema migrations: small numbered functions, applied in order, tracked in PRAGMA user_version."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nargis_desktop.errors import StoreError

_LOGGER = logging.getLogger(__name__)

Migration = Callable[[Any], None]
MIGRATIONS: dict[int, Migration] = {}


def migration(version: int) -> Callable[[Migration], Migration]:
    def register(func: Migration) -> Migration:
        MIGRATIONS[version] = func
        return func

    return register


LATEST_VERSION = 4


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
