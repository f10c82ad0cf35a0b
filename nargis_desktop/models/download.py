"""Downloads that resume (HTTP Range), verify SHA-256 before use, and install atomically.

A download grows in `<target>.part`; only a complete file whose hash matches is renamed to
its final name, so a partial or corrupt file is never mistaken for a usable model.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nargis_desktop.errors import ChecksumError, DownloadCancelledError, DownloadError

_LOGGER = logging.getLogger(__name__)
CHUNK_BYTES = 1024 * 1024
DISK_MARGIN_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Progress:
    done_bytes: int
    total_bytes: int | None
    rate_bytes_per_s: float
    eta_s: float | None


@dataclass(frozen=True)
class DownloadSettings:
    retries: int = 4
    backoff_base_s: float = 0.5
    timeout_s: float = 30.0
    progress_interval_s: float = 0.2


ProgressCallback = Callable[[Progress], None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def part_path(target: Path) -> Path:
    return target.with_name(target.name + ".part")


def download(
    url: str,
    target: Path,
    *,
    sha256: str = "",
    size_bytes: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    settings: DownloadSettings | None = None,
    session: Any = None,
) -> Path:
    """Fetch `url` to `target`, resuming a `.part` left by an earlier attempt."""
    import requests

    settings = settings or DownloadSettings()
    session = session or requests.Session()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = part_path(target)
    _check_free_space(target.parent, (size_bytes or 0) - (partial.stat().st_size if partial.exists() else 0))
    for attempt in range(settings.retries + 1):
        try:
            _fetch(session, url, partial, size_bytes, progress, cancel, settings)
            break
        except DownloadCancelledError:
            raise
        except (requests.RequestException, _RetryableStatusError) as err:
            if attempt == settings.retries:
                raise DownloadError(
                    f"could not download {url}: {err} (kept {partial.stat().st_size if partial.exists() else 0} bytes; "
                    "run the same command again to resume)"
                ) from err
            delay = settings.backoff_base_s * (2**attempt) * (0.5 + random.random())
            _LOGGER.warning("download of %s failed (%s); retrying in %.1f s", url, err, delay)
            if (cancel or threading.Event()).wait(delay):  # waits the delay, or less if cancelled
                raise DownloadCancelledError("download cancelled") from err
    return _install(partial, target, sha256, size_bytes)


class _RetryableStatusError(Exception):
    pass


def _fetch(
    session: Any,
    url: str,
    partial: Path,
    size_bytes: int | None,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    settings: DownloadSettings,
) -> None:
    have = partial.stat().st_size if partial.exists() else 0
    if size_bytes is not None and have == size_bytes:
        return  # a previous run fetched everything but stopped before verifying
    headers = {"Range": f"bytes={have}-"} if have else {}
    with session.get(url, headers=headers, stream=True, timeout=settings.timeout_s) as response:
        if response.status_code == 416 and have:
            return  # nothing left to fetch: the hash check decides
        if response.status_code >= 500 or response.status_code == 429:
            raise _RetryableStatusError(f"HTTP {response.status_code}")
        if response.status_code not in (200, 206):
            raise DownloadError(f"could not download {url}: HTTP {response.status_code}")
        if response.status_code == 200 and have:
            _LOGGER.info("server ignored the range request; starting %s again", url)
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else size_bytes
        mode = "ab" if have else "wb"
        started, last_report, done = time.monotonic(), 0.0, have
        with partial.open(mode) as handle:
            for chunk in response.iter_content(CHUNK_BYTES):
                if cancel is not None and cancel.is_set():
                    raise DownloadCancelledError(f"download cancelled; {done} bytes kept to resume later")
                handle.write(chunk)
                done += len(chunk)
                now = time.monotonic()
                if progress is not None and now - last_report >= settings.progress_interval_s:
                    last_report = now
                    progress(_progress(done, total, done - have, now - started))
            handle.flush()
            os.fsync(handle.fileno())
        if total is not None and done < total:
            raise _RetryableStatusError(f"connection closed after {done} of {total} bytes")
        if progress is not None:
            progress(_progress(done, total, done - have, time.monotonic() - started))


def _progress(done: int, total: int | None, fetched: int, elapsed: float) -> Progress:
    rate = fetched / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if total is not None and rate > 0 else None
    return Progress(done_bytes=done, total_bytes=total, rate_bytes_per_s=rate, eta_s=eta)


def _install(partial: Path, target: Path, sha256: str, size_bytes: int | None) -> Path:
    if size_bytes is not None and partial.stat().st_size != size_bytes:
        actual_size = partial.stat().st_size
        partial.unlink()
        raise ChecksumError(f"{target.name}: expected {size_bytes} bytes, got {actual_size}; the file was deleted")
    if sha256:
        actual = sha256_of(partial)
        if actual != sha256.lower():
            partial.unlink()
            raise ChecksumError(
                f"{target.name}: SHA-256 mismatch (expected {sha256}, got {actual}); the file was deleted"
            )
    os.replace(partial, target)
    return target


def _check_free_space(folder: Path, needed_bytes: int) -> None:
    free = shutil.disk_usage(folder).free
    if needed_bytes > 0 and free < needed_bytes + DISK_MARGIN_BYTES:
        raise DownloadError(
            f"not enough free disk space in {folder}: need {needed_bytes // 2**20} MiB, have {free // 2**20} MiB",
            code="download-no-space",
        )
