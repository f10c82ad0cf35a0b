"""Encrypted backups with sqlcipher_export: the copy is a whole SQLCipher file under the same key.

Everything here works on a connection it is given, so the store can back itself up (before a
migration) without this module knowing the store; a whole restore is store/restore.py."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

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


def replace_store_file(conn: Any, store_file: Path, backup_file: Path) -> None:
    """Put `backup_file` in place of the store file that `conn` has open, closing `conn` first."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    partial = store_file.with_name(store_file.name + ".partial")
    shutil.copyfile(backup_file, partial)
    _fsync(partial)
    for suffix in ("-wal", "-shm"):
        Path(str(store_file) + suffix).unlink(missing_ok=True)
    os.replace(partial, store_file)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
