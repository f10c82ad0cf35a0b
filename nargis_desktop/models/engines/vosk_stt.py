"""Vosk: streaming recognition with partial text and, when asked, word timings (the default STT engine).

A recognizer is kept warm between turns: a new one costs ~120 ms to build and decodes its first
second of speech ~1 s late while its search graph fills in (measured with the Korean model on 2
cores), so the recogniser of the last turn is reset and reused, and `load()` runs one on noise.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import Lazy, SttCapabilities, Transcript, Word, load_failure

CHUNK_BYTES = 8000  # 0.25 s of 16 kHz 16-bit audio per AcceptWaveform call
WARM_UP_SECONDS = 2


class VoskSpeechToText:
    def __init__(
        self, model_dir: Path, language: str = "en", phrase_grammar: bool = False, word_timings: bool = False
    ) -> None:
        """`phrase_grammar` limits recognition to the given phrases (for a fixed command set);
        off by default, since everyday commands use words beyond the person's habit and task names.
        `word_timings` adds ~100 ms to the final result, so the push-to-talk turn goes without."""
        self.model_dir = model_dir
        self.language = language
        self.phrase_grammar = phrase_grammar
        self.word_timings = word_timings
        self._model: Lazy[Any] = Lazy(self._open)
        self._idle: dict[tuple[int, str], Any] = {}  # reset recognizers, by rate and grammar
        self._idle_lock = threading.Lock()

    def _open(self) -> Any:
        import vosk

        vosk.SetLogLevel(-1)
        try:
            return vosk.Model(str(self.model_dir))
        except Exception as err:  # vosk raises a bare Exception("Failed to create a model")
            raise load_failure("Vosk", self.model_dir, err) from err

    @property
    def capabilities(self) -> SttCapabilities:
        return SttCapabilities(
            sample_rates_hz=(8_000, 16_000, 44_100, 48_000),
            streaming_partials=True,
            word_timings=self.word_timings,
            phrase_lists=True,
            languages=(self.language,),
        )

    def load(self) -> None:
        import numpy as np

        self._model.get()
        noise = np.random.default_rng(0).normal(0, 3000, 16_000 * WARM_UP_SECONDS).astype("<i2").tobytes()
        self.transcribe(noise)

    def stream(self, sample_rate_hz: int = 16_000, phrases: Sequence[str] | None = None) -> VoskStream:
        # "[unk]" lets words outside the list through as unknown instead of forcing a wrong match.
        grammar = json.dumps([*phrases, "[unk]"], ensure_ascii=False) if phrases and self.phrase_grammar else ""
        if self.word_timings:
            # A reused recognizer counts time on from its last turn, so timed words need a new one.
            recognizer = self._new_recognizer(sample_rate_hz, grammar)
            recognizer.SetWords(True)
            return VoskStream(recognizer, lambda: None)
        key = (sample_rate_hz, grammar)
        with self._idle_lock:
            recognizer = self._idle.pop(key, None) or self._new_recognizer(sample_rate_hz, grammar)

        def give_back() -> None:
            with self._idle_lock:
                self._idle[key] = recognizer

        return VoskStream(recognizer, give_back)

    def _new_recognizer(self, sample_rate_hz: int, grammar: str) -> Any:
        import vosk

        model = self._model.get()
        if grammar:
            return vosk.KaldiRecognizer(model, sample_rate_hz, grammar)
        return vosk.KaldiRecognizer(model, sample_rate_hz)

    def transcribe(self, pcm16: bytes, sample_rate_hz: int = 16_000) -> Transcript:
        stream = self.stream(sample_rate_hz)
        for start in range(0, len(pcm16), CHUNK_BYTES):
            stream.accept(pcm16[start : start + CHUNK_BYTES])
        return stream.finish()


class VoskStream:
    def __init__(self, recognizer: Any, done: Callable[[], None]) -> None:
        """`done` hands the recognizer back for the next turn once the final result reset it."""
        self._recognizer = recognizer
        self._done = done
        self._segments: list[dict[str, Any]] = []

    def _done_text(self) -> str:
        return " ".join(s.get("text", "") for s in self._segments if s.get("text"))

    def accept(self, pcm16: bytes) -> str:
        if self._recognizer.AcceptWaveform(pcm16):
            self._segments.append(json.loads(self._recognizer.Result()))
            return self._done_text()
        partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        return " ".join(t for t in (self._done_text(), partial) if t)

    def finish(self) -> Transcript:
        self._segments.append(json.loads(self._recognizer.FinalResult()))
        self._done()
        words = tuple(
            Word(w["word"], float(w["start"]), float(w["end"])) for s in self._segments for w in s.get("result", [])
        )
        confidences = tuple(float(w["conf"]) for s in self._segments for w in s.get("result", []) if "conf" in w)
        return Transcript(text=self._done_text(), words=words, word_confidences=confidences)
