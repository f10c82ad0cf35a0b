"""Piper: neural text-to-speech, a sentence at a time."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import AudioChunk, Lazy, TtsCapabilities, load_failure
from nargis_desktop.models.formats import check_loadable


class PiperTextToSpeech:
    def __init__(self, model_path: Path) -> None:
        self.model_path = model_path
        self.config_path = model_path.with_name(model_path.name + ".json")
        self._voice: Lazy[Any] = Lazy(self._open)

    def _open(self) -> Any:
        check_loadable(self.model_path, "piper")
        from piper import PiperVoice

        try:
            return PiperVoice.load(self.model_path, config_path=self.config_path)
        except Exception as err:  # onnxruntime raises its own errors for files that are not ONNX
            raise load_failure("Piper", self.model_path, err) from err

    @property
    def capabilities(self) -> TtsCapabilities:
        config = json.loads(self.config_path.read_text(encoding="utf-8"))
        language = config.get("language", {}).get("code", "en_US")
        return TtsCapabilities(
            sample_rate_hz=int(config["audio"]["sample_rate"]), languages=(language,), sentence_streaming=True
        )

    def load(self) -> None:
        self._voice.get()

    def synthesize(self, text: str, speaking_rate: float = 1.0) -> Iterator[AudioChunk]:
        from piper import SynthesisConfig

        if speaking_rate <= 0:
            raise ValueError("speaking_rate must be above zero")
        config = SynthesisConfig(length_scale=1.0 / speaking_rate)
        voice = self._voice.get()
        for piece in speakable_pieces(text):
            for chunk in voice.synthesize(piece, syn_config=config):
                yield AudioChunk(pcm16=chunk.audio_int16_bytes, sample_rate_hz=int(chunk.sample_rate))


FIRST_CLAUSE_MIN_CHARS = 30


def speakable_pieces(text: str) -> list[str]:
    """Sentences; a long first sentence is cut at its first comma, so the first audio comes sooner.

    "Okay, I'll remind you …" starts playing after "Okay," is made (~60 ms) instead of the whole
    sentence (~300 ms); a comma is where a speaker pauses anyway.
    """
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    if sentences and len(sentences[0]) > FIRST_CLAUSE_MIN_CHARS:
        first = sentences[0]
        cut = min((i for i in (first.find(", "), first.find(": ")) if i > 0), default=-1)
        if 0 < cut < len(first) // 2:
            sentences[0:1] = [first[: cut + 1], first[cut + 2 :]]
    return sentences
