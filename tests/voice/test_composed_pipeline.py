"""The voice pipeline as the composition root builds it, on the fast fakes: a real profile and
assistant, fake engines and devices, so a whole spoken command runs in well under a second."""

from __future__ import annotations

import threading
from pathlib import Path

from nargis_desktop.app import VoiceEngines, open_profile, voice_pipeline
from nargis_desktop.assistant.voice import ACTIONS_TAKEN, ERROR, NO_SPEECH, SPEAKING_FINISHED, VoiceEvent
from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.engines.base import LanguageModel, SpeechToText, TextToSpeech
from nargis_desktop.secrets import NoSecretStore
from tests.fakes import (
    BrokenStt,
    BrokenTts,
    EnergyVoiceActivity,
    FixedLanguageModel,
    FixedStt,
    ManualMicrophone,
    RecordingSpeaker,
    ToneTts,
    tone,
)
from tests.moments import NOW


def _engines(
    transcript: str, llm: FixedLanguageModel, stt: SpeechToText | None = None, tts: TextToSpeech | None = None
) -> VoiceEngines:
    stt = stt or FixedStt([transcript])  # the fakes implement the engines' protocols
    tts = tts or ToneTts(ms=50)
    model: LanguageModel = llm
    return VoiceEngines(stt, tts, EnergyVoiceActivity(), lambda: model)


def _one_turn(
    tmp_path: Path,
    transcript: str,
    llm: FixedLanguageModel,
    heard: bytes = tone(400),
    stt: SpeechToText | None = None,
    tts: TextToSpeech | None = None,
) -> tuple[list[VoiceEvent], list[str]]:
    root = tmp_path / "profile"
    paths = ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache")
    profile = open_profile(paths, NoSecretStore(), prompt=lambda _confirm: "test pass")
    try:
        microphone, speaker = ManualMicrophone(), RecordingSpeaker()
        engines = _engines(transcript, llm, stt, tts)
        pipeline = voice_pipeline(profile, microphone, speaker, now=lambda: NOW, engines=engines)
        events: list[VoiceEvent] = []
        finished = threading.Event()
        pipeline.subscribe(lambda e: (events.append(e), e.kind in (SPEAKING_FINISHED, ERROR) and finished.set()))
        pipeline.press()
        microphone.speak(heard)
        pipeline.release()
        assert finished.wait(10), [e.kind for e in events]
        pipeline.close()
        return events, [task.title for task in profile.data.tasks()]
    finally:
        profile.close()


def test_a_spoken_command_through_the_composed_pipeline_writes_the_task_and_answers_aloud(tmp_path: Path) -> None:
    llm = FixedLanguageModel()
    events, titles = _one_turn(tmp_path, "add buy milk to my list", llm)
    kinds = [e.kind for e in events]
    assert ERROR not in kinds and ACTIONS_TAKEN in kinds and SPEAKING_FINISHED in kinds
    assert titles == ["Buy milk"]
    assert not llm.prompts  # a plain command never needs the language model


def test_silence_through_the_composed_pipeline_writes_nothing(tmp_path: Path) -> None:
    events, titles = _one_turn(tmp_path, "add buy milk to my list", FixedLanguageModel(), heard=bytes(16_000))
    kinds = [e.kind for e in events]
    assert NO_SPEECH in kinds and ACTIONS_TAKEN not in kinds and titles == []


def test_a_recogniser_that_fails_is_a_stt_failed_event_and_nothing_is_written(tmp_path: Path) -> None:
    events, titles = _one_turn(tmp_path, "add buy milk", FixedLanguageModel(), stt=BrokenStt())
    errors = [e.data for e in events if e.kind == ERROR]
    assert [e["code"] for e in errors] == ["stt-failed"] and "crashed" in errors[0]["message"]
    assert titles == []


def test_a_voice_that_fails_is_a_tts_failed_event_after_the_action_was_taken(tmp_path: Path) -> None:
    events, titles = _one_turn(tmp_path, "add buy milk to my list", FixedLanguageModel(), tts=BrokenTts())
    assert [e.data["code"] for e in events if e.kind == ERROR] == ["tts-failed"]
    assert titles == ["Buy milk"]  # the reply could not be said; what was asked was still done
