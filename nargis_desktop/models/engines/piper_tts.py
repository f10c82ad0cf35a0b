"""Piper: neural text-to-speech, a sentence at a time."""

from __future__ import annotations

import json
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
        for chunk in self._voice.get().synthesize(text, syn_config=config):
            yield AudioChunk(pcm16=chunk.audio_int16_bytes, sample_rate_hz=int(chunk.sample_rate))
