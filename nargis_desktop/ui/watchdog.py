"""Notice when the window stops responding: a main-thread stall over 250 ms is logged.

A timer on the main thread beats every 50 ms; a beat that comes late measures how long the event
loop was held. A watcher thread also looks while a stall lasts and logs where the main thread
is, so a freeze leaves a trace in the log rather than only a window that no longer repaints.

On Linux each stall is also split by the kernel's count of the time the thread was ready but
waited for a CPU (`/proc/thread-self/schedstat`): on a busy machine that part is not the app's.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback

from PySide6.QtCore import QObject, QTimer

_LOGGER = logging.getLogger(__name__)
BEAT_MS = 50
STALL_MS = 250


class StallWatchdog(QObject):
    """Measures the main thread's stalls; `longest_ms` is the longest since `reset`."""

    def __init__(self, parent: QObject | None = None, stall_ms: float = STALL_MS) -> None:
        super().__init__(parent)
        self.stall_ms = stall_ms
        self.longest_ms = 0.0
        self.longest_own_ms = 0.0  # the longest stall less the time the thread waited for a CPU
        self.stalls: list[float] = []  # every stall over `stall_ms`, in ms
        self._last = time.perf_counter()
        self._cpu_wait_ms = _cpu_wait_ms()
        self._main_thread = threading.get_ident()
        self._timer = QTimer(self)
        self._timer.setInterval(BEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self, watch_from_a_thread: bool = True) -> None:
        self.reset()
        self._timer.start()
        if watch_from_a_thread and self._watcher is None:
            self._stop.clear()
            self._watcher = threading.Thread(target=self._watch, name="nargis-stall-watcher", daemon=True)
            self._watcher.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=1)
            self._watcher = None

    def reset(self) -> None:
        self._last = time.perf_counter()
        self._cpu_wait_ms = _cpu_wait_ms()
        self.longest_ms = self.longest_own_ms = 0.0
        self.stalls = []

    def _beat(self) -> None:
        now, cpu_wait_ms = time.perf_counter(), _cpu_wait_ms()
        stalled_ms = (now - self._last) * 1000 - BEAT_MS  # the time the beat came late
        waited_ms = cpu_wait_ms - self._cpu_wait_ms
        self._last, self._cpu_wait_ms = now, cpu_wait_ms
        self.longest_ms = max(self.longest_ms, stalled_ms)
        self.longest_own_ms = max(self.longest_own_ms, stalled_ms - waited_ms)
        if stalled_ms > self.stall_ms:
            self.stalls.append(stalled_ms)
            _LOGGER.warning(
                "the window did not respond for %.0f ms (%.0f ms of it waiting for a CPU)", stalled_ms, waited_ms
            )

    def _watch(self) -> None:
        """While a stall lasts, log once where the main thread is (its Python stack)."""
        reported_for = 0.0
        while not self._stop.wait(self.stall_ms / 1000):
            last = self._last
            late_ms = (time.perf_counter() - last) * 1000 - BEAT_MS
            if late_ms > self.stall_ms and reported_for != last:
                reported_for = last
                frame = sys._current_frames().get(self._main_thread)
                where = "".join(traceback.format_stack(frame)) if frame is not None else "(not in Python)"
                _LOGGER.warning("the window has not responded for %.0f ms; the main thread is at:\n%s", late_ms, where)


def _cpu_wait_ms() -> float:
    """How long this thread has been ready to run but waiting for a CPU, in all (0 where unknown)."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as stats:
            return int(stats.read().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0
