"""The dialogue act before the tool: questions and out-of-scope requests never write, doubtful
writes are asked about, ASR text is cleaned, and questions about one's own data are answered."""

from __future__ import annotations

import pytest

from nargis_desktop.assistant.calls import DONE, NEEDS_CONFIRMATION
from nargis_desktop.assistant.heard import clean
from nargis_desktop.assistant.understanding import is_question
from tests.assistant.harness import Session


@pytest.mark.parametrize(
    "said",
    [
        "is buy milk done?",
        "is buy milk done",
        "did I finish the report",
        "did I meditate on monday?",
        "have I flossed today",
        "did I do my run yesterday",
        "what's on friday",
        "is there anything on friday",
        "do I have anything on saturday",
        "what did I write yesterday",
        "which habits am I tracking",
        "when is my next reminder",
        "what are my plans for tomorrow?",
        "did I add call the bank?",
    ],
)
def test_a_question_about_my_data_never_writes(session: Session, said: str) -> None:
    turn, effect = session.say(said)
    assert effect.empty, (said, turn.reply)
    assert not any(a.status == DONE and a.tool.startswith(("add_", "complete", "check", "edit")) for a in turn.actions)


@pytest.mark.parametrize(
    ("said", "words"),
    [
        ("put on some music", "music"),
        ("play some jazz", "music"),
        ("read my emails", "e-mail"),
        ("send an email to my boss", "e-mail"),
        ("tweet that I'm bored", "social media"),
        ("what's the weather like tomorrow", ""),
        ("turn off the lights in the kitchen", "home"),
        ("tell me a joke", ""),
        ("what is the capital of peru", ""),
        ("order me a pizza", ""),
        ("hello there", ""),
        ("I need to keep the kids busy this afternoon, tell me what to do", "advice"),
        ("can you recommend a podcast about history", ""),
    ],
)
def test_out_of_scope_and_chit_chat_write_nothing_and_say_what_nargis_can_do(
    session: Session, said: str, words: str
) -> None:
    turn, effect = session.say(said)
    assert effect.empty, (said, turn.reply)
    assert words.lower() in turn.reply.lower()
    if "can't" in turn.reply:
        assert "remind you" in turn.reply and "habits" in turn.reply


def test_a_skipped_habit_is_not_checked_off(session: Session) -> None:
    for said in ("I skipped my run today", "I didn't meditate today", "I forgot to floss last night"):
        turn, effect = session.say(said)
        assert effect.empty and "haven't checked off" in turn.reply, (said, turn.reply)


def test_answers_come_from_the_data(session: Session) -> None:
    assert session.say("is buy milk done?")[0].reply.startswith("No, Buy milk isn't done yet")
    assert session.say("did I meditate yesterday")[0].reply.startswith("Yes, you checked off Meditate yesterday")
    assert session.say("did I run yesterday")[0].reply.startswith("No, Run isn't checked off yesterday")
    habits = session.say("which habits am I tracking")[0].reply
    assert all(name in habits for name in ("Meditate", "Run", "Read", "Drink water", "Floss"))
    tomorrow = session.say("is there anything on tomorrow")[0].reply
    assert "Call the bank" in tomorrow and "Team standup" in tomorrow and "Take out the bins" in tomorrow
    assert "didn't write anything" in session.say("what did I write yesterday")[0].reply


def test_a_low_confidence_write_names_its_effect_and_waits_for_yes(session: Session) -> None:
    turn, effect = session.say("put on some music")
    assert effect.empty and not any(a.status == DONE for a in turn.actions)
    turn, effect = session.say("yes")
    assert effect.empty  # a decline leaves nothing waiting for a yes


def test_a_wake_up_request_sets_a_morning_reminder(session: Session) -> None:
    turn, effect = session.say("wake me up at 6 tomorrow")
    (added,) = effect.added["reminders"]
    assert added["at"] == "2026-11-26T06:00:00" and added["text"] == "wake up", turn.reply


def test_a_correction_moves_the_reminder_just_set_and_undo_restores_it(session: Session) -> None:
    session.say("remind me to call mom tomorrow at 6 pm")
    turn, effect = session.say("no, make it 7 pm")
    ((old, new),) = effect.changed["reminders"]
    assert (old["at"], new["at"]) == ("2026-11-26T18:00:00", "2026-11-26T19:00:00"), turn.reply
    _turn, effect = session.say("undo")
    ((_old, back),) = effect.changed["reminders"]
    assert back["at"] == "2026-11-26T18:00:00"


def test_a_reminder_moves_to_another_day_and_is_pushed_back(session: Session) -> None:
    turn, effect = session.say("move the bins reminder to friday")
    ((_old, new),) = effect.changed["reminders"]
    assert new["at"] == "2026-11-27T19:00:00", turn.reply
    turn, effect = session.say("push the stretch reminder back an hour")
    ((_old, new),) = effect.changed["reminders"]
    assert new["at"] == "2026-11-25T12:00:00", turn.reply


