"""Sync in the background: on a timer, on demand and when the server says there is news.

Pure threads, no Qt: the app starts a `BackgroundSyncer` with a function that runs one sync
(on a connection of its own) and reads `status` for the window. Offline means waiting longer
each time (up to `max_backoff_s`); a revoked device stops for good and says why.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from nargis_desktop.errors import NargisError, SyncAuthError, SyncKeyError

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackgroundSettings:
    interval_s: float = 60.0
    first_backoff_s: float = 2.0
    max_backoff_s: float = 300.0

    def __post_init__(self) -> None:
        if not 0 < self.first_backoff_s <= self.max_backoff_s:
            raise ValueError("backoff must be positive and first_backoff_s <= max_backoff_s")


class BackgroundSyncer:
    def __init__(self, run_sync: Callable[[], object], settings: BackgroundSettings | None = None) -> None:
        self._run_sync = run_sync
        self.settings = settings or BackgroundSettings()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.stopped_because: str | None = None
        self.last_error: str | None = None
        self.synced = threading.Event()  # set after each successful sync (tests and the UI wait on it)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="nargis-sync", daemon=True)
        self._thread.start()

    def sync_soon(self) -> None:
        """Something changed here or on the server: sync now instead of at the next tick."""
        self._wake.set()

    def join(self, timeout_s: float) -> None:
        """Wait for the loop to end by itself (it does after a fatal error)."""
        if self._thread is not None:
            self._thread.join(timeout_s)

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _loop(self) -> None:
        backoff_s = 0.0
        while not self._stop.is_set():
            try:
                self._run_sync()
            except (SyncAuthError, SyncKeyError) as err:
                self.stopped_because = err.message
                _LOGGER.warning("sync stopped: %s", err.message)
                return
            except NargisError as err:
                self.last_error = err.message
                backoff_s = min(self.settings.max_backoff_s, max(self.settings.first_backoff_s, backoff_s * 2))
                _LOGGER.info("sync failed (%s); next try in %.0f s", err.code, backoff_s)
            else:
                backoff_s, self.last_error = 0.0, None
                self.synced.set()
            self._wake.wait(backoff_s or self.settings.interval_s)
            self._wake.clear()


class LiveListener:
    """Holds the server's live stream open and calls `on_news` when another device pushed."""

    def __init__(self, url: str, access_token: Callable[[], str], on_news: Callable[[], None]) -> None:
        self._url = url
        self._token = access_token
        self._on_news = on_news
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="nargis-sync-live", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _loop(self) -> None:
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect

        while not self._stop.is_set():
            try:
                headers = {"Authorization": f"Bearer {self._token()}"}
                with connect(self._url, additional_headers=headers, open_timeout=5) as socket:
                    while not self._stop.is_set():
                        try:
                            socket.recv(timeout=0.5)
                        except TimeoutError:
                            continue
                        self._on_news()
            except (OSError, WebSocketException) as err:
                _LOGGER.info("live stream closed (%s); retrying", type(err).__name__)
                self._stop.wait(2.0)
