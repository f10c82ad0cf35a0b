"""The microphone and speaker interfaces; adapters: sounddevice devices and WAV files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

FRAME_MS = 20  # what a microphone delivers per callback, and a speaker writes per block

FramesCallback = Callable[[bytes], None]
EndCallback = Callable[[BaseException | None], None]


class Microphone(Protocol):
    """Delivers 16 kHz mono int16 frames to `on_frames` from its own thread until stopped.

    `on_end` is called once when the source ends by itself: None at the end of a file, the
    exception when a device is lost.
    """

    sample_rate_hz: int

    def start(self, on_frames: FramesCallback, on_end: EndCallback | None = None) -> None: ...

    def stop(self) -> None: ...


class Speaker(Protocol):
    """`realtime`: a write blocks at the pace of playback (a device). The player keeps such a
    stream fed with silence while it waits, so it never underruns."""

    realtime: bool

    def open(self, sample_rate_hz: int) -> None: ...

    def write(self, pcm16: bytes) -> None:
        """Play one block; returns when the device has taken it (so a stop lands within a block)."""
        ...

    def abort(self) -> None:
        """Drop whatever is queued in the device and stop at once."""
        ...

    def close(self) -> None: ...
