"""Unpacking model archives (Vosk zips) without letting any member land outside the target."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

from nargis_desktop.errors import ModelError, UnsafeArchiveError


def unpack_zip(archive: Path, target: Path) -> Path:
    """Extract into a temporary sibling folder, then rename into place; refuses traversal and links."""
    staging = target.with_name(target.name + ".unpacking")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    root = staging.resolve()
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.infolist():
                destination = (root / member.filename).resolve()
                if destination != root and root not in destination.parents:
                    raise UnsafeArchiveError(
                        f"{archive.name}: member {member.filename!r} would be written outside the model folder"
                    )
                if stat.S_ISLNK(member.external_attr >> 16):
                    raise UnsafeArchiveError(f"{archive.name}: member {member.filename!r} is a symbolic link")
            bundle.extractall(root)
    except zipfile.BadZipFile as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(f"{archive.name} is not a valid zip archive: {err}", code="archive-bad") from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    entries = list(staging.iterdir())
    # Vosk zips hold one top folder; install its contents as the model folder.
    source = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
    if target.exists():
        shutil.rmtree(target)
    os.replace(source, target)
    shutil.rmtree(staging, ignore_errors=True)
    return target