@pytest.mark.parametrize(
    ("said", "text", "at"),
    [
        ("um alexa remind me to uh call mom at 6 30 pm", "call mom", "2026-11-25T18:30:00"),
        ("hey google remind me to take the pills at 545 pm", "take the pills", "2026-11-25T17:45:00"),
        ("ok nargis remind me to stretch tomorrow at 2 15 p.m.", "stretch", "2026-11-26T14:15:00"),
        ("remind me to call sara at 8 15 tomorrow", "call sara", "2026-11-26T08:15:00"),
    ],
)
def test_asr_text_never_puts_fillers_or_wake_words_in_a_title(session: Session, said: str, text: str, at: str) -> None:
    turn, effect = session.say(said)
    (added,) = effect.added["reminders"]
    assert (added["text"], added["at"]) == (text, at), turn.reply


@pytest.mark.parametrize(
    ("said", "heard"),
    [
        ("um alexa add uh buy milk", "add buy milk"),
        ("hey nargis, remind me at 6 30", "remind me at 6:30"),
        ("ok google set an alarm for 545 am", "set an alarm for 5:45 am"),
        ("uh um", ""),
        ("add um-brella to my list", "add um-brella to my list"),
    ],
)
def test_clean_drops_wake_words_and_fillers(said: str, heard: str) -> None:
    assert clean(said) == heard


@pytest.mark.parametrize(
    "said", ["", " ", "🙂🙂🙂", "42", "december 3rd", "fuck this", "x" * 100_000, "add 買い物 to my list please ok"]
)
def test_bad_input_gets_a_clear_reply_and_no_unasked_write(session: Session, said: str) -> None:
    if not said.strip():
        return  # refused before a turn (test_dialogue)
    turn, effect = session.say(said)
    assert turn.reply
    if not said.startswith("add "):
        assert effect.empty, (said[:40], turn.reply)


def test_questions_are_told_from_polite_commands() -> None:
    assert is_question("is buy milk done") and is_question("anything on friday?")
    assert not is_question("can you remind me to call mom?") and not is_question("remind me to call mom")


def test_a_doubtful_write_names_its_effect_waits_for_yes_then_writes(session: Session) -> None:
    turn, effect = session.say("add uber to my phone")  # "add", but the classifier reads an app request
    assert effect.empty and turn.reply == "Add a task 'uber to my phone'?"
    assert turn.actions[0].status == NEEDS_CONFIRMATION
    turn, effect = session.say("yes")
    assert [t["title"] for t in effect.added["tasks"]] == ["Uber to my phone"]


def test_a_doubtful_write_is_dropped_by_no(session: Session) -> None:
    session.say("add uber to my phone")
    turn, effect = session.say("no")
    assert effect.empty and turn.reply == "Okay, I won't."


def test_no_make_it_seven_keeps_the_evening_and_the_day(session: Session) -> None:
    session.say("remind me to call mom tomorrow at 6 pm")
    turn, effect = session.say("no, make it seven")
    ((_old, new),) = effect.changed["reminders"]
    assert new["at"] == "2026-11-26T19:00:00" and turn.reply == "Moved the reminder to call mom to tomorrow at 7 PM."


def test_a_correction_moves_the_task_just_added(session: Session) -> None:
    session.say("add call the plumber tomorrow")
    _turn, effect = session.say("actually make it friday")
    ((_old, new),) = effect.changed["tasks"]
    assert (new["title"], new["due"]) == ("Call the plumber", "2026-11-27")


def test_something_done_that_is_not_tracked_yet_is_offered_as_a_new_habit_and_undo_removes_both(
    session: Session,
) -> None:
    turn, effect = session.say("I practised the piano yesterday")
    assert effect.empty and turn.actions[0].status == NEEDS_CONFIRMATION
    assert turn.reply == "Start a new habit 'piano' and check it off for yesterday?"
    turn, effect = session.say("yes")
    ((habit,),) = (effect.added["habits"],)
    ((checkin,),) = (effect.added["checkins"],)
    assert habit["name"] == "Piano" and checkin["date"] == "2026-11-24"
    _turn, effect = session.say("undo")
    assert [h["name"] for h in effect.removed["habits"]] == ["Piano"]
    assert len(effect.removed["checkins"]) == 1


@pytest.mark.parametrize("said", ["I did it", "I went for a run today", "I did that yesterday"])
def test_a_statement_of_something_done_never_starts_a_habit_unasked(session: Session, said: str) -> None:
    turn, effect = session.say(said)
    assert not effect.added.get("habits"), (said, turn.reply)
