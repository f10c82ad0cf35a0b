"""The voice pipeline: press → listen (partials stream) → release → final transcript → act →
reply spoken sentence by sentence; a press while speaking stops the voice at once (barge-in).

Every step is a typed event stamped with `time.monotonic_ns()`; the app, the CLI and the
benchmark all read the same stream, so each stage's latency falls out of the timestamps.
Engines run on worker threads, never on the caller's.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nargis_desktop.assistant.calls import Turn
from nargis_desktop.audio.player import SpeechPlayer
from nargis_desktop.audio.ports import Microphone, Speaker
from nargis_desktop.errors import NargisError
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech

_LOGGER = logging.getLogger(__name__)
MAX_QUEUED_FRAMES = 500  # 10 s of 20 ms frames between the microphone and the recogniser
MAX_FRAMES_PER_CALL = 25  # 0.5 s: partials keep coming while a slow recogniser catches up
DID_NOT_CATCH = "Sorry, I didn't catch that."

LISTENING_STARTED = "listening_started"
LISTENING_STOPPED = "listening_stopped"
PARTIAL_TRANSCRIPT = "partial_transcript"
FINAL_TRANSCRIPT = "final_transcript"
ACTIONS_TAKEN = "actions_taken"
REPLY_TEXT = "reply_text"
SPEAKING_STARTED = "speaking_started"
SPEAKING_FINISHED = "speaking_finished"
ERROR = "error"


class EndOfSpeech:
    """Hands-free mode: the turn ends after `silence_ms` of quiet that follows some speech.

    An energy threshold over 20 ms frames: enough for a quiet room and a push-to-talk fallback;
    the person can always press to end a turn themselves.
    """

    def __init__(self, silence_ms: int = 700, speech_rms: float = 500.0, frame_ms: int = 20) -> None:
        self.silence_frames = silence_ms // frame_ms
        self.speech_rms = speech_rms
        self.reset()

    def reset(self) -> None:
        self._heard_speech, self._quiet, self._ended = False, 0, False

    def heard_end(self, pcm16: bytes) -> bool:
        """Feed one frame; True once, when the speech has ended."""
        import numpy as np

        if self._ended:
            return False
        samples = np.frombuffer(pcm16, dtype="<i2").astype(np.float64)
        loud = samples.size > 0 and float(np.sqrt(np.mean(samples**2))) >= self.speech_rms
        if loud:
            self._heard_speech, self._quiet = True, 0
        elif self._heard_speech:
            self._quiet += 1
        self._ended = self._heard_speech and self._quiet >= self.silence_frames
        return self._ended


@dataclass(frozen=True)
class VoiceEvent:
    kind: str
    at_ns: int
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[VoiceEvent], None]


class VoicePipeline:
    def __init__(
        self,
        microphone: Microphone,
        stt: SpeechToText,
        act: Callable[[str], Turn],
        tts: TextToSpeech,
        speaker: Speaker,
        *,
        phrases: Callable[[], Sequence[str]] | None = None,
        speaking_rate: float = 1.0,
        earcons: tuple[bytes, bytes] | None = None,
        hands_free: EndOfSpeech | None = None,
    ) -> None:
        """`act` runs one assistant turn on the transcript (the pipeline never touches the store)."""
        self.microphone, self.stt, self.act = microphone, stt, act
        self.player = SpeechPlayer(tts, speaker, speaking_rate)
        self.phrases = phrases
        self._listeners: list[Listener] = []
        self._frames: queue.Queue[bytes | None] = queue.Queue(maxsize=MAX_QUEUED_FRAMES)
        self._worker: threading.Thread | None = None
        self._turn_done = threading.Event()
        self._turn_done.set()
        self.dropped_frames = 0
        self.partials: list[str] = []
        self.last_turn: Turn | None = None
        self.last_transcript = ""
        self.barge_in_s: float | None = None
        self.on_source_end: Callable[[], None] | None = None
        self.earcons = earcons  # (start, stop) as 16 kHz PCM, played on press and release
        self.hands_free = hands_free  # when set, silence after speech ends the turn (no release needed)

    # Events ----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, kind: str, **data: Any) -> None:
        event = VoiceEvent(kind, time.monotonic_ns(), data)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not break the turn
                _LOGGER.exception("voice event listener failed")

    # Push to talk ----------------------------------------------------------------------
    def press(self) -> None:
        """Start listening; if Nargis is speaking, stop at once first (barge-in)."""
        if self.player.speaking:
            self.barge_in_s = self.player.stop()
        self._turn_done.wait()  # a previous turn still thinking finishes first (it is not cancellable midway)
        self._turn_done.clear()
        self.partials = []
        self._frames = queue.Queue(maxsize=MAX_QUEUED_FRAMES)
        if self.hands_free is not None:
            self.hands_free.reset()
        phrases = list(self.phrases()) if self.phrases else None
        try:
            stream = self.stt.stream(self.microphone.sample_rate_hz, phrases or None)
        except NargisError as err:
            self._fail(err.code, err.message)
            return
        self._worker = threading.Thread(target=self._listen, args=(stream,), name="stt", daemon=True)
        self._worker.start()
        try:
            self.microphone.start(self._on_frames, self._on_source_end)
        except NargisError as err:
            self._frames.put(None)
            self._fail(err.code, err.message)
            return
        self._emit(LISTENING_STARTED)
        if self.earcons:
            self.player.cue(self.earcons[0], 16_000)

    def release(self) -> None:
        """Stop listening and take the transcript now: no trailing-silence wait."""
        self._emit(LISTENING_STOPPED)
        self.microphone.stop()
        self._put(None)
        if self.earcons:
            self.player.cue(self.earcons[1], 16_000)

    def wait(self, timeout: float | None = None) -> bool:
        """Until the turn has been answered and spoken (or failed)."""
        if not self._turn_done.wait(timeout):
            return False
        return self.player.wait(timeout)

    def close(self) -> None:
        self.player.stop()
        self.microphone.stop()

    # Workers ---------------------------------------------------------------------------
    def _put(self, frame: bytes | None) -> None:
        try:
            self._frames.put_nowait(frame)
        except queue.Full:
            if frame is None:
                self._frames.put(None)  # the end marker must arrive; the recogniser is draining
            else:
                self.dropped_frames += 1

    def _on_frames(self, pcm16: bytes) -> None:
        self._put(pcm16)
        if self.hands_free is not None and self.hands_free.heard_end(pcm16):
            threading.Thread(target=self.release, name="vad-release", daemon=True).start()

    def _on_source_end(self, error: BaseException | None) -> None:
        """The source ended by itself: a file ran out (as if released) or the device was lost."""
        if error is not None:
            self._emit(ERROR, code="audio-device-lost", message=f"the microphone stopped: {error}")
        self._emit(LISTENING_STOPPED)
        self._put(None)
        if self.on_source_end is not None:
            self.on_source_end()

    def _next_audio(self) -> tuple[bytes, bool]:
        """The frames that have arrived (at least one), and whether the turn's audio has ended.

        A recogniser that fell behind catches up in one call instead of one per 20 ms frame.
        """
        frames = [self._frames.get()]
        while frames[-1] is not None and len(frames) < MAX_FRAMES_PER_CALL:
            try:
                frames.append(self._frames.get_nowait())
            except queue.Empty:
                break
        return b"".join(f for f in frames if f is not None), frames[-1] is None

    def _listen(self, stream: Any) -> None:
        try:
            ended = False
            while not ended:
                audio, ended = self._next_audio()
                partial = stream.accept(audio) if audio else ""
                if partial and (not self.partials or partial != self.partials[-1]):
                    self.partials.append(partial)
                    self._emit(PARTIAL_TRANSCRIPT, text=partial)
            transcript = stream.finish().text.strip()
        except Exception as err:
            _LOGGER.exception("speech recognition failed")
            self._fail("stt-failed", f"speech recognition failed: {err}")
            return
        self.last_transcript = transcript
        self._emit(FINAL_TRANSCRIPT, text=transcript)
        self._answer(transcript)

    def _answer(self, transcript: str) -> None:
        if not transcript:
            reply = DID_NOT_CATCH
        else:
            try:
                turn = self.act(transcript)
            except NargisError as err:
                self._fail(err.code, err.message)
                return
            self.last_turn = turn
            self._emit(ACTIONS_TAKEN, actions=[a.as_json() for a in turn.actions], path=turn.path)
            reply = turn.reply
        self._emit(REPLY_TEXT, text=reply)
        self.player.say(
            reply,
            on_start=lambda: self._emit(SPEAKING_STARTED),
            on_finish=lambda interrupted: self._emit(SPEAKING_FINISHED, interrupted=interrupted),
        )
        self._turn_done.set()

    def _fail(self, code: str, message: str) -> None:
        self._emit(ERROR, code=code, message=message)
        self._turn_done.set()


def stage_timings(events: Sequence[VoiceEvent], speech_onset_ns: int | None = None) -> dict[str, float]:
    """Milliseconds between stages of one turn, from the events' monotonic stamps."""
    first: dict[str, int] = {}
    for event in events:
        first.setdefault(event.kind, event.at_ns)
    if speech_onset_ns is not None:
        first["speech_onset"] = speech_onset_ns
    spans = {
        "first_partial_after_onset_ms": ("speech_onset", PARTIAL_TRANSCRIPT),
        "transcript_after_release_ms": (LISTENING_STOPPED, FINAL_TRANSCRIPT),
        "act_after_transcript_ms": (FINAL_TRANSCRIPT, ACTIONS_TAKEN),
        "first_audio_after_transcript_ms": (FINAL_TRANSCRIPT, SPEAKING_STARTED),
        "first_audio_after_release_ms": (LISTENING_STOPPED, SPEAKING_STARTED),
        "speaking_ms": (SPEAKING_STARTED, SPEAKING_FINISHED),
    }
    return {
        name: round((first[end] - first[start]) / 1e6, 1)
        for name, (start, end) in spans.items()
        if start in first and end in first
    }
