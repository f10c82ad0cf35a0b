"""The Vosk engine on real Korean speech: a recognizer reused across turns hears each turn afresh,
and word timings come when asked for."""

from __future__ import annotations

import difflib

import pytest

from benchmarks.voice_turns import speak_korean
from nargis_desktop.models.engines.base import SpeechToText
from nargis_desktop.models.engines.vosk_stt import VoskSpeechToText

SENTENCES = ("내일 다섯 시에 엄마에게 전화하라고 알려줘", "프린터 잉크 주문하기를 추가해줘")


def korean(text: str) -> bytes:
    speech = speak_korean(text)
    if speech is None:
        pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
    return speech


def _stream(stt: SpeechToText, pcm: bytes) -> str:
    stream = stt.stream(16_000)
    for offset in range(0, len(pcm), 640):
        stream.accept(pcm[offset : offset + 640])
    return stream.finish().text


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a.split(), b=b.split()).ratio()


def test_a_reused_recognizer_hears_each_turn_as_a_fresh_one_would(vosk_korean: SpeechToText) -> None:
    """Vosk carries its speaker adaptation over to the next turn (so a word may differ), never the words."""
    first, second = (korean(s) for s in SENTENCES)
    model_dir = vosk_korean.model_dir  # type: ignore[attr-defined]
    fresh = [_stream(VoskSpeechToText(model_dir), first), _stream(VoskSpeechToText(model_dir), second)]
    assert fresh[0] and fresh[1] and _similar(*fresh) < 0.3
    reused = [_stream(vosk_korean, first), _stream(vosk_korean, second), _stream(vosk_korean, first)]
    for heard, expected, other in zip(reused, [*fresh, fresh[0]], [fresh[1], *fresh], strict=True):
        assert _similar(heard, expected) >= 0.6 and _similar(heard, other) < 0.3


def test_word_timings_come_when_asked_for(vosk_korean: SpeechToText) -> None:
    pcm = korean(SENTENCES[0])
    timing = VoskSpeechToText(vosk_korean.model_dir, word_timings=True)  # type: ignore[attr-defined]
    timing.transcribe(korean(SENTENCES[1]))  # an earlier turn must not shift this one's times
    timed = timing.transcribe(pcm)
    assert timed.words and len(timed.words) == len(timed.text.split())
    assert all(w.start_s < w.end_s for w in timed.words)
    assert [w.start_s for w in timed.words] == sorted(w.start_s for w in timed.words)
    assert timed.words[-1].end_s <= len(pcm) / 2 / 16_000 + 0.1
    assert not vosk_korean.transcribe(pcm).words  # the push-to-talk engine goes without


def test_a_phrase_grammar_reaches_vosk_in_its_own_letters(vosk_korean: SpeechToText) -> None:
    """Vosk reads the grammar as JSON text; escaped as \\ud504… its words matched nothing in the
    model's vocabulary and the grammar came out empty."""
    grammar = VoskSpeechToText(vosk_korean.model_dir, phrase_grammar=True)  # type: ignore[attr-defined]
    stream = grammar.stream(16_000, ["프린터", "잉크"])
    pcm = korean(SENTENCES[1])
    for offset in range(0, len(pcm), 640):
        stream.accept(pcm[offset : offset + 640])
    heard = stream.finish().text.split()
    assert {"프린터", "잉크"} <= set(heard) <= {"프린터", "잉크"}
