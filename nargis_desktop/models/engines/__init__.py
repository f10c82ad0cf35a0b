"""Engine adapters behind one interface per role; `open_*` picks the adapter for a resolved model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nargis_desktop.errors import ModelError

if TYPE_CHECKING:
    from pathlib import Path

    from nargis_desktop.models.engines.base import Embedder, LanguageModel, SpeechToText, TextToSpeech
    from nargis_desktop.models.manager import ResolvedModel


def _expect(model: ResolvedModel, role: str) -> None:
    if model.entry.role != role:
        raise ModelError(f"{model.entry.id} is a {model.entry.role} model, not {role}", code="model-bad-role")


def open_speech_to_text(model: ResolvedModel, word_timings: bool = False) -> SpeechToText:
    """`word_timings` makes the final result slower (~100–350 ms a command): only for callers that show them."""
    _expect(model, "stt")
    if model.entry.engine == "vosk":
        from nargis_desktop.models.engines.vosk_stt import VoskSpeechToText

        return VoskSpeechToText(model.path, model.entry.language, word_timings=word_timings)
    from nargis_desktop.models.engines.whisper_stt import WhisperSpeechToText

    return WhisperSpeechToText(model.path, model.entry.language, word_timings=word_timings)


def open_text_to_speech(model: ResolvedModel) -> TextToSpeech:
    _expect(model, "tts")
    from nargis_desktop.models.engines.piper_tts import PiperTextToSpeech

    return PiperTextToSpeech(model.path)


def open_language_model(model: ResolvedModel, context_tokens: int = 2048) -> LanguageModel:
    _expect(model, "llm")
    from nargis_desktop.models.engines.llama_llm import LlamaLanguageModel

    return LlamaLanguageModel(model.path, context_tokens=context_tokens)


def open_embedder(model: ResolvedModel, prepared_dir: Path | None = None) -> Embedder:
    """`prepared_dir`: where the bundled MiniLM's weights are kept laid out for fast opening."""
    _expect(model, "embedding")
    from nargis_desktop.models.engines.minilm_embedder import MiniLmEmbedder, can_open

    if can_open(model.path):  # the bundled MiniLM: NumPy only, no torch
        return MiniLmEmbedder(model.path, prepared_dir)
    from nargis_desktop.models.engines.sentence_embedder import SentenceEmbedder

    return SentenceEmbedder(model.path)
