"""Vosk: streaming recognition with partial text and word timings (the default STT engine)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import Lazy, SttCapabilities, Transcript, Word, load_failure

CHUNK_BYTES = 8000  # 0.25 s of 16 kHz 16-bit audio per AcceptWaveform call


class VoskSpeechToText:
    def __init__(self, model_dir: Path, language: str = "en", phrase_grammar: bool = False) -> None:
        """`phrase_grammar` limits recognition to the given phrases (for a fixed command set);
        off by default, since everyday commands use words beyond the person's habit and task names."""
        self.model_dir = model_dir
        self.language = language
        self.phrase_grammar = phrase_grammar
        self._model: Lazy[Any] = Lazy(self._open)

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
            word_timings=True,
            phrase_lists=True,
            languages=(self.language,),
        )

    def load(self) -> None:
        self._model.get()

    def stream(self, sample_rate_hz: int = 16_000, phrases: Sequence[str] | None = None) -> VoskStream:
        import vosk

        model = self._model.get()
        if phrases and self.phrase_grammar:
            # "[unk]" lets words outside the list through as unknown instead of forcing a wrong match.
            recognizer = vosk.KaldiRecognizer(model, sample_rate_hz, json.dumps([*phrases, "[unk]"]))
        else:
            recognizer = vosk.KaldiRecognizer(model, sample_rate_hz)
        recognizer.SetWords(True)
        return VoskStream(recognizer)

    def transcribe(self, pcm16: bytes, sample_rate_hz: int = 16_000) -> Transcript:
        stream = self.stream(sample_rate_hz)
        for start in range(0, len(pcm16), CHUNK_BYTES):
            stream.accept(pcm16[start : start + CHUNK_BYTES])
        return stream.finish()


class VoskStream:
    def __init__(self, recognizer: Any) -> None:
        self._recognizer = recognizer
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
        words = tuple(
            Word(w["word"], float(w["start"]), float(w["end"])) for s in self._segments for w in s.get("result", [])
        )
        return Transcript(text=self._done_text(), words=words)
