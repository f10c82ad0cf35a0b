"""Encrypted backups with sqlcipher_export: the copy is a whole SQLCipher file under the same key."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from nargis_desktop.errors import InputError, StoreError

_LOGGER = logging.getLogger(__name__)


def export_copy(conn: Any, destination: Path, key: bytes) -> None:
    """Write a consistent encrypted copy of the open store to `destination` (atomically)."""
    destination = destination.expanduser().resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    conn.execute("ATTACH DATABASE ? AS backup KEY ?", (str(partial), f"x'{key.hex()}'"))
    try:
        conn.execute("SELECT sqlcipher_export('backup')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA backup.user_version = {int(version)}")
    finally:
        conn.execute("DETACH DATABASE backup")
    _fsync(partial)
    os.replace(partial, destination)


def backup_before_migration(conn: Any, path: Path, key: bytes) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.parent / "backups" / f"before-migration-{stamp}.db"
    export_copy(conn, target, key)
    _LOGGER.info("backed up the store to %s before migrating", target)
    return target


def restore(store: Any, backup_file: Path, key: bytes) -> Path:
    """Replace the open `store` with a verified backup and close it.

    The replaced data is first exported beside the store file, so a restore is undoable.
    """
    from nargis_desktop.store.database import Store

    if not backup_file.is_file():
        raise InputError(f"no backup file at {backup_file}", code="not-found")
    with Store.open(backup_file, key) as candidate:  # refuses wrong keys and foreign files
        problems = candidate.integrity_problems()
    if problems:
        raise StoreError(f"the backup {backup_file} is damaged: {problems[0]}", code="store-damaged")
    store_file: Path = store.path
    kept = store_file.parent / "backups" / f"before-restore-{datetime.now():%Y%m%d-%H%M%S}.db"
    export_copy(store.conn, kept, key)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    partial = store_file.with_name(store_file.name + ".partial")
    shutil.copyfile(backup_file, partial)
    _fsync(partial)
    for suffix in ("-wal", "-shm"):
        Path(str(store_file) + suffix).unlink(missing_ok=True)
    os.replace(partial, store_file)
    _start_new_device_epoch(store_file, key)
    return kept


def _start_new_device_epoch(store_file: Path, key: bytes) -> None:
    """A restored store that synced before continues as a new device: its sequence numbers repeat
    ones the server already holds from the data it replaced, so its new changes need new ids."""
    from nargis_desktop.store import sync_state
    from nargis_desktop.store.database import Store

    with Store.open(store_file, key) as restored:
        if sync_state.was_synced(restored):
            sync_state.start_new_epoch(restored)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
