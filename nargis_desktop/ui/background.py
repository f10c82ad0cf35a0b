"""Work off the Qt main thread, results back by queued signal (engines, the store, sync).

Store work goes to one worker thread of its own, so reads and writes run in the order the window
asked for them (a journal autosave never overtakes the previous one) and never on the main thread.

Every worker is a Python thread (`threading.Thread`), not a QThreadPool thread. On a Qt pool thread
PySide gives each job a Python thread state of its own and frees it when the job ends; DuckDB's
binding (pybind11) keeps the thread state it last saw on that thread, so on a later job it waited
for the GIL under the freed state while the thread already held it under the new one: a GIL
self-deadlock that froze the window for good (the second visit to Insights). A Python thread keeps
one thread state for its whole life, so every extension sees the same one on every job.
"""

from __future__ import annotations

import functools
import gc
import itertools
import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

GC_INTERVAL_MS = 5000
FULL_GC_EVERY = 12  # of those collections (a minute): the oldest objects are looked at less often
GIL_SWITCH_INTERVAL_S = 0.001


class _Relay(QObject):
    """One for the process, created on the main thread: results emitted by workers are queued back to
    it. Workers hold only a job number, so no Qt object is ever released on a worker thread."""

    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self.numbers = itertools.count()
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    @Slot(int, object)
    def _deliver_done(self, number: int, value: Any) -> None:
        on_done, _ = self.waiting.pop(number)
        on_done(value)

    @Slot(int, object)
    def _deliver_failed(self, number: int, error: Any) -> None:
        _, on_failed = self.waiting.pop(number)
        on_failed(error)


@functools.cache
def _relay() -> _Relay:
    keep_garbage_collection_on_the_main_thread()
    hand_the_gil_over_quickly()
    return _Relay()


def hand_the_gil_over_quickly() -> None:
    """A worker busy in Python keeps the GIL until another thread has waited the switch interval
    (5 ms by default), and the window's thread waits that long for every call into Python it makes
    while drawing (slots, timers, overridden paint events): a view switch during a store read
    stalled for tens of ms that way. At 1 ms the window waits less; the worker switches more often
    only while someone is waiting."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def keep_garbage_collection_on_the_main_thread() -> None:
    """Python may collect garbage on whichever thread allocates; a Qt object freed on a worker
    thread crashes the app. So automatic collection is off and a main-thread timer collects."""
    gc.disable()
    keep_what_is_loaded()
    timer = QTimer(QCoreApplication.instance())
    timer.timeout.connect(_collect_when_idle)
    timer.start(GC_INTERVAL_MS)


_collections = itertools.count(1)


def _collect_when_idle() -> None:
    """Not while workers build objects (a model loading): the collection would scan them all.

    The young generations each time, all of them once a minute: a full collection looks at every
    object not frozen by `keep_what_is_loaded`, tens of ms of the main thread."""
    if not background_pool().activeThreadCount() and not store_pool().activeThreadCount():
        gc.collect(2 if next(_collections) % FULL_GC_EVERY == 0 else 1)


def keep_what_is_loaded() -> None:
    """Exempt everything alive now (modules, loaded models) from later collections: a full
    collection over a loaded speech model's objects stalls the main thread for half a second."""
    gc.freeze()


class WorkerThreads:
    """A pool of long-lived Python threads with the calls of QThreadPool this app uses."""

    def __init__(self, name: str, max_threads: int) -> None:
        self.name, self.max_threads = name, max_threads
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._changed = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._waiting = self._running = 0

    def start(self, job: _Job) -> None:
        with self._changed:
            self._waiting += 1
            if self._waiting > len(self._threads) - self._running and len(self._threads) < self.max_threads:
                thread = threading.Thread(target=self._serve, name=f"{self.name}-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()
        self._jobs.put(job)

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            with self._changed:
                self._waiting -= 1
                self._running += 1
            try:
                job.run()
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()

    def activeThreadCount(self) -> int:  # noqa: N802 - QThreadPool's name
        """Jobs running or waiting to run."""
        with self._changed:
            return self._waiting + self._running

    def waitForDone(self, msecs: int = -1) -> bool:  # noqa: N802 - QThreadPool's name
        """Until every job asked for so far has ended (False if `msecs` passed first)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: not self._waiting and not self._running, None if msecs < 0 else msecs / 1000
            )


class _Job:
    def __init__(self, work: Callable[[], Any], number: int) -> None:
        self.work: Callable[[], Any] | None = work
        self.number = number

    def run(self) -> None:
        relay, work = _relay(), self.work
        self.work = None
        assert work is not None
        try:
            result = work()
        except Exception as err:  # delivered to the window as a message, never a crash
            relay.failed.emit(self.number, err)
        else:
            relay.done.emit(self.number, result)


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    pool: WorkerThreads | None = None,
) -> None:
    """Call on the main thread: `work` runs on `pool` (engines, sync, turns by default), then
    `on_done` or `on_failed` here."""
    relay = _relay()
    number = next(relay.numbers)
    relay.waiting[number] = (on_done, on_failed)
    (pool or background_pool()).start(_Job(work, number))


@functools.cache
def background_pool() -> WorkerThreads:
    """Model loading, voice turns, typed commands, sync and notifications."""
    return WorkerThreads("nargis-worker", max(4, os.cpu_count() or 1))


@functools.cache
def store_pool() -> WorkerThreads:
    """The single store worker: jobs run one at a time, first asked first run."""
    return WorkerThreads("nargis-store", 1)


class StoreWorker:
    """Runs store reads and writes on the store worker, holding `lock` (shared with the voice turn)."""

    def __init__(self, lock: threading.RLock, on_failed: Callable[[BaseException], None]) -> None:
        self.lock, self.on_failed = lock, on_failed
        self.stopped = False

    def stop(self) -> None:
        """The window is closing and the store with it: work asked for from now on is dropped.

        A result delivered while the window closes may ask for a fresh read; run, it would still
        be reading when the store is closed under it (which aborts the process)."""
        self.stopped = True

    def run(self, work: Callable[[], Any], then: Callable[[Any], None] = lambda _r: None) -> None:
        if self.stopped:
            return

        def locked() -> Any:
            with self.lock:
                return work()

        run_in_background(locked, then, self.on_failed, store_pool())
