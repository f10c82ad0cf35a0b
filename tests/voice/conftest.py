from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.engines import open_speech_to_text, open_text_to_speech
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech
from nargis_desktop.models.manager import ModelManager
from tests.assistant.harness import Session, build_base, open_session
from tests.helpers.virtual_audio import VirtualAudio, available, virtual_audio


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> ModelManager:
    root = tmp_path_factory.mktemp("voice-models")
    return ModelManager(ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache"))


@pytest.fixture(scope="session")
def piper(models: ModelManager) -> TextToSpeech:
    voice = open_text_to_speech(models.resolve("tts"))
    voice.variation = 0.0  # type: ignore[attr-defined]  # the same test speech every run: no flaky transcripts
    voice.load()
    return voice


@pytest.fixture(scope="session")
def whisper(models: ModelManager) -> SpeechToText:
    stt = open_speech_to_text(models.resolve_entry(models.entry("whisper-tiny-en")))
    stt.load()
    return stt


@pytest.fixture(scope="session")
def vosk_korean(models: ModelManager) -> SpeechToText:
    stt = open_speech_to_text(models.resolve_entry(models.entry("vosk-ko")))
    stt.load()
    return stt


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """The assistant over a copy of the evaluation profile (tests/assistant/harness.py), rules only."""
    key = secrets.token_bytes(32)
    build_base(tmp_path / "base.db", key)
    opened = open_session(tmp_path / "base.db", tmp_path, key, None)
    yield opened
    opened.store.close()


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


@pytest.fixture(scope="module")
def audio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualAudio]:
    """A private PulseAudio server with a virtual microphone and speaker, one per test module."""
    if not available():
        pytest.skip("PulseAudio is not installed (scripts/setup installs it)")
    with virtual_audio(tmp_path_factory.mktemp("pulse")) as server:
        yield server
