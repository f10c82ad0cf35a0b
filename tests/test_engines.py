"""Every role resolves to a real bundled model, and its engine loads it and does real work."""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path

import numpy as np
import pytest

from benchmarks.voice_turns import speak_korean
from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import ModelError
from nargis_desktop.models.engines import open_embedder, open_language_model, open_speech_to_text, open_text_to_speech
from nargis_desktop.models.engines.whisper_stt import WhisperSpeechToText
from nargis_desktop.models.manager import ModelManager, ResolvedModel

pytestmark = pytest.mark.slow  # every test here loads a real model


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> ModelManager:
    root = tmp_path_factory.mktemp("models-profile")
    return ModelManager(ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache"))


def speech(manager: ModelManager, text: str) -> tuple[bytes, int]:
    voice = open_text_to_speech(manager.resolve("tts"))
    chunks = list(voice.synthesize(text))
    return b"".join(c.pcm16 for c in chunks), chunks[0].sample_rate_hz


def to_16k(pcm16: bytes, rate: int) -> bytes:
    from scipy.signal import resample_poly

    gcd = math.gcd(rate, 16_000)
    samples = np.frombuffer(pcm16, dtype=np.int16).astype(np.float32)
    return resample_poly(samples, 16_000 // gcd, rate // gcd).clip(-32768, 32767).astype(np.int16).tobytes()


def test_the_bundled_gemma_answers_a_one_token_prompt(manager: ModelManager) -> None:
    resolved = manager.resolve("llm")
    assert resolved.entry.id == "gemma3-270m" and resolved.path.stat().st_size > 100_000_000
    llm = open_language_model(resolved, context_tokens=512)
    answer = llm.complete("The capital of France is", max_tokens=1)
    assert answer.strip()
    assert llm.capabilities.context_tokens == 512


def test_a_grammar_forces_valid_json_from_smollm2(manager: ModelManager) -> None:
    manager.use("llm", "smollm2-135m")
    try:
        llm = open_language_model(manager.resolve("llm"), context_tokens=512)
        assert llm.capabilities.chat_template
        grammar = 'root ::= "{\\"tool\\": \\"" ("add_task" | "check_habit") "\\"}"'
        reply = llm.chat([{"role": "user", "content": "Add a task to buy milk"}], max_tokens=16, grammar=grammar)
        assert reply in ('{"tool": "add_task"}', '{"tool": "check_habit"}')
    finally:
        manager.choices_file.unlink()


def test_the_piper_voice_speaks_sentence_by_sentence(manager: ModelManager) -> None:
    voice = open_text_to_speech(manager.resolve("tts"))
    chunks = list(voice.synthesize("Your meditation streak is five days. Well done!"))
    assert len(chunks) == 3  # "Your meditation streak" is made and heard first
    samples = np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype=np.int16)
    assert chunks[0].sample_rate_hz == voice.capabilities.sample_rate_hz == 22_050
    assert 1.5 < len(samples) / 22_050 < 8
    assert np.sqrt(np.mean(samples.astype(np.float64) ** 2)) > 500  # speech, not silence


def test_whisper_tiny_en_hears_what_piper_said(manager: ModelManager) -> None:
    resolved = manager.resolve("stt")
    assert resolved.entry.engine == "faster-whisper"
    pcm, rate = speech(manager, "Remind me to call mom tomorrow at five.")
    audio = to_16k(pcm, rate)
    transcript = open_speech_to_text(resolved).transcribe(audio)
    words = transcript.text.lower()
    assert "call" in words and "mom" in words and "tomorrow" in words
    timed = WhisperSpeechToText(resolved.path, word_timings=True).transcribe(audio)
    # The short window hears the same words ("5" and "five" are one word written two ways).
    assert _spelled(timed.text) == _spelled(words)
    assert timed.words and timed.words[0].start_s < timed.words[-1].end_s


def _spelled(text: str) -> str:
    numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    words = re.findall(r"[a-z']+|\d+", text.lower())
    return " ".join(numbers[int(w)] if w.isdigit() and int(w) < len(numbers) else w for w in words)


def test_the_vosk_engine_loads_the_korean_model_and_streams_what_it_hears(manager: ModelManager) -> None:
    manager.use("stt", "vosk-ko")
    try:
        stt = open_speech_to_text(manager.resolve("stt"))
        assert stt.capabilities.streaming_partials
        audio = speak_korean("내일 다섯 시에 엄마에게 전화하라고 알려줘")  # "remind me to call mom tomorrow at five"
        if audio is None:
            pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
        stream = stt.stream(16_000)
        partials = [stream.accept(audio[i : i + 3200]) for i in range(0, len(audio), 3200)]
        final = stream.finish().text.split()
        at_once = stt.transcribe(audio).text.split()
        # Words stream before the end, the last of them are in the final text, and streaming hears
        # what one call on the whole recording hears.
        said_early = [p for p in partials if p.strip()]
        assert said_early and set(said_early[-1].split()) & set(final)
        assert difflib.SequenceMatcher(a=final, b=at_once).ratio() >= 0.6, (final, at_once)
    finally:
        manager.choices_file.unlink()


def test_embeddings_put_similar_sentences_closer(manager: ModelManager) -> None:
    embedder = open_embedder(manager.resolve("embedding"))
    walk, stroll, taxes = embedder.embed(["A long walk by the river", "Strolling along the water", "Filing my taxes"])
    assert embedder.dimensions == len(walk) == 384
    assert np.dot(walk, stroll) > np.dot(walk, taxes) + 0.2


def test_a_file_that_is_not_gguf_is_refused_at_load(manager: ModelManager, tmp_path: Path) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"this is not a model" * 100)
    entry = manager.entry("gemma3-270m")
    with pytest.raises(ModelError, match="not a GGUF"):
        open_language_model(ResolvedModel(entry, fake, "test")).load()


def test_a_voice_that_is_not_onnx_is_refused_at_load(manager: ModelManager, tmp_path: Path) -> None:
    fake = tmp_path / "voice.onnx"
    fake.write_bytes(b"\x00garbage" * 100)
    real_config = manager.resolve("tts").path.with_name("en_US-joe-medium.onnx.json")
    fake.with_name("voice.onnx.json").write_bytes(real_config.read_bytes())
    with pytest.raises(ModelError, match="could not load"):
        open_text_to_speech(ResolvedModel(manager.entry("piper-joe-medium"), fake, "test")).load()
