"""The one owner of the speaker: replies and earcons play through one queue on one thread.

A reply is synthesized sentence by sentence on its own thread into a bounded queue while the
player thread writes it to the speaker in 20 ms blocks, so the first sentence is heard while the
next is made. Only the player thread ever touches the speaker's stream: an earcon can no longer
close the stream a reply is writing to (that crashed PortAudio), and `stop()` is a request the
player honours between two blocks, so the speaker is quiet within one block and no write ever
races an abort.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nargis_desktop.audio.ports import FRAME_MS, Speaker
from nargis_desktop.models.engines.base import AudioChunk, TextToSpeech

_LOGGER = logging.getLogger(__name__)
QUEUED_SENTENCES = 4
IDLE_CLOSE_S = 0.25  # the stream stays open this long after the last sound, so a reply right after an earcon reuses it

ErrorCallback = Callable[[str, str], None]  # (code, message)


@dataclass
class _Cue:
    pcm16: bytes
    sample_rate_hz: int


@dataclass
class _Reply:
    text: str
    on_start: Callable[[], None] | None
    on_finish: Callable[[bool], None] | None
    sentences: queue.Queue[AudioChunk | None] = field(default_factory=lambda: queue.Queue(QUEUED_SENTENCES))
    cancelled: threading.Event = field(default_factory=threading.Event)
    playing: bool = False  # the player thread holds the speaker for it (guarded by the player's lock)


_Job = _Cue | _Reply | None  # None ends the player thread


class SpeechPlayer:
    def __init__(
        self,
        tts: TextToSpeech,
        speaker: Speaker,
        speaking_rate: float = 1.0,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self.tts, self.speaker, self.speaking_rate = tts, speaker, speaking_rate
        self.on_error = on_error
        self.error: str | None = None  # the last failure's code, also reported through on_error
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._lock = threading.Lock()
        self._replies: list[_Reply] = []  # queued or playing, oldest first
        self._pending = 0  # jobs queued or playing
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._stream_rate_hz: int | None = None
        self._voice_rate_hz: int | None = None

    # What callers use ------------------------------------------------------------------
    @property
    def speaking(self) -> bool:
        """A reply is being prepared, waiting for the speaker or playing."""
        with self._lock:
            return any(not reply.cancelled.is_set() for reply in self._replies)

    def say(
        self, text: str, on_start: Callable[[], None] | None = None, on_finish: Callable[[bool], None] | None = None
    ) -> None:
        """Start speaking `text` (after whatever earcon is playing) and return at once.

        A reply already speaking is stopped first. `on_finish(interrupted)` is called once at the end.
        """
        self.stop()
        reply = _Reply(text, on_start, on_finish)
        with self._lock:
            self._replies.append(reply)
        threading.Thread(target=self._synthesize, args=(reply,), name="tts", daemon=True).start()
        self._submit(reply)

    def cue(self, pcm16: bytes, sample_rate_hz: int) -> None:
        """A short sound (an earcon), played in turn with the replies, never over them."""
        if pcm16:
            self._submit(_Cue(pcm16, sample_rate_hz))

    def stop(self) -> float:
        """Barge-in: drop every reply queued or playing. Returns the seconds until the speaker was quiet."""
        started = time.monotonic()
        with self._idle:
            live = [reply for reply in self._replies if not reply.cancelled.is_set()]
            if not live:
                return 0.0
            for reply in live:
                reply.cancelled.set()
            if threading.current_thread() is not self._thread:
                # The player aborts the stream between two blocks and then lets go of the reply.
                self._idle.wait_for(lambda: not any(reply.playing for reply in live), 2.0)
        return time.monotonic() - started

    def wait(self, timeout: float | None = None) -> bool:
        """Until everything queued has been played (or dropped) and the speaker has let it all out."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0 and self._stream_rate_hz is None, timeout)

    def close(self) -> None:
        self.stop()
        thread = self._thread
        if thread is not None:
            self._jobs.put(None)
            thread.join(5)

    # The synthesis thread ----------------------------------------------------------------
    def _synthesize(self, reply: _Reply) -> None:
        try:
            for chunk in self.tts.synthesize(reply.text, self.speaking_rate):
                while not reply.cancelled.is_set():
                    try:
                        reply.sentences.put(chunk, timeout=0.05)
                        break
                    except queue.Full:  # the player is behind: wait, but keep listening for stop
                        continue
                if reply.cancelled.is_set():
                    return
        except Exception as err:
            _LOGGER.exception("speech synthesis failed")
            self._report("tts-failed", f"the reply could not be spoken: {err}")
        finally:
            self._put_end(reply)

    @staticmethod
    def _put_end(reply: _Reply) -> None:
        while True:
            try:
                reply.sentences.put(None, timeout=0.05)
                return
            except queue.Full:
                if reply.cancelled.is_set():
                    return  # the player drops this reply without reading further

    # The player thread -----------------------------------------------------------------
    def _submit(self, job: _Cue | _Reply) -> None:
        with self._lock:
            self._pending += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._play_jobs, name="player", daemon=True)
                self._thread.start()
        self._jobs.put(job)

    def _play_jobs(self) -> None:
        idle_since = time.monotonic()
        while True:
            try:
                job = self._next_job(idle_since)
            except queue.Empty:
                self._close_stream(drain=True)
                continue
            idle_since = time.monotonic()
            if job is None:
                self._close_stream(drain=False)
                return
            try:
                if isinstance(job, _Cue):
                    self._play_cue(job)
                else:
                    self._play_reply(job)
            except Exception as err:  # the device went away or refused: a typed error, never a traceback
                _LOGGER.warning("audio output failed", exc_info=True)
                self._report("audio-speaker-failed", f"the speaker stopped working: {err}")
                self._close_stream(drain=False)
            finally:
                self._job_done(job)

    def _next_job(self, idle_since: float) -> _Job:
        """The next job; an open device stream is fed silence meanwhile (a starved stream underruns,
        and ALSA prints that on the person's terminal). Raises queue.Empty once it has idled enough."""
        if self._stream_rate_hz is None:
            return self._jobs.get()
        if not self.speaker.realtime:
            return self._jobs.get(timeout=IDLE_CLOSE_S)
        while True:
            try:
                return self._jobs.get_nowait()
            except queue.Empty:
                if time.monotonic() - idle_since >= IDLE_CLOSE_S:
                    raise
                self._feed_silence()

    def _feed_silence(self) -> None:
        """One block of silence: takes as long as it plays, so it is also the wait."""
        rate = self._stream_rate_hz or 16_000
        self.speaker.write(bytes(rate * FRAME_MS // 1000 * 2))

    def _job_done(self, job: _Cue | _Reply) -> None:
        with self._idle:
            if isinstance(job, _Reply):
                job.playing = False
                if job in self._replies:
                    self._replies.remove(job)
            self._pending -= 1
            self._idle.notify_all()

    def _play_cue(self, cue: _Cue) -> None:
        self._write(cue.pcm16, cue.sample_rate_hz, None)

    def _play_reply(self, reply: _Reply) -> None:
        with self._lock:
            reply.playing = not reply.cancelled.is_set()
        started = False
        try:
            while not reply.cancelled.is_set():
                try:
                    chunk = reply.sentences.get(timeout=0.02 if self._stream_rate_hz is None else 0.0)
                except queue.Empty:
                    if self._stream_rate_hz is not None and self.speaker.realtime:
                        self._feed_silence()  # the next sentence is still being made
                    elif self._stream_rate_hz is not None:
                        time.sleep(0.005)
                    continue
                if chunk is None:
                    break
                if not started:
                    started = True
                    if reply.on_start:
                        reply.on_start()
                self._write(chunk.pcm16, chunk.sample_rate_hz, reply.cancelled)
            if reply.cancelled.is_set():
                self._close_stream(drain=False)  # barge-in: drop what the device still holds
        finally:
            with self._idle:
                reply.playing = False
                self._idle.notify_all()
            if reply.on_finish:
                try:
                    reply.on_finish(reply.cancelled.is_set())
                except Exception:
                    _LOGGER.exception("a reply's finish callback failed")

    def _output_rate_hz(self, fallback_hz: int) -> int:
        """The voice's own rate: earcons are resampled to it, so a reply never reopens the stream."""
        if self._voice_rate_hz is None:
            try:
                self._voice_rate_hz = int(self.tts.capabilities.sample_rate_hz)
            except Exception:  # a voice that cannot say yet: the sound's own rate will do
                return fallback_hz
        return self._voice_rate_hz

    def _write(self, pcm16: bytes, sample_rate_hz: int, cancelled: threading.Event | None) -> None:
        rate = self._stream_rate_hz or self._output_rate_hz(sample_rate_hz)
        if sample_rate_hz != rate:
            pcm16 = _resample(pcm16, sample_rate_hz, rate)
        if self._stream_rate_hz is None:
            self.speaker.open(rate)
            self._stream_rate_hz = rate
        block = rate * FRAME_MS // 1000 * 2
        for offset in range(0, len(pcm16), block):
            if cancelled is not None and cancelled.is_set():
                return
            self.speaker.write(pcm16[offset : offset + block])

    def _close_stream(self, *, drain: bool) -> None:
        if self._stream_rate_hz is None:
            return
        try:
            if not drain:
                self.speaker.abort()
            self.speaker.close()
        except Exception as err:
            _LOGGER.warning("closing the speaker failed", exc_info=True)
            self._report("audio-speaker-failed", f"the speaker stopped working: {err}")
        finally:
            with self._idle:
                self._stream_rate_hz = None
                self._idle.notify_all()

    def _report(self, code: str, message: str) -> None:
        self.error = code
        if self.on_error is not None:
            try:
                self.on_error(code, message)
            except Exception:
                _LOGGER.exception("an audio error listener failed")


def _resample(pcm16: bytes, from_hz: int, to_hz: int) -> bytes:
    import numpy as np

    from nargis_desktop.audio.pcm import to_pcm16

    return to_pcm16(np.frombuffer(pcm16, dtype="<i2"), from_hz, to_hz)
