"""How much a model's download weighs, known before it starts: the manifest's sizes, else what the
server says to an HTTP HEAD request (remembered in the cache folder, so it is asked once)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nargis_desktop.models.manifest import ModelEntry

_LOGGER = logging.getLogger(__name__)
HEAD_TIMEOUT_S = 10.0

# Why a size cannot be given, in the person's words.
NOTHING_TO_DOWNLOAD = "nothing to download"  # it comes with a package (bundled) or is your own file
SERVER_UNREACHABLE = "size unknown: the server could not be reached"
SERVER_SILENT = "size unknown: the server does not say"


@dataclass(frozen=True)
class DownloadSize:
    total_bytes: int | None  # None: it cannot be known (see `unknown_because`)
    source: str  # "manifest", "server" (asked now or earlier), or "" when unknown
    unknown_because: str = ""

    def describe(self) -> str:
        """The size in words (1.2 GB, 40 MB), or why it is not known."""
        if self.total_bytes is None:
            return self.unknown_because
        return size_words(self.total_bytes)


def size_words(size_bytes: int) -> str:
    if size_bytes >= 10**9:
        return f"{size_bytes / 10**9:.1f} GB"
    if size_bytes >= 10**6:
        return f"{size_bytes / 10**6:,.0f} MB"
    return f"{max(1, round(size_bytes / 10**3))} kB"


class ServerSilentError(Exception):
    """The server answered the HEAD request without a Content-Length."""


def head_content_length(url: str, timeout_s: float = HEAD_TIMEOUT_S) -> int:
    """The size the server gives for `url` (following redirects, as a download would)."""
    import requests

    response = requests.head(url, allow_redirects=True, timeout=timeout_s)
    response.raise_for_status()
    length = response.headers.get("Content-Length")
    if length is None or not length.isdigit():
        raise ServerSilentError(url)
    return int(length)


class DownloadSizes:
    """Sizes of downloads, from the manifest or the server; what a server said is kept in `cache_file`."""

    def __init__(self, cache_file: Path, ask_server: Callable[[str], int] = head_content_length) -> None:
        self.cache_file, self.ask_server = cache_file, ask_server

    def known(self, entry: ModelEntry) -> DownloadSize | None:
        """Without asking any server: the size, or None when only a server can tell."""
        if not entry.files:
            return DownloadSize(None, "", NOTHING_TO_DOWNLOAD)
        remembered = self._remembered()
        sizes = [f.size_bytes or remembered.get(f.url, 0) for f in entry.files]
        if not all(sizes):
            return None
        from_manifest = all(f.size_bytes for f in entry.files)
        return DownloadSize(sum(sizes), "manifest" if from_manifest else "server")

    def look_up(self, entry: ModelEntry) -> DownloadSize:
        """The size, asking the server (HEAD) for each file the manifest gives no size for. Blocks: call
        it off the main thread."""
        known = self.known(entry)
        if known is not None:
            return known
        remembered = self._remembered()
        total = 0
        for file in entry.files:
            size = file.size_bytes or remembered.get(file.url, 0)
            if not size:
                try:
                    size = self.ask_server(file.url)
                except ServerSilentError:
                    return DownloadSize(None, "", SERVER_SILENT)
                except Exception as err:  # requests' errors, timeouts, HTTP errors: no size to give
                    _LOGGER.info("no size for %s: %s", file.url, err)
                    return DownloadSize(None, "", SERVER_UNREACHABLE)
                remembered[file.url] = size
                self._remember(remembered)
            total += size
        return DownloadSize(total, "server")

    def _remembered(self) -> dict[str, int]:
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(url): int(size) for url, size in data.items() if isinstance(size, int) and size > 0}

    def _remember(self, sizes: dict[str, int]) -> None:
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.cache_file.with_name(self.cache_file.name + ".partial")
            partial.write_text(json.dumps(sizes, indent=1), encoding="utf-8")
            os.replace(partial, self.cache_file)
        except OSError as err:  # a cache: without it the server is asked again next time
            _LOGGER.info("could not remember download sizes in %s: %s", self.cache_file, err)
