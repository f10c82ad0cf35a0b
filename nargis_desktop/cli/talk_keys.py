"""The terminal as a talk key: Enter or Space held (or tapped twice) makes one voice turn.

A terminal never reports a key's release, only the characters it types — and a held key types
one, then after the repeat delay (250–660 ms) one every ~30 ms. So: the first key starts
listening; while listening, keys end the turn once they have stopped coming for `REPEAT_GAP_S`.
A held key's repeats keep postponing that end, and letting go ends it: one hold is one turn,
however long. A tap to start and a tap to stop work the same way. The release is stamped with
the moment of the last key, not the moment the gap ran out.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from types import TracebackType
from typing import Any, Protocol

REPEAT_GAP_S = 0.12  # longer than any auto-repeat interval, shorter than a deliberate second tap
TALK_KEYS = {b"\n", b"\r", b" "}
QUIT_KEYS = {b"q", b"Q", b"\x04"}  # q, or Ctrl-D


class Talkable(Protocol):
    @property
    def listening(self) -> bool: ...

    def press(self, at_ns: int | None = None) -> None: ...

    def release(self, at_ns: int | None = None) -> None: ...


class TalkKeys:
    """Reads keys from a file descriptor (one at a time from a terminal) and turns them into turns."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._keys: queue.Queue[tuple[bytes, float]] = queue.Queue()
        self._saved: Any = None

    def __enter__(self) -> TalkKeys:
        if os.isatty(self.fd) and sys.platform != "win32":
            import termios
            import tty

            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)  # each key at once, no echo of the spaces; Ctrl-C still interrupts
        threading.Thread(target=self._read, name="talk-keys", daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 64)
            except OSError:
                data = b""
            if not data:
                self._keys.put((b"\x04", time.monotonic()))  # end of input: quit
                return
            now = time.monotonic()
            for index in range(len(data)):
                self._keys.put((data[index : index + 1], now))

    def run(self, pipeline: Talkable) -> None:
        """Until q, Ctrl-D or the end of input."""
        release_after: float | None = None  # while listening: when the keys stopped coming
        while True:
            timeout = None if release_after is None else max(0.0, release_after + REPEAT_GAP_S - time.monotonic())
            try:
                key, at = self._keys.get(timeout=timeout)
            except queue.Empty:
                pipeline.release(_ns(release_after))
                release_after = None
                continue
            if key in QUIT_KEYS:
                if release_after is not None:
                    pipeline.release(_ns(release_after))
                return
            if key not in TALK_KEYS:
                continue
            if release_after is not None:
                release_after = at  # a repeat of the held key, or the tap that ends the turn
            elif not pipeline.listening:
                pipeline.press(_ns(at))
                release_after = None
                self._drain_repeats()
            else:
                release_after = at  # hands-free turn: a key ends it early

    def _drain_repeats(self) -> None:
        """Keys that arrived in the same burst as the press (a pasted or fast-repeating key) start nothing."""
        while True:
            try:
                key, _at = self._keys.get_nowait()
            except queue.Empty:
                return
            if key not in TALK_KEYS:
                self._keys.put((key, _at))
                return


def _ns(monotonic_s: float | None) -> int | None:
    return None if monotonic_s is None else int(monotonic_s * 1e9)


def describe_event(event: Any) -> str:
    """One line for the person for the events worth showing; empty for the rest."""
    data = event.data
    lines = {
        "listening_started": "Listening…",
        "final_transcript": f"  you said: {data.get('text')}" if data.get("text") else "",
        "no_speech": "  (no speech heard: nothing done)",
        "reply_text": f"  Nargis: {data.get('text', '')}",
        "speaking_finished": "Ready.",
        "turn_cancelled": "  (cancelled: you pressed again)",
        "error": f"  problem: {data.get('message', '')}",
    }
    return lines.get(event.kind, "")
