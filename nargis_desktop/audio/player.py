"""Speaking a reply: synthesis and playback overlap, sentence by sentence, and stop at once.

One thread synthesizes sentences into a bounded queue while another writes them to the speaker in
20 ms blocks, so the first sentence is heard while the next is made, and `stop()` silences the
speaker within one block.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from nargis_desktop.audio.ports import FRAME_MS, Speaker
from nargis_desktop.models.engines.base import AudioChunk, TextToSpeech

_LOGGER = logging.getLogger(__name__)
QUEUED_SENTENCES = 4


class SpeechPlayer:
    def __init__(self, tts: TextToSpeech, speaker: Speaker, speaking_rate: float = 1.0) -> None:
        self.tts, self.speaker, self.speaking_rate = tts, speaker, speaking_rate
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self._threads: list[threading.Thread] = []
        self.error: str | None = None

    @property
    def speaking(self) -> bool:
        return not self._done.is_set()

    def say(
        self, text: str, on_start: Callable[[], None] | None = None, on_finish: Callable[[bool], None] | None = None
    ) -> None:
        """Start speaking `text` and return at once; `on_finish(interrupted)` is called at the end."""
        self.stop()
        self._stop.clear()
        self._done.clear()
        sentences: queue.Queue[AudioChunk | None] = queue.Queue(maxsize=QUEUED_SENTENCES)

        def synthesize() -> None:
            try:
                for chunk in self.tts.synthesize(text, self.speaking_rate):
                    while not self._stop.is_set():
                        try:
                            sentences.put(chunk, timeout=0.05)
                            break
                        except queue.Full:  # the player is behind: wait, but keep listening for stop
                            continue
                    if self._stop.is_set():
                        return
            except Exception:
                _LOGGER.exception("speech synthesis failed")
                self.error = "tts-failed"
            finally:
                if not self._stop.is_set():
                    sentences.put(None)

        def play() -> None:
            started = False
            try:
                while not self._stop.is_set():
                    try:
                        chunk = sentences.get(timeout=0.05)
                    except queue.Empty:
                        continue
                    if chunk is None:
                        break
                    if not started:
                        self.speaker.open(chunk.sample_rate_hz)
                        started = True
                        if on_start:
                            on_start()
                    block = chunk.sample_rate_hz * FRAME_MS // 1000 * 2
                    for offset in range(0, len(chunk.pcm16), block):
                        if self._stop.is_set():
                            break
                        self.speaker.write(chunk.pcm16[offset : offset + block])
            finally:
                if started:
                    self.speaker.close()
                interrupted = self._stop.is_set()
                self._done.set()
                if on_finish:
                    on_finish(interrupted)

        self._threads = [
            threading.Thread(target=synthesize, name="tts", daemon=True),
            threading.Thread(target=play, name="player", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def cue(self, pcm16: bytes, sample_rate_hz: int) -> None:
        """A short sound (an earcon) on its own thread; skipped while a reply is being spoken."""
        if not pcm16 or self.speaking:
            return

        def play() -> None:
            try:
                self.speaker.open(sample_rate_hz)
                self.speaker.write(pcm16)
                self.speaker.close()
            except Exception:  # an earcon that cannot play must not stop the turn
                _LOGGER.warning("could not play an earcon", exc_info=True)

        threading.Thread(target=play, name="earcon", daemon=True).start()

    def stop(self) -> float:
        """Barge-in: silence now. Returns how long it took, in seconds, until the speaker was quiet."""
        if self._done.is_set():
            return 0.0
        started = time.monotonic()
        self._stop.set()
        self.speaker.abort()
        self._done.wait(2.0)
        return time.monotonic() - started

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)
