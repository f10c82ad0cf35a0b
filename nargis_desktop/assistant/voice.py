"""The voice pipeline: press → listen (partials stream) → release → final transcript → act →
reply spoken sentence by sentence; a press while speaking stops the voice at once (barge-in).

Presses and releases are handled in order on one control thread, and each is idempotent: a key's
auto-repeat, a second press while listening or a release while idle does nothing. A press while
the last turn is still being recognised or answered starts listening at once; that turn's reply
is dropped and, if it had not yet acted, it never acts. The recogniser and the assistant serve one
turn at a time, so the new turn's audio waits in a bounded queue (nothing is lost) until they are
free. Before a transcript is acted on, voice activity detection checks that someone spoke: an
empty tap or a noise writes nothing.

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
from nargis_desktop.audio.vad import EndOfSpeech, VoiceActivity, has_speech
from nargis_desktop.errors import NargisError
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech, Transcript

_LOGGER = logging.getLogger(__name__)
MAX_QUEUED_FRAMES = 500  # 10 s of 20 ms frames between the microphone and the recogniser
MAX_FRAMES_PER_CALL = 25  # 0.5 s: partials keep coming while a slow recogniser catches up
DID_NOT_CATCH = "Sorry, I didn't catch that."
SAY_AGAIN = "Sorry, I'm not sure I heard that right. Could you say it again?"
PRIMING_SILENCE_BYTES = 16_000 * 2 // 5  # 200 ms: enough for an audio server to start the stream

LISTENING_STARTED = "listening_started"
LISTENING_STOPPED = "listening_stopped"
PARTIAL_TRANSCRIPT = "partial_transcript"
FINAL_TRANSCRIPT = "final_transcript"
NO_SPEECH = "no_speech"
ACTIONS_TAKEN = "actions_taken"
REPLY_TEXT = "reply_text"
SPEAKING_STARTED = "speaking_started"
SPEAKING_FINISHED = "speaking_finished"
TURN_CANCELLED = "turn_cancelled"
ERROR = "error"

__all__ = ["EndOfSpeech", "VoiceEvent", "VoicePipeline", "stage_timings"]


@dataclass(frozen=True)
class VoiceEvent:
    kind: str
    at_ns: int
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[VoiceEvent], None]


@dataclass
class _Turn:
    number: int
    frames: queue.Queue[bytes | None] = field(default_factory=lambda: queue.Queue(maxsize=MAX_QUEUED_FRAMES))
    audio: bytearray = field(default_factory=bytearray)
    superseded: threading.Event = field(default_factory=threading.Event)
    acting: bool = False


@dataclass(frozen=True)
class _Command:
    kind: str  # "press", "release", "end" or "prime"
    at_ns: int
    turn: int | None = None  # a release meant for this turn only (hands-free end, end of a file)
    error: BaseException | None = None
    done: threading.Event | None = None  # set once handled


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
        voice_activity: VoiceActivity | None = None,
        act_on_doubt: Callable[[str], Turn] | None = None,
    ) -> None:
        """`act` runs one assistant turn on the transcript (the pipeline never touches the store).

        `act_on_doubt` runs a turn on a transcript heard with low confidence: it must write
        nothing without a confirmation. Without it such a transcript is only asked again.
        `voice_activity` checks each turn for speech before it is acted on (None: no check).
        """
        self.microphone, self.stt, self.act = microphone, stt, act
        self.act_on_doubt = act_on_doubt
        self.player = SpeechPlayer(tts, speaker, speaking_rate, on_error=self._on_audio_error)
        self.phrases = phrases
        self.voice_activity = voice_activity
        self.earcons = earcons  # (start, stop) as 16 kHz PCM, played on press and release
        self.hands_free = hands_free  # when set, silence after speech ends the turn (no release needed)
        self._listeners: list[Listener] = []
        self._commands: queue.Queue[_Command] = queue.Queue()
        self._control: threading.Thread | None = None
        self._state = threading.Condition()
        self._pending_commands = 0
        self._turns_in_flight = 0
        self._listening: _Turn | None = None
        self._latest: _Turn | None = None
        self._turn_count = 0
        self._engines = threading.Lock()  # one turn at a time uses the recogniser and the assistant
        self.dropped_frames = 0
        self.partials: list[str] = []
        self.last_turn: Turn | None = None
        self.last_transcript = ""
        self.barge_in_s: float | None = None
        self.on_source_end: Callable[[], None] | None = None

    # Events ----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _emit(self, kind: str, at_ns: int | None = None, **data: Any) -> None:
        event = VoiceEvent(kind, at_ns or time.monotonic_ns(), data)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not break the turn
                _LOGGER.exception("voice event listener failed")

    # What the key, the button and the terminal call ---------------------------------------
    @property
    def listening(self) -> bool:
        with self._state:
            return self._listening is not None or self._pending_commands > 0

    def press(self, at_ns: int | None = None) -> None:
        """Start listening (stopping the voice first if it is speaking). Returns at once.

        `at_ns` is when the key went down (`time.monotonic_ns()`), when known better than now.
        """
        self._submit(_Command("press", at_ns or time.monotonic_ns()))

    def release(self, at_ns: int | None = None) -> None:
        """Stop listening and take the transcript now: no trailing-silence wait. Returns at once."""
        self._submit(_Command("release", at_ns or time.monotonic_ns()))

    def warm_up(self) -> None:
        """Load the engines and open each device once, so the first press is as fast as the rest.

        A process's first audio stream can take over a second to start (PulseAudio's client sets
        itself up), which would otherwise land on the person's first turn.
        """
        self.stt.load()
        self.player.tts.load()
        if self.voice_activity is not None:
            self.voice_activity.load()
        primed = threading.Event()
        self._submit(_Command("prime", time.monotonic_ns(), done=primed))
        self.player.cue(bytes(PRIMING_SILENCE_BYTES), 16_000)
        primed.wait(10)
        self.player.wait(10)

    def wait(self, timeout: float | None = None) -> bool:
        """Until every press and release so far has been heard, answered and spoken (or failed)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._state:
            settled = self._state.wait_for(
                lambda: self._pending_commands == 0 and self._listening is None and self._turns_in_flight == 0,
                timeout,
            )
        if not settled:
            return False
        return self.player.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        """Stop listening and speaking; the pipeline can be pressed again afterwards."""
        self._submit(_Command("end", time.monotonic_ns()))
        self.player.stop()
        with self._state:
            self._state.wait_for(lambda: self._pending_commands == 0, 5.0)
            latest = self._latest
        if latest is not None:
            latest.superseded.set()
        self.player.close()

    # The control thread: presses and releases, one at a time, in order ------------------------
    def _submit(self, command: _Command) -> None:
        with self._state:
            self._pending_commands += 1
            if self._control is None or not self._control.is_alive():
                self._control = threading.Thread(target=self._control_loop, name="voice-control", daemon=True)
                self._control.start()
        self._commands.put(command)

    def _control_loop(self) -> None:
        while True:
            command = self._commands.get()
            try:
                if command.kind == "press":
                    self._start_listening(command)
                elif command.kind == "prime":
                    self._prime_microphone()
                else:
                    self._stop_listening(command)
            except Exception:  # never leave the control thread dead: the next press must work
                _LOGGER.exception("voice control failed on %s", command.kind)
            finally:
                if command.done is not None:
                    command.done.set()
                with self._state:
                    self._pending_commands -= 1
                    self._state.notify_all()

    def _prime_microphone(self) -> None:
        if self._listening is not None:
            return  # already in use: nothing left to prime
        try:
            self.microphone.start(lambda _pcm16: None)
        except NargisError as err:  # reported now, while nobody is waiting on a turn
            self._emit(ERROR, code=err.code, message=err.message)
            return
        self.microphone.stop()

    def _start_listening(self, command: _Command) -> None:
        if self._listening is not None:
            return  # auto-repeat, or a second press while listening: still the same turn
        if self.player.speaking:
            self.barge_in_s = self.player.stop()
        if self._latest is not None and not self._latest.acting:
            self._latest.superseded.set()  # still being heard: it will not act; its reply is dropped
        elif self._latest is not None:
            self._latest.superseded.set()  # already acting: it finishes (never half-written), unspoken
        self._turn_count += 1
        turn = _Turn(self._turn_count)
        if self.hands_free is not None:
            self.hands_free.reset()
        self.partials = []
        with self._state:
            self._turns_in_flight += 1
            self._listening = turn
        self._latest = turn
        threading.Thread(target=self._run_turn, args=(turn,), name=f"turn-{turn.number}", daemon=True).start()
        try:
            self.microphone.start(
                lambda pcm16: self._on_frames(turn, pcm16), lambda err: self._on_source_end(turn, err)
            )
        except NargisError as err:
            self._put(turn, None)
            with self._state:
                self._listening = None
            self._emit(ERROR, code=err.code, message=err.message)
            return
        self._emit(LISTENING_STARTED, command.at_ns)
        if self.earcons:
            self.player.cue(self.earcons[0], 16_000)

    def _stop_listening(self, command: _Command) -> None:
        turn = self._listening
        if turn is None or (command.turn is not None and command.turn != turn.number):
            if command.kind == "end":
                self.player.stop()
            return  # a release with nothing held: a repeat, or the end of a turn already ended
        self.microphone.stop()
        self._put(turn, None)
        with self._state:
            self._listening = None
            self._state.notify_all()
        if command.error is not None:
            self._emit(ERROR, code="audio-device-lost", message=f"the microphone stopped: {command.error}")
        self._emit(LISTENING_STOPPED, command.at_ns)
        if command.kind == "end":
            turn.superseded.set()
            return
        if self.earcons:
            self.player.cue(self.earcons[1], 16_000)

    # Audio in --------------------------------------------------------------------------
    def _put(self, turn: _Turn, frame: bytes | None) -> None:
        try:
            turn.frames.put_nowait(frame)
        except queue.Full:
            if frame is None:
                turn.frames.put(None)  # the end marker must arrive; the recogniser is draining
            else:
                self.dropped_frames += 1

    def _on_frames(self, turn: _Turn, pcm16: bytes) -> None:
        self._put(turn, pcm16)
        if self.hands_free is not None and self.hands_free.heard_end(pcm16):
            self._submit(_Command("release", time.monotonic_ns(), turn=turn.number))

    def _on_source_end(self, turn: _Turn, error: BaseException | None) -> None:
        """The source ended by itself: a file ran out (as if released) or the device was lost."""
        self._submit(_Command("release", time.monotonic_ns(), turn=turn.number, error=error))
        if self.on_source_end is not None:
            self.on_source_end()

    def _on_audio_error(self, code: str, message: str) -> None:
        self._emit(ERROR, code=code, message=message)

    # One turn, on its own thread ---------------------------------------------------------
    def _run_turn(self, turn: _Turn) -> None:
        try:
            with self._engines:
                self._hear_and_answer(turn)
        except Exception as err:
            _LOGGER.exception("a voice turn failed")
            self._emit(ERROR, code="voice-turn-failed", message=f"the voice turn failed: {err}")
        finally:
            with self._state:
                self._turns_in_flight -= 1
                self._state.notify_all()

    def _next_audio(self, turn: _Turn) -> tuple[bytes, bool]:
        """The frames that have arrived (at least one), and whether the turn's audio has ended.

        A recogniser that fell behind catches up in one call instead of one per 20 ms frame.
        """
        frames = [turn.frames.get()]
        while frames[-1] is not None and len(frames) < MAX_FRAMES_PER_CALL:
            try:
                frames.append(turn.frames.get_nowait())
            except queue.Empty:
                break
        return b"".join(f for f in frames if f is not None), frames[-1] is None

    def _hear_and_answer(self, turn: _Turn) -> None:
        if turn.superseded.is_set():
            self._emit(TURN_CANCELLED, turn=turn.number)
            return
        try:
            self.stt.load()  # a no-op once warm; the first press's audio waits in the queue meanwhile
            phrases = list(self.phrases()) if self.phrases else None
            stream = self.stt.stream(self.microphone.sample_rate_hz, phrases or None)
            ended = False
            while not ended:
                audio, ended = self._next_audio(turn)
                turn.audio += audio
                partial = stream.accept(audio) if audio else ""
                if partial and (not self.partials or partial != self.partials[-1]):
                    self.partials.append(partial)
                    self._emit(PARTIAL_TRANSCRIPT, text=partial)
            spoke = self.voice_activity is None or has_speech(self.voice_activity, bytes(turn.audio))
            heard = stream.finish() if spoke else Transcript("")
            transcript, doubtful = heard.text.strip(), heard.doubtful
        except NargisError as err:
            self._emit(ERROR, code=err.code, message=err.message)
            return
        except Exception as err:
            _LOGGER.exception("speech recognition failed")
            self._emit(ERROR, code="stt-failed", message=f"speech recognition failed: {err}")
            return
        if turn.superseded.is_set():
            self._emit(TURN_CANCELLED, turn=turn.number)
            return
        self.last_transcript = transcript
        if not spoke:
            self._emit(NO_SPEECH)
        self._emit(FINAL_TRANSCRIPT, text=transcript, doubtful=doubtful)
        self._answer(turn, transcript, doubtful)

    def _answer(self, turn: _Turn, transcript: str, doubtful: bool = False) -> None:
        if not transcript:
            reply = DID_NOT_CATCH
        elif doubtful and self.act_on_doubt is None:
            reply = SAY_AGAIN  # never a write on a guess
        else:
            turn.acting = True
            act = self.act_on_doubt if doubtful and self.act_on_doubt is not None else self.act
            try:
                result = act(transcript)
            except NargisError as err:
                self._emit(ERROR, code=err.code, message=err.message)
                return
            self.last_turn = result
            self._emit(ACTIONS_TAKEN, actions=[a.as_json() for a in result.actions], path=result.path)
            reply = result.reply
        self._emit(REPLY_TEXT, text=reply)
        if turn.superseded.is_set():
            self._emit(TURN_CANCELLED, turn=turn.number)
            return  # the person pressed again while this was being prepared: not spoken over them
        self.player.say(
            reply,
            on_start=lambda: self._emit(SPEAKING_STARTED),
            on_finish=lambda interrupted: self._emit(SPEAKING_FINISHED, interrupted=interrupted),
        )


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
