"""Recognition biased towards the person's own words: the vocabulary comes from the store, is
cached until the data changes, helps whisper hear the names, and invents none of them in
unrelated speech (real whisper tiny.en, espeak-ng speech)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.asr_voices import words
from nargis_desktop.models.engines.base import SpeechToText
from nargis_desktop.services.speech_vocabulary import VocabularyCache, build_vocabulary, people_named
from tests.assistant.harness import NOW, Session


def test_people_are_the_capitalised_words_inside_a_sentence() -> None:
    found = people_named(["Email Sara about the trip", "Long walk with Tom on Monday. I felt calm.", "Call Anna"])
    assert found == ["Sara", "Tom", "Anna"]


def test_the_vocabulary_holds_habits_people_reminders_and_tasks(session: Session) -> None:
    vocabulary = build_vocabulary(session.assistant.data)
    assert vocabulary.names[:5] == ("Meditate", "Run", "Read", "Drink water", "Floss")
    assert {"Sara", "Team standup", "Renew passport"} <= set(vocabulary.names)
    assert {"floss", "standup", "passport"} <= vocabulary.words()


def test_the_vocabulary_is_rebuilt_only_when_the_data_changes(session: Session) -> None:
    cache = VocabularyCache(session.assistant.data)
    first = cache.phrases()
    assert cache.phrases() == first and cache.builds == 1
    session.say("start a new habit of juggling", now=NOW)
    assert "Juggling" in cache.phrases() and cache.builds == 2
    session.say("what habits do I have", now=NOW)  # a question writes nothing: nothing to rebuild
    cache.phrases()
    assert cache.builds == 2


def _espeak(text: str, folder: Path, voice: str = "en-us+m3", rate: int = 160) -> bytes:
    from nargis_desktop.audio.pcm import read_speech

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
    out = folder / "said.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(out), text], check=True)
    return read_speech(out)


NAMED = [
    "check off floss",
    "I meditated today",
    "email Sara about the trip",
    "snooze the team standup reminder",
    "renew passport is done",
    "remind me to take out the bins at 7 pm",
]


def test_biasing_hears_the_persons_names_at_least_as_well(
    whisper: SpeechToText, session: Session, tmp_path: Path
) -> None:
    vocabulary = build_vocabulary(session.assistant.data)
    names = vocabulary.words() & {"floss", "meditated", "sara", "standup", "passport", "bins"}
    plain = biased = 0
    for text in NAMED:
        pcm16 = _espeak(text, tmp_path)
        for phrases, count in ((None, "plain"), (vocabulary.phrases(), "biased")):
            heard = words(whisper.transcribe(pcm16, 16_000, phrases).text)  # type: ignore[call-arg]
            hits = sum(w in heard for w in words(text) if w in names | {"meditated"})
            if count == "plain":
                plain += hits
            else:
                biased += hits
    assert biased >= plain
    assert biased >= 4  # of 6 names


UNRELATED = [
    "The train to the coast leaves from the second platform every hour.",
    "She painted the fence blue and left the brushes by the door.",
    "Two swans glided across the lake at dawn.",
    "The kettle whistled while the toast turned golden.",
    "Old letters were found in a box under the stairs.",
    "The football match was delayed by heavy rain.",
]


def test_biasing_invents_none_of_the_names_in_unrelated_speech(
    whisper: SpeechToText, session: Session, tmp_path: Path
) -> None:
    vocabulary = build_vocabulary(session.assistant.data)
    distinctive = vocabulary.words() & {"meditate", "floss", "sara", "standup", "passport", "bins", "rent"}
    for text in UNRELATED:
        heard = whisper.transcribe(_espeak(text, tmp_path, "en+f2", 175), 16_000, vocabulary.phrases())  # type: ignore[call-arg]
        assert not set(words(heard.text)) & distinctive, heard.text
