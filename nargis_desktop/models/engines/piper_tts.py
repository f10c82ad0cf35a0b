"""Piper: neural text-to-speech, a sentence at a time."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import AudioChunk, Lazy, TtsCapabilities, load_failure
from nargis_desktop.models.formats import check_loadable

FIRST_PIECE_MIN_CHARS, FIRST_PIECE_MAX_CHARS = 10, 26  # ~50–130 ms of synthesis
# Words that start a phrase: a first sentence without a comma is cut before one of them.
PHRASE_START = re.compile(
    r"\s(?=(?:is|are|was|were|will|has|have|had|to|for|on|at|in|by|with|and|but|so|because|due|from)\b)"
)
SILENCE_LEVEL = 500  # of 32767: quieter samples at a piece's end are its trailing silence
MID_SENTENCE_PAUSE_MS = 40
CACHED_PIECES = 64
CACHED_PIECE_MAX_CHARS = 32
COMMON_OPENERS = ("Okay,", "Nice,", "Sorry,", "Done:", "undone.", "You're welcome.")


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
            if audio and ends_mid_sentence(piece):
                audio[-1] = trim_trailing_silence(audio[-1])
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
    """Sentences, with the first one's opening phrase split off so the first audio comes sooner.

    Speech starts once its first piece is made, and Piper takes ~5 ms per character here, so
    "Okay, I'll remind you …" starts after "Okay," (~60 ms, usually cached) instead of the whole
    sentence (~300 ms). A comma is where a speaker pauses anyway; without one, the cut goes where
    the subject ends or a phrase begins ("Your meditation streak | is five days.").
    """
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    if sentences:
        first = sentences[0]
        cut = min((i for i in (first.find(", "), first.find(": ")) if i > 0), default=-1)
        if 0 < cut < len(first) // 2:
            sentences[0:1] = [first[: cut + 1], first[cut + 2 :]]
    if sentences and len(sentences[0]) > FIRST_PIECE_MAX_CHARS:
        sentences[0:1] = _split_at_phrase(sentences[0])
    return sentences


def _split_at_phrase(sentence: str) -> list[str]:
    for match in PHRASE_START.finditer(sentence):
        if FIRST_PIECE_MIN_CHARS <= match.start() <= FIRST_PIECE_MAX_CHARS:
            return [sentence[: match.start()].rstrip(), sentence[match.start() :].lstrip()]
    return [sentence]


def ends_mid_sentence(piece: str) -> bool:
    return not piece.rstrip().endswith((".", "!", "?", ",", ":", ";"))


def trim_trailing_silence(chunk: AudioChunk) -> AudioChunk:
    """A piece cut mid-sentence keeps only a short pause, so the sentence still sounds whole."""
    import numpy as np

    samples = np.frombuffer(chunk.pcm16, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples) > SILENCE_LEVEL)
    if loud.size == 0:
        return chunk
    end = min(samples.size, int(loud[-1]) + chunk.sample_rate_hz * MID_SENTENCE_PAUSE_MS // 1000)
    return AudioChunk(pcm16=samples[:end].tobytes(), sample_rate_hz=chunk.sample_rate_hz)
