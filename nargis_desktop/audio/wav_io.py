"""A WAV file as the microphone, and a WAV sink as the speaker: for the CLI, tests and benchmarks."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from nargis_desktop.audio.pcm import SAMPLE_BYTES, SPEECH_RATE_HZ, read_speech, write_wav
from nargis_desktop.audio.ports import FRAME_MS, EndCallback, FramesCallback


class WavFileSource:
    """Plays a recording into the pipeline, at real-time pace (as a microphone would) or at once."""

    sample_rate_hz = SPEECH_RATE_HZ

    def __init__(self, path: Path | None = None, *, pcm16: bytes | None = None, realtime: bool = True) -> None:
        self.pcm16 = pcm16 if pcm16 is not None else read_speech(path) if path else b""
        self.realtime = realtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.onset_ns: int | None = None  # when the first frame was delivered

    def start(self, on_frames: FramesCallback, on_end: EndCallback | None = None) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(on_frames, on_end), name="wav-source", daemon=True)
        self._thread.start()

    def _run(self, on_frames: FramesCallback, on_end: EndCallback | None) -> None:
        step = SPEECH_RATE_HZ * FRAME_MS // 1000 * SAMPLE_BYTES
        started = time.monotonic()
        self.onset_ns = time.monotonic_ns()
        for index, offset in enumerate(range(0, len(self.pcm16), step)):
            if self._stop.is_set():
                return
            if self.realtime:  # pace like a device: frame n is available at n * 20 ms
                delay = started + index * FRAME_MS / 1000 - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return
            on_frames(self.pcm16[offset : offset + step])
        if on_end is not None:
            on_end(None)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()


class WavSink:
    """Collects what is played; with `realtime`, a block takes as long to write as it takes to hear."""

    def __init__(self, path: Path | None = None, *, realtime: bool = False) -> None:
        self.path = path
        self.realtime = realtime
        self.sample_rate_hz = 0
        self.frames = bytearray()
        self.first_write_ns: int | None = None
        self.last_write_ns: int | None = None
        self.aborted_ns: int | None = None
        self._abort = threading.Event()

    def open(self, sample_rate_hz: int) -> None:
        self.sample_rate_hz = sample_rate_hz
        self._abort.clear()

    def write(self, pcm16: bytes) -> None:
        if self._abort.is_set():
            return
        now = time.monotonic_ns()
        if self.first_write_ns is None:
            self.first_write_ns = now
        self.frames += pcm16
        self.last_write_ns = now
        if self.realtime:
            self._abort.wait(len(pcm16) / SAMPLE_BYTES / self.sample_rate_hz)

    def abort(self) -> None:
        self.aborted_ns = time.monotonic_ns()
        self._abort.set()

    def close(self) -> None:
        if self.path is not None and self.frames:
            write_wav(self.path, bytes(self.frames), self.sample_rate_hz)
