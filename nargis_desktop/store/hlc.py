"""Hybrid logical clock: wall time that never runs backwards, plus a counter and device id.

Every change in the log carries one, so devices can later order edits without trusting
their wall clocks (Kulkarni et al., "Logical Physical Clocks", 2014).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class HlcTimestamp:
    wall_ms: int
    counter: int
    device_id: str

    def encode(self) -> str:
        """Fixed-width text that sorts like the timestamp itself."""
        return f"{self.wall_ms:013d}-{self.counter:06d}-{self.device_id}"

    @classmethod
    def decode(cls, text: str) -> HlcTimestamp:
        wall, counter, device = text.split("-", 2)
        return cls(int(wall), int(counter), device)


class HybridClock:
    def __init__(
        self,
        device_id: str,
        last: HlcTimestamp | None = None,
        wall_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self.device_id = device_id
        self._wall_ms = wall_ms
        self._last_wall = last.wall_ms if last else 0
        self._last_counter = last.counter if last else 0
        self._lock = threading.Lock()

    def now(self) -> HlcTimestamp:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last_wall:
                self._last_wall, self._last_counter = wall, 0
            else:
                self._last_counter += 1
            return HlcTimestamp(self._last_wall, self._last_counter, self.device_id)

    def observe(self, remote: HlcTimestamp) -> HlcTimestamp:
        """Advance past a timestamp received from another device."""
        with self._lock:
            wall = self._wall_ms()
            top = max(wall, self._last_wall, remote.wall_ms)
            if top == self._last_wall == remote.wall_ms:
                counter = max(self._last_counter, remote.counter) + 1
            elif top == self._last_wall:
                counter = self._last_counter + 1
            elif top == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._last_wall, self._last_counter = top, counter
            return HlcTimestamp(top, counter, self.device_id)
