"""Follow-ups, confirmation, undo, dry runs and what each tool does to the data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nargis_desktop.assistant.calls import DONE, FAILED, NEEDS_CONFIRMATION
from nargis_desktop.errors import InputError
from tests.assistant.harness import NOW, Session


def test_a_missing_time_is_asked_for_and_the_answer_completes_the_reminder(session: Session) -> None:
    turn, effect = session.say("remind me to call mom")
    assert turn.reply == "When should I remind you?" and effect.empty
    turn, effect = session.say("tomorrow at 5")
    (added,) = effect.added["reminders"]
    assert (added["text"], added["at"]) == ("call mom", "2026-11-26T17:00:00")
    assert turn.reply == "Okay, I'll remind you to call mom tomorrow at 5 PM."


def test_a_time_already_gone_today_is_asked_about_again_and_nothing_is_written(session: Session) -> None:
    late = NOW.replace(hour=23, minute=27)
    turn, effect = session.say("remind me to take out the bins tonight at 8", now=late)
    assert turn.reply == "Today at 8 PM has already passed. When should I remind you?" and effect.empty
    turn, effect = session.say("tomorrow at 8 pm", now=late + timedelta(seconds=20))
    (added,) = effect.added["reminders"]
    assert (added["text"], added["at"]) == ("take out the bins", "2026-11-26T20:00:00")


def test_it_refers_to_what_was_just_added(session: Session) -> None:
    session.say("add buy stamps")
    _turn, effect = session.say("mark it done")
    ((_old, new),) = effect.changed["tasks"]
    assert new["title"] == "Buy stamps" and new["done"] is True


def test_snooze_that_snoozes_the_reminder_just_set(session: Session) -> None:
    session.say("remind me to stretch in 20 minutes")
    _turn, effect = session.say("snooze that for 10 minutes")
    ((_old, new),) = effect.changed["reminders"]
    assert new["text"] == "stretch" and new["snoozed_until"] == "2026-11-25T10:00:00"


def test_a_delete_waits_for_yes_and_undo_brings_it_back(session: Session) -> None:
    turn, effect = session.say("delete the task buy milk")
    assert turn.actions[0].status == NEEDS_CONFIRMATION and effect.empty
    assert "deletes the task Buy milk" in turn.reply
    turn, effect = session.say("yes")
    assert turn.actions[0].status == DONE and [t["title"] for t in effect.removed["tasks"]] == ["Buy milk"]
    turn, effect = session.say("undo that")
    assert [t["title"] for t in effect.added["tasks"]] == ["Buy milk"] and "undone" in turn.reply


def test_no_cancels_a_pending_delete(session: Session) -> None:
    session.say("delete buy milk")
    turn, effect = session.say("no")
    assert effect.empty and turn.reply == "Okay, I won't."
    turn, effect = session.say("yes")
    assert effect.empty and "nothing waiting" in turn.reply


def test_yes_flag_runs_a_destructive_action_at_once(session: Session) -> None:
    turn, effect = session.say("delete buy milk", yes=True)
    assert turn.actions[0].status == DONE and len(effect.removed["tasks"]) == 1


def test_a_bulk_completion_names_its_effect_and_undo_reverts_all(session: Session) -> None:
    turn, _ = session.say("complete all tasks for today")
    assert "completes 3 tasks" in turn.reply
    _turn, effect = session.say("yes")
    assert len(effect.changed["tasks"]) == 3
    _turn, effect = session.say("undo")
    assert len(effect.changed["tasks"]) == 3 and all(not new["done"] for _o, new in effect.changed["tasks"])


def test_undo_of_a_check_in_removes_it(session: Session) -> None:
    session.say("I meditated today")
    _turn, effect = session.say("undo")
    assert [c["habit"] for c in effect.removed["checkins"]] == ["Meditate"]


def test_undo_of_completing_a_recurring_task_restores_its_date(session: Session) -> None:
    session.say("mark pay rent done")
    _turn, effect = session.say("undo")
    ((_old, new),) = effect.changed["tasks"]
    assert new["due"] == "2026-12-01"
    assert session.store.completions.count() == 0


def test_the_conversation_is_forgotten_after_five_minutes(session: Session) -> None:
    session.say("remind me to call mom")
    _turn, effect = session.say("tomorrow at 5", now=NOW + timedelta(minutes=6))
    assert effect.empty and not effect.added["reminders"]


def test_dry_run_changes_nothing(session: Session) -> None:
    turn, effect = session.say("add buy stamps", dry_run=True)
    assert turn.actions[0].status == DONE and "Buy stamps" in turn.reply and effect.empty
    _turn, effect = session.say("undo")
    assert effect.empty  # the dry run left no undo behind either


def test_empty_input_is_refused(session: Session) -> None:
    with pytest.raises(InputError):
        session.say("   ")


def test_an_unknown_habit_fails_with_a_helpful_reply(session: Session) -> None:
    turn, effect = session.say("check in my juggling habit")
    assert turn.actions[0].status == FAILED and effect.empty and "new habit juggling" in turn.reply


@pytest.mark.parametrize(
    ("said", "tool"),
    [
        ("add buy stamps", "add_task"),
        ("mark buy milk done", "complete_task"),
        ("delete buy milk", "delete_task"),
        ("move buy milk to friday", "edit_task"),
        ("what's on my list", "list_tasks"),
        ("complete all my tasks", "complete_all_tasks"),
        ("new habit juggle", "add_habit"),
        ("I meditated", "check_habit"),
        ("what's my run streak", "habit_streak"),
        ("which habits are left", "list_habits"),
        ("journal: a fine day", "add_journal"),
        ("remind me to nap in 5 minutes", "add_reminder"),
        ("snooze stretch reminder for 5 minutes", "snooze_reminder"),
        ("cancel the stretch reminder", "cancel_reminder"),
        ("what reminders do I have", "list_reminders"),
        ("thanks", "chat"),
    ],
)
def test_every_tool_is_reachable_and_reports_its_status(session: Session, said: str, tool: str) -> None:
    turn, _effect = session.say(said)
    assert turn.path == "fast" and turn.actions[0].tool == tool
    assert turn.actions[0].status in {DONE, NEEDS_CONFIRMATION}


def test_the_weekly_review_speaks_of_tasks_habits_and_journal(session: Session) -> None:
    session.say("mark buy milk as done")
    turn, effect = session.say("give me my weekly review")
    assert effect.empty
    assert turn.reply.startswith("In the last seven days you finished 1 task.")
    assert "Run went best, done 100% of the time" in turn.reply  # 3 runs in 7 days meets 3 a week
    assert turn.reply.endswith("One task is overdue.")
    turn, _ = session.say("how many tasks did I finish this week")
    assert turn.reply.startswith("You finished 1 task this week.")
