"""Tests reach no server but 127.0.0.1: the sizes of the built-in models' downloads that models.toml
lacks are put where a server's earlier answer would be kept, so no view asks the internet."""

from __future__ import annotations

import json

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.manifest import BUILTIN_MANIFEST, load_manifest

REMEMBERED_BYTES = 123_000_000


def remember_builtin_sizes(paths: ProfilePaths) -> None:
    urls = [f.url for e in load_manifest(BUILTIN_MANIFEST).values() for f in e.files if not f.size_bytes]
    paths.cache_dir.mkdir(parents=True, exist_ok=True)
    (paths.cache_dir / "model-sizes.json").write_text(json.dumps(dict.fromkeys(urls, REMEMBERED_BYTES)))
