"""Changing where the data lives: move it to a new folder, or use a folder that already holds it.

The change is only recorded while the app runs (`request_move`, `request_use`) and carried out at
the next start, before the store is opened (`apply_pending`), so nothing is written to the old
folder after its copy was taken. A move copies everything, checks the copy byte for byte, and only
then points the profile at it and removes the old folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from nargis_desktop.config import DATA_FOLDER_FILE, ProfilePaths
from nargis_desktop.errors import InputError, StoreError

_LOGGER = logging.getLogger(__name__)
PENDING_FILE = "data-folder-pending.toml"
MOVE, USE = "move", "use"


@dataclass(frozen=True)
class PendingChange:
    action: str  # MOVE: copy the data there; USE: the data is already there
    target: Path


def pending(paths: ProfilePaths) -> PendingChange | None:
    file = paths.config_dir / PENDING_FILE
    if not file.is_file():
        return None
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    return PendingChange(str(data["action"]), Path(str(data["target"])))


def request_move(paths: ProfilePaths, target: Path) -> PendingChange:
    """Move the data to `target` (an empty or new folder) at the next start."""
    target = target.expanduser().resolve()
    if target == paths.data_dir.resolve() or target.is_relative_to(paths.data_dir.resolve()):
        raise InputError(f"{target} is the data folder itself or inside it", code="data-folder-inside")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(f"{target} is not an empty folder; choose an empty or a new one", code="data-folder-not-empty")
    return _record(paths, PendingChange(MOVE, target))


def request_use(paths: ProfilePaths, target: Path) -> PendingChange:
    """Use the Nargis data already in `target` from the next start (the current folder stays as it is)."""
    target = target.expanduser().resolve()
    if not (target / paths.store_file.name).is_file() or not (target / paths.key_file.name).is_file():
        raise InputError(
            f"{target} holds no Nargis data (no {paths.store_file.name} and {paths.key_file.name})",
            code="data-folder-empty",
        )
    return _record(paths, PendingChange(USE, target))


def cancel(paths: ProfilePaths) -> None:
    (paths.config_dir / PENDING_FILE).unlink(missing_ok=True)


def apply_pending(paths: ProfilePaths) -> ProfilePaths:
    """Carry out a recorded change (at start, before the store is opened); returns the paths to use."""
    change = pending(paths)
    if change is None:
        return paths
    try:
        if change.action == MOVE:
            _copy_verified(paths.data_dir, change.target)
        elif not (change.target / paths.store_file.name).is_file():
            raise InputError(f"{change.target} no longer holds Nargis data", code="data-folder-empty")
        _write_atomically(paths.config_dir / DATA_FOLDER_FILE, f"{change.target}\n")
    finally:
        cancel(paths)  # a failed change is not tried again at every start
    if change.action == MOVE:
        shutil.rmtree(paths.data_dir, ignore_errors=True)
        _LOGGER.info("moved the data from %s to %s", paths.data_dir, change.target)
    return paths.following_moved_data()


def _copy_verified(source: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    if target.exists() and any(target.iterdir()):
        raise InputError(f"{target} is no longer empty; nothing was moved", code="data-folder-not-empty")
    shutil.copytree(source, partial)
    for original in source.rglob("*"):
        if original.is_file():
            copy = partial / original.relative_to(source)
            if _sha256(original) != _sha256(copy):
                shutil.rmtree(partial, ignore_errors=True)
                raise StoreError(f"the copy of {original} differs; nothing was moved", code="data-folder-copy")
    if target.exists():
        target.rmdir()
    os.replace(partial, target)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _record(paths: ProfilePaths, change: PendingChange) -> PendingChange:
    import tomli_w

    text = tomli_w.dumps({"action": change.action, "target": str(change.target)})
    _write_atomically(paths.config_dir / PENDING_FILE, text)
    return change


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
