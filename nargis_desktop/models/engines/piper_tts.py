"""Piper: neural text-to-speech, a sentence at a time."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import AudioChunk, Lazy, TtsCapabilities, load_failure
from nargis_desktop.models.formats import check_loadable

FIRST_CLAUSE_MIN_CHARS = 30
CACHED_PIECES = 64
CACHED_PIECE_MAX_CHARS = 32
COMMON_OPENERS = ("Okay,", "Nice,", "Sorry,", "Done:", "Okay, undone.", "You're welcome.")


class PiperTextToSpeech:
    def __init__(self, model_path: Path, variation: float | None = None) -> None:
        """`variation`: Piper's noise scales (None: the voice's own); 0 speaks a text the same way every time."""
        self.model_path = model_path
        self.variation = variation
        self.config_path = model_path.with_name(model_path.name + ".json")
        self._voice: Lazy[Any] = Lazy(self._open)
        # Short pieces that recur ("Okay,", "Nice,") are kept, so the first audio of most replies
        # needs no synthesis at all.
        self._cache: dict[tuple[str, float], AudioChunk] = {}

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
        self.warm_up()

    def synthesize(self, text: str, speaking_rate: float = 1.0) -> Iterator[AudioChunk]:
        from piper import SynthesisConfig

        if speaking_rate <= 0:
            raise ValueError("speaking_rate must be above zero")
        config = SynthesisConfig(length_scale=1.0 / speaking_rate)
        if self.variation is not None:
            config.noise_scale = config.noise_w_scale = self.variation
        voice = self._voice.get()
        for piece in speakable_pieces(text):
            cached = self._cache.get((piece, speaking_rate))
            if cached is not None:
                yield cached
                continue
            audio = [
                AudioChunk(pcm16=c.audio_int16_bytes, sample_rate_hz=int(c.sample_rate))
                for c in voice.synthesize(piece, syn_config=config)
            ]
            if len(piece) <= CACHED_PIECE_MAX_CHARS and len(audio) == 1:
                self._remember((piece, speaking_rate), audio[0])
            yield from audio

    def _remember(self, key: tuple[str, float], chunk: AudioChunk) -> None:
        self._cache[key] = chunk
        while len(self._cache) > CACHED_PIECES:
            self._cache.pop(next(iter(self._cache)))

    def warm_up(self, openers: tuple[str, ...] = COMMON_OPENERS) -> None:
        """Make the replies' usual first words ahead of time, so they play at once."""
        for opener in openers:
            list(self.synthesize(opener))


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
