"""A transcript heard with low confidence is never written on: Nargis names the effect and waits
for a yes ("Did you say: …?"), or asks again. Real assistant on a real store; fake recogniser."""

from __future__ import annotations

import pytest

from nargis_desktop.assistant.assistant import SAY_AGAIN
from nargis_desktop.assistant.calls import NEEDS_CONFIRMATION, Turn
from nargis_desktop.assistant.voice import FINAL_TRANSCRIPT, REPLY_TEXT
from nargis_desktop.assistant.voice import SAY_AGAIN as PIPELINE_SAY_AGAIN
from nargis_desktop.models.engines.base import Transcript
from tests.assistant.harness import Session
from tests.fakes import tone
from tests.voice.test_turn_logic import pipeline_with

DOUBTFUL = Transcript("remind me to call grandma at 9 pm", average_log_probability=-1.2, no_speech_probability=0.02)


@pytest.mark.parametrize(
    ("transcript", "doubtful"),
    [
        (Transcript("add buy milk", average_log_probability=-0.1, no_speech_probability=0.01), False),
        (Transcript("add buy milk", average_log_probability=-0.9, no_speech_probability=0.01), True),
        (Transcript("add buy milk", average_log_probability=-0.2, no_speech_probability=0.8), True),
        (Transcript("add buy milk", word_confidences=(0.98, 0.31, 0.9)), True),
        (Transcript("add buy milk", word_confidences=(0.98, 0.91, 0.9)), False),
        (Transcript("add buy milk"), False),  # an engine that reports nothing is taken at its word
        (Transcript("", average_log_probability=-3.0), False),  # nothing heard is "didn't catch", not doubt
    ],
)
def test_what_counts_as_doubtful(transcript: Transcript, doubtful: bool) -> None:
    assert transcript.doubtful is doubtful


def test_a_misheard_write_is_asked_about_and_a_clear_yes_writes_it(session: Session) -> None:
    turn, effect = session.say("remind me to call grandma at 9 pm", misheard=True)
    assert effect.empty
    assert turn.actions[0].status == NEEDS_CONFIRMATION
    assert turn.reply.startswith("Did you say: set a reminder to call grandma")
    turn, effect = session.say("yes")
    assert [r["text"] for r in effect.added["reminders"]] == ["call grandma"]


def test_a_misheard_yes_or_undo_writes_nothing(session: Session) -> None:
    session.say("remind me to call grandma at 9 pm", misheard=True)
    turn, effect = session.say("yes", misheard=True)
    assert effect.empty and turn.reply == SAY_AGAIN
    session.say("add buy eggs")  # heard clearly: written, and undoable
    turn, effect = session.say("undo", misheard=True)
    assert effect.empty and turn.reply == SAY_AGAIN


def test_a_misheard_question_is_still_answered(session: Session) -> None:
    turn, effect = session.say("what's on my list today?", misheard=True)
    assert effect.empty and "buy milk" in turn.reply.lower()


def test_the_pipeline_never_acts_on_a_doubtful_transcript_without_a_doubt_handler() -> None:
    from tests.fakes import FixedStt, acting

    asked, act = acting()
    pipeline, microphone, _speaker, events = pipeline_with(stt=FixedStt([DOUBTFUL]), act=act)
    pipeline.press()
    microphone.speak(tone(400))
    pipeline.release()
    assert pipeline.wait(30)
    assert asked == []
    assert next(e.data for e in events if e.kind == FINAL_TRANSCRIPT)["doubtful"] is True
    assert [e.data["text"] for e in events if e.kind == REPLY_TEXT] == [PIPELINE_SAY_AGAIN]


def test_the_pipeline_hands_a_doubtful_transcript_to_the_doubt_handler(session: Session) -> None:
    from tests.fakes import FixedStt, acting

    asked, act = acting()
    doubted: list[Turn] = []

    def act_on_doubt(text: str) -> Turn:
        turn, _effect = session.say(text, misheard=True)
        doubted.append(turn)
        return turn

    pipeline, microphone, _speaker, events = pipeline_with(stt=FixedStt([DOUBTFUL]), act=act)
    pipeline.act_on_doubt = act_on_doubt
    pipeline.press()
    microphone.speak(tone(400))
    pipeline.release()
    assert pipeline.wait(30)
    assert asked == [] and len(doubted) == 1
    reply = next(e.data["text"] for e in events if e.kind == REPLY_TEXT)
    assert reply.startswith("Did you say: set a reminder to call grandma")
