"""Edits by voice against the real store: push a task back by an amount, change how often
something repeats, and "when is my next …" (read-only); every write undoes."""

from __future__ import annotations

import pytest

from nargis_desktop.assistant.tools import CONFIRMING_TOOLS, DESTRUCTIVE, READ, READ_TOOLS, TOOLS
from tests.assistant.harness import Session


def _only_change(effect, kind: str) -> tuple[dict, dict]:  # type: ignore[no-untyped-def, type-arg]
    changed = [pair for pairs in effect.changed.values() for pair in pairs]
    assert not any(effect.added.values()) and not any(effect.removed.values()), effect
    assert len(changed) == 1 and changed[0] in effect.changed[kind], effect
    return changed[0]


@pytest.mark.parametrize(
    ("said", "title", "due"),
    [
        ("push the call the bank task back by two days", "Call the bank", "2026-11-28"),
        ("push call the bank back by 2 days", "Call the bank", "2026-11-28"),
        ("move call the bank back a day", "Call the bank", "2026-11-27"),
        ("postpone buy milk by a week", "Buy milk", "2026-12-02"),
        ("delay the pay rent task by 3 days", "Pay rent", "2026-12-04"),
        ("push back buy milk by one day", "Buy milk", "2026-11-26"),
        ("please put off the report by a day", "Write report", "2026-11-25"),
        ("bump email sara back by two weeks", "Email Sara about the trip", "2026-12-09"),
        ("alexa push buy milk back by 2 days", "Buy milk", "2026-11-27"),
    ],
)
def test_a_task_is_pushed_back_by_the_amount_said_and_undo_puts_it_back(
    session: Session, said: str, title: str, due: str
) -> None:
    turn, effect = session.say(said)
    old, new = _only_change(effect, "tasks")
    assert (new["title"], new["due"]) == (title, due), turn.reply
    _turn, undone = session.say("undo")
    assert _only_change(undone, "tasks") == (new, old)


def test_pushing_back_what_was_just_added(session: Session) -> None:
    session.say("add dentist tomorrow")
    turn, effect = session.say("push it back by two days")
    _old, new = _only_change(effect, "tasks")
    assert (new["title"], new["due"]) == ("Dentist", "2026-11-28"), turn.reply


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("push renew passport back by two days", "has no date"),
        ("push buy milk back by an hour", "days or weeks"),
        ("push buy milk back by 3 fortnights", ""),
    ],
)
def test_a_push_that_cannot_apply_writes_nothing_and_says_why(session: Session, said: str, reply: str) -> None:
    turn, effect = session.say(said)
    assert effect.empty, turn.reply
    assert reply in turn.reply


@pytest.mark.parametrize(
    ("said", "kind", "field", "value"),
    [
        ("make meditate every weekday", "habits", "schedule", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("change floss to every monday", "habits", "schedule", "FREQ=WEEKLY;BYDAY=MO"),
        ("the read habit should repeat on weekdays", "habits", "schedule", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("change pay rent to every two weeks", "tasks", "recurrence", "FREQ=WEEKLY;INTERVAL=2"),
        ("make buy milk repeat every monday", "tasks", "recurrence", "FREQ=WEEKLY;BYDAY=MO"),
        ("set call the bank to repeat weekly", "tasks", "recurrence", "FREQ=WEEKLY"),
        ("make the stretch reminder every weekday", "reminders", "recurrence", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("make team standup daily", "reminders", "recurrence", "FREQ=DAILY"),
    ],
)
def test_a_repeat_is_changed_by_voice_and_undo_puts_it_back(
    session: Session, said: str, kind: str, field: str, value: str
) -> None:
    turn, effect = session.say(said)
    old, new = _only_change(effect, kind)
    assert new[field] == value, turn.reply
    assert "FREQ" not in turn.reply  # people read words, not rules
    _turn, undone = session.say("undo")
    assert _only_change(undone, kind) == (new, old)


def test_make_it_repeat_applies_to_what_was_just_added(session: Session) -> None:
    session.say("add water the plants tomorrow")
    turn, effect = session.say("make it every sunday")
    _old, new = _only_change(effect, "tasks")
    assert (new["title"], new["recurrence"]) == ("Water the plants", "FREQ=WEEKLY;BYDAY=SU"), turn.reply


def test_make_it_repeat_with_nothing_to_refer_to_writes_nothing(session: Session) -> None:
    turn, effect = session.say("make it every weekday")
    assert effect.empty, turn.reply


@pytest.mark.parametrize(
    ("said", "words"),
    [
        ("when is my next pay rent", "Tuesday"),
        ("when is pay rent next due", "Tuesday"),
        ("when is my next team standup", "tomorrow at 9"),
        ("when's my next meditate", "today"),
        ("when do i next run", "3 times a week"),
        ("when is my next reminder", "Stretch today at 11"),
        ("when is my next task", "Write report"),
        ("when is the next time I need to call the bank", "tomorrow"),
        ("when is my next passport renewal", "no date"),
    ],
)
def test_when_is_my_next_thing_is_answered_and_writes_nothing(session: Session, said: str, words: str) -> None:
    turn, effect = session.say(said)
    assert effect.empty, turn.reply
    assert [a.tool for a in turn.actions] == ["next_time"]
    assert words in turn.reply, turn.reply


def test_the_next_day_of_a_habit_done_today_is_its_next_scheduled_day(session: Session) -> None:
    session.say("I meditated today")
    turn, effect = session.say("when is my next meditate")
    assert effect.empty and "tomorrow" in turn.reply, turn.reply


def test_each_tool_is_one_registry_entry_whose_kind_drives_the_rules() -> None:
    assert {name for name, tool in TOOLS.items() if tool.kind == READ} == READ_TOOLS
    assert {name for name, tool in TOOLS.items() if tool.kind == DESTRUCTIVE} == CONFIRMING_TOOLS
    assert {"next_time", "day_agenda", "habit_on_day", "task_status"} <= READ_TOOLS
    assert {"edit_task", "change_repeat", "move_reminder"}.isdisjoint(READ_TOOLS)
    writing = [tool for tool in TOOLS.values() if tool.writes and not tool.asks_first]
    assert all(tool.undo_label != "that" or tool.name in {"edit_task", "change_repeat"} for tool in writing)
