"""One small interface per role; each engine adapter loads its model lazily, once, thread-safely.

Loading is slow (hundreds of ms to seconds), so callers such as the app call `load()` on a
worker thread; every other method loads on first use if nobody did.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """Builds a value on first `get()`, once, even when several threads ask at the same time."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value

    @property
    def loaded(self) -> bool:
        return self._value is not None


# Speech to text ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    text: str
    start_s: float
    end_s: float


# Below these a transcript is a guess: Nargis confirms or asks again instead of acting on it.
# Whisper's average log-probability per token (chosen on the tuning part of benchmarks/bench_asr.py:
# at -0.45 about half of the wrong writes become questions, and ~3 % of the right ones do), its
# no-speech probability, and the lowest Vosk word confidence.
DOUBTFUL_AVERAGE_LOG_PROBABILITY = -0.45
DOUBTFUL_NO_SPEECH_PROBABILITY = 0.5
DOUBTFUL_WORD_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...] = ()
    average_log_probability: float | None = None  # whisper: per token, over the whole utterance
    no_speech_probability: float | None = None  # whisper: that the audio holds no speech at all
    word_confidences: tuple[float, ...] = ()  # Vosk, when it reports words

    @property
    def doubtful(self) -> bool:
        """Heard with low confidence: worth a confirmation before anything is written."""
        if not self.text.strip():
            return False
        if self.average_log_probability is not None and self.average_log_probability < DOUBTFUL_AVERAGE_LOG_PROBABILITY:
            return True
        if self.no_speech_probability is not None and self.no_speech_probability > DOUBTFUL_NO_SPEECH_PROBABILITY:
            return True
        return bool(self.word_confidences) and min(self.word_confidences) < DOUBTFUL_WORD_CONFIDENCE


@dataclass(frozen=True)
class SttCapabilities:
    sample_rates_hz: tuple[int, ...]
    streaming_partials: bool  # partial text while the person speaks
    word_timings: bool
    phrase_lists: bool  # can be narrowed to the person's own habit and task names
    languages: tuple[str, ...]


class RecognitionStream(Protocol):
    def accept(self, pcm16: bytes) -> str:
        """Feed 16-bit mono audio; returns the text heard so far (partial)."""
        ...

    def finish(self) -> Transcript: ...


class SpeechToText(Protocol):
    @property
    def capabilities(self) -> SttCapabilities: ...

    def load(self) -> None: ...

    def stream(self, sample_rate_hz: int = 16_000, phrases: Sequence[str] | None = None) -> RecognitionStream: ...

    def transcribe(self, pcm16: bytes, sample_rate_hz: int = 16_000) -> Transcript: ...


# Text to speech ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AudioChunk:
    """One sentence of speech: 16-bit mono PCM."""

    pcm16: bytes
    sample_rate_hz: int

    @property
    def duration_s(self) -> float:
        return len(self.pcm16) / 2 / self.sample_rate_hz


@dataclass(frozen=True)
class TtsCapabilities:
    sample_rate_hz: int
    languages: tuple[str, ...]
    sentence_streaming: bool


class TextToSpeech(Protocol):
    @property
    def capabilities(self) -> TtsCapabilities: ...

    def load(self) -> None: ...

    def synthesize(self, text: str, speaking_rate: float = 1.0) -> Iterator[AudioChunk]:
        """Speech for `text`, a chunk per sentence, the first as soon as it is ready."""
        ...


# Language model ----------------------------------------------------------------------------
@dataclass(frozen=True)
class LlmCapabilities:
    context_tokens: int
    chat_template: bool  # instruct models have one; base models (Gemma 270M here) do not
    grammar: bool  # output can be constrained by a GBNF grammar


Message = dict[str, str]


class LanguageModel(Protocol):
    @property
    def capabilities(self) -> LlmCapabilities: ...

    def load(self) -> None: ...

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int = 64,
        grammar: str | None = None,
        stop: Sequence[str] = (),
        temperature: float = 0.0,
    ) -> str: ...

    def chat(
        self, messages: Sequence[Message], *, max_tokens: int = 64, grammar: str | None = None, temperature: float = 0.0
    ) -> str: ...


# Embeddings --------------------------------------------------------------------------------
class Embedder(Protocol):
    @property
    def dimensions(self) -> int: ...

    def load(self) -> None: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit-length vectors, so a dot product is the cosine similarity."""
        ...


def load_failure(engine: str, path: Any, err: BaseException) -> Exception:
    from nargis_desktop.errors import ModelError

    return ModelError(f"the {engine} engine could not load {path}: {err}", code="model-load-failed")
