"""Restoring a backup: check it, keep the data it replaces, put it in place, continue as a new device."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from nargis_desktop.errors import InputError, StoreError
from nargis_desktop.store import sync_state
from nargis_desktop.store.backup import export_copy, replace_store_file
from nargis_desktop.store.database import Store


def restore(store: Store, backup_file: Path, key: bytes) -> Path:
    """Replace the open `store` with a verified backup and close it.

    The replaced data is first exported beside the store file, so a restore is undoable.
    """
    if not backup_file.is_file():
        raise InputError(f"no backup file at {backup_file}", code="not-found")
    with Store.open(backup_file, key) as candidate:  # refuses wrong keys and foreign files
        problems = candidate.integrity_problems()
    if problems:
        raise StoreError(f"the backup {backup_file} is damaged: {problems[0]}", code="store-damaged")
    store_file = store.path
    assert store_file is not None, "a restore replaces a store file"
    kept = store_file.parent / "backups" / f"before-restore-{datetime.now():%Y%m%d-%H%M%S}.db"
    export_copy(store.conn, kept, key)
    replace_store_file(store.conn, store_file, backup_file)
    _start_new_device_epoch(store_file, key)
    return kept


def _start_new_device_epoch(store_file: Path, key: bytes) -> None:
    """A restored store that synced before continues as a new device: its sequence numbers repeat
    ones the server already holds from the data it replaced, so its new changes need new ids."""
    with Store.open(store_file, key) as restored:
        if sync_state.was_synced(restored):
            sync_state.start_new_epoch(restored)
