"""A token bucket for write requests, on an injectable clock and sleep so tests never really wait."""

from __future__ import annotations

from collections.abc import Callable

_ROUNDING = 1e-9  # a token short by float rounding is a whole token
_MIN_WAIT_S = 1e-3


class WriteBudget:
    def __init__(
        self,
        per_minute: float,
        burst: int,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._rate_per_s = per_minute / 60.0
        self._burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate_per_s)
        self._last = now

    def snapshot(self) -> str:
        """The bucket as text, kept between runs and processes (with a wall clock) so a new run gets no fresh burst."""
        self._refill()
        return f"{self._tokens!r} {self._last!r}"

    def restore(self, text: str) -> None:
        tokens, last = (float(part) for part in text.split())
        if last <= self._clock():  # a clock that went backwards (another machine, a test) starts afresh
            self._tokens, self._last = min(tokens, self._burst), last
            self._refill()

    def take(self) -> None:
        """Wait until one write may go out, then spend it."""
        self._refill()
        while self._tokens < 1.0 - _ROUNDING:
            self._sleep(max((1.0 - self._tokens) / self._rate_per_s, _MIN_WAIT_S))
            self._refill()
        self._tokens = max(0.0, self._tokens - 1.0)
