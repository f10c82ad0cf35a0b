"""Live updates: tell a user's connected devices that new changes exist (never what they are).

With PostgreSQL every push sends NOTIFY on commit and every server process LISTENs, so a device
connected to any process hears of a push handled by any other; with SQLite (one process) the
news goes straight to the local subscribers.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import defaultdict

from nargis_sync_server.db import PG_CHANNEL, Database

_LOGGER = logging.getLogger(__name__)


class LiveHub:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._queues: dict[int, set[asyncio.Queue[int]]] = defaultdict(set)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        if self._db.postgres:
            self._thread = threading.Thread(target=self._listen, name="pg-listen", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def subscribe(self, user_id: int) -> asyncio.Queue[int]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        with self._lock:
            self._queues[user_id].add(queue)
        return queue

    def unsubscribe(self, user_id: int, queue: asyncio.Queue[int]) -> None:
        with self._lock:
            self._queues[user_id].discard(queue)

    def pushed(self, user_id: int) -> None:
        """Called after a push commits; PostgreSQL delivers through LISTEN instead."""
        if not self._db.postgres:
            self._deliver(user_id)

    def sessions_changed(self, user_id: int) -> None:
        """A logout or revoke: wake the user's streams (in every process) so each checks its token."""
        if self._db.postgres:
            with self._db.transaction() as tx:
                tx.notify(user_id)
        else:
            self._deliver(user_id)

    def _deliver(self, user_id: int) -> None:
        loop = self._loop
        if loop is None:
            return
        with self._lock:
            queues = list(self._queues.get(user_id, ()))
        for queue in queues:
            loop.call_soon_threadsafe(_offer, queue, user_id)

    def _listen(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._db.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {PG_CHANNEL}")
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self._deliver(int(note.payload))
            except psycopg.Error as err:
                _LOGGER.warning("live: lost the PostgreSQL listener (%s); reconnecting", type(err).__name__)
                self._stop.wait(1)


def _offer(queue: asyncio.Queue[int], user_id: int) -> None:
    # A full queue already holds a wake-up; the device pulls everything new in one go anyway.
    if not queue.full():
        queue.put_nowait(user_id)
