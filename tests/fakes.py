"""Fast fakes of the engine and device protocols (SpeechToText, TextToSpeech, LanguageModel,
Microphone, Speaker, VoiceActivity), for the pipeline's and the player's logic: milliseconds, no
models. They implement the same protocols as the real adapters and go in where the composition root
takes engines (`app.voice_pipeline(..., engines=VoiceEngines(...))`); slow tests keep the real ones
honest."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

import numpy as np

from nargis_desktop.assistant.calls import Action, Turn
from nargis_desktop.audio.ports import EndCallback, FramesCallback
from nargis_desktop.audio.vad import WINDOW_SAMPLES
from nargis_desktop.models.engines.base import (
    AudioChunk,
    LlmCapabilities,
    Message,
    SttCapabilities,
    Transcript,
    TtsCapabilities,
)

RATE_HZ = 16_000
FRAME = 320 * 2  # 20 ms of 16 kHz int16


def tone(ms: int, amplitude: float = 0.3, rate_hz: int = RATE_HZ) -> bytes:
    t = np.arange(rate_hz * ms // 1000) / rate_hz
    return bytes((amplitude * np.sin(2 * np.pi * 300 * t) * 32767).astype("<i2").tobytes())


class ManualMicrophone:
    """Frames arrive when the test says so."""

    sample_rate_hz = RATE_HZ

    def __init__(self) -> None:
        self.on_frames: FramesCallback | None = None
        self.on_end: EndCallback | None = None
        self.starts = 0
        self._open = threading.Event()

    @property
    def open(self) -> bool:
        return self._open.is_set()

    def start(self, on_frames: FramesCallback, on_end: EndCallback | None = None) -> None:
        self.on_frames, self.on_end = on_frames, on_end
        self.starts += 1
        self._open.set()

    def stop(self) -> None:
        self._open.clear()

    def speak(self, pcm16: bytes) -> None:
        """Once the pipeline has opened the microphone (a press returns before it does)."""
        assert self._open.wait(5), "the microphone was never opened"
        assert self.on_frames is not None
        for offset in range(0, len(pcm16), FRAME):
            if self.open:
                self.on_frames(pcm16[offset : offset + FRAME])


class FixedStt:
    """'Hears' the next transcript of its list; `gate` holds `finish()` until the test opens it."""

    def __init__(self, transcripts: Sequence[str | Transcript] = ("add buy milk",)) -> None:
        """A plain string is heard with full confidence; a `Transcript` carries its own."""
        self.transcripts = list(transcripts)
        self.gate = threading.Event()
        self.gate.set()
        self.finishing = threading.Event()
        self.heard_bytes: list[int] = []

    @property
    def capabilities(self) -> SttCapabilities:
        return SttCapabilities((RATE_HZ,), False, False, False, ("en",))

    def load(self) -> None:
        pass

    def stream(self, sample_rate_hz: int = RATE_HZ, phrases: Sequence[str] | None = None) -> FixedStream:
        return FixedStream(self)

    def transcribe(self, pcm16: bytes, sample_rate_hz: int = RATE_HZ) -> Transcript:
        heard = self.transcripts[0]
        return heard if isinstance(heard, Transcript) else Transcript(heard)


class FixedStream:
    def __init__(self, stt: FixedStt) -> None:
        self.stt, self.size = stt, 0

    def accept(self, pcm16: bytes) -> str:
        self.size += len(pcm16)
        return ""

    def finish(self) -> Transcript:
        self.stt.finishing.set()
        self.stt.gate.wait(10)
        self.stt.heard_bytes.append(self.size)
        heard = self.stt.transcripts.pop(0) if len(self.stt.transcripts) > 1 else self.stt.transcripts[0]
        return heard if isinstance(heard, Transcript) else Transcript(heard)


class ToneTts:
    """Each sentence is `ms` of tone; `gate` holds synthesis until the test opens it."""

    def __init__(self, ms: int = 200, rate_hz: int = 22050) -> None:
        self.ms, self.rate_hz = ms, rate_hz
        self.gate = threading.Event()
        self.gate.set()

    @property
    def capabilities(self) -> TtsCapabilities:
        return TtsCapabilities(self.rate_hz, ("en",), True)

    def load(self) -> None:
        pass

    def synthesize(self, text: str, speaking_rate: float = 1.0) -> Iterator[AudioChunk]:
        self.gate.wait(10)
        for _sentence in [s for s in text.split(".") if s.strip()] or [text]:
            yield AudioChunk(tone(self.ms, rate_hz=self.rate_hz), self.rate_hz)


class BrokenTts(ToneTts):
    """A voice whose synthesis fails, as a damaged model would."""

    def synthesize(self, text: str, speaking_rate: float = 1.0) -> Iterator[AudioChunk]:
        raise RuntimeError("the voice model is damaged")


class BrokenStt(FixedStt):
    """A recogniser that fails at the end of the turn."""

    def stream(self, sample_rate_hz: int = RATE_HZ, phrases: Sequence[str] | None = None) -> FixedStream:
        return BrokenStream(self)


class BrokenStream(FixedStream):
    def finish(self) -> Transcript:
        raise RuntimeError("the recogniser crashed")


class RecordingSpeaker:
    """Plays in real time (a write takes as long as its audio) and records who called what."""

    realtime = True

    def __init__(self, fail_on_write: bool = False) -> None:
        self.calls: list[tuple[str, str]] = []  # (method, thread name)
        self.played = bytearray()
        self.rate_hz = 0
        self.fail_on_write = fail_on_write
        self.last_write_end = 0.0
        self._open = False

    def _note(self, method: str) -> None:
        self.calls.append((method, threading.current_thread().name))

    def open(self, sample_rate_hz: int) -> None:
        self._note("open")
        assert not self._open, "opened twice without a close"
        self.rate_hz, self._open = sample_rate_hz, True

    def write(self, pcm16: bytes) -> None:
        self._note("write")
        assert self._open, "a write to a closed stream"
        if self.fail_on_write:
            raise OSError("Stream is stopped [PaErrorCode -9983]")
        self.played += pcm16
        time.sleep(len(pcm16) / 2 / self.rate_hz)  # the device takes a block as fast as it plays it
        self.last_write_end = time.monotonic()

    def abort(self) -> None:
        self._note("abort")

    def close(self) -> None:
        self._note("close")
        self._open = False

    @property
    def threads(self) -> set[str]:
        return {thread for _method, thread in self.calls}


class FixedLanguageModel:
    """Answers every prompt with `reply` and keeps the prompts it was given."""

    def __init__(self, reply: str = "A calm week.") -> None:
        self.reply = reply
        self.prompts: list[str] = []

    @property
    def capabilities(self) -> LlmCapabilities:
        return LlmCapabilities(context_tokens=2048, chat_template=True, grammar=False)

    def load(self) -> None:
        pass

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int = 64,
        grammar: str | None = None,
        stop: Sequence[str] = (),
        temperature: float = 0.0,
    ) -> str:
        self.prompts.append(prompt)
        return self.reply

    def chat(
        self, messages: Sequence[Message], *, max_tokens: int = 64, grammar: str | None = None, temperature: float = 0.0
    ) -> str:
        self.prompts.append(messages[-1]["content"] if messages else "")
        return self.reply


class EnergyVoiceActivity:
    """Speech wherever a 32 ms window is louder than -30 dBFS (the fakes' tones are, silence is not)."""

    def load(self) -> None:
        pass

    def probabilities(self, pcm16: bytes) -> list[float]:
        samples = np.frombuffer(pcm16, dtype="<i2").astype(np.float64) / 32768
        windows = [samples[i : i + WINDOW_SAMPLES] for i in range(0, len(samples) - WINDOW_SAMPLES + 1, WINDOW_SAMPLES)]
        return [1.0 if np.sqrt(np.mean(w**2)) > 0.03 else 0.0 for w in windows]

    def stream(self) -> EnergyStream:
        return EnergyStream(self)


class EnergyStream:
    def __init__(self, vad: EnergyVoiceActivity) -> None:
        self.vad, self.pending = vad, b""

    def accept(self, pcm16: bytes) -> list[float]:
        self.pending += pcm16
        whole = len(self.pending) // (WINDOW_SAMPLES * 2) * WINDOW_SAMPLES * 2
        done, self.pending = self.pending[:whole], self.pending[whole:]
        return self.vad.probabilities(done)


def acting(reply: str = "Okay, added buy milk.", gate: threading.Event | None = None) -> tuple[list[str], object]:
    """An assistant stand-in: records what it was asked; `gate` holds it until the test opens it."""
    asked: list[str] = []

    def act(text: str) -> Turn:
        asked.append(text)
        if gate is not None:
            gate.wait(10)
        return Turn(text, [Action("add_task", {"title": text}, "done")], reply, "fast")

    return asked, act
