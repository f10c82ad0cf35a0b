"""Work off the Qt main thread, results back by queued signal (engines, the store, sync).

Store work goes to one worker thread of its own, so reads and writes run in the order the window
asked for them (a journal autosave never overtakes the previous one) and never on the main thread.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

_RUNNING: set[Any] = set()  # jobs are kept alive until their result has been delivered


class _Relay(QObject):
    """Created on the main thread, so signals emitted by the worker are queued back to it."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._on_done, self._on_failed = on_done, on_failed
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    @Slot(object)
    def _deliver_done(self, value: Any) -> None:
        _RUNNING.discard(self)
        self._on_done(value)

    @Slot(object)
    def _deliver_failed(self, error: Any) -> None:
        _RUNNING.discard(self)
        self._on_failed(error)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as err:  # delivered to the window as a message, never a crash
            self.relay.failed.emit(err)
        else:
            self.relay.done.emit(result)


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    pool: QThreadPool | None = None,
) -> None:
    relay = _Relay(on_done, on_failed)
    _RUNNING.add(relay)
    (pool or QThreadPool.globalInstance()).start(_Job(work, relay))


@functools.cache
def store_pool() -> QThreadPool:
    """The single store worker: jobs run one at a time, first asked first run."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    pool.setExpiryTimeout(-1)  # the thread stays; no start-up cost per read
    return pool


class StoreWorker:
    """Runs store reads and writes on the store worker, holding `lock` (shared with the voice turn)."""

    def __init__(self, lock: threading.RLock, on_failed: Callable[[BaseException], None]) -> None:
        self.lock, self.on_failed = lock, on_failed

    def run(self, work: Callable[[], Any], then: Callable[[Any], None] = lambda _r: None) -> None:
        def locked() -> Any:
            with self.lock:
                return work()

        run_in_background(locked, then, self.on_failed, store_pool())
