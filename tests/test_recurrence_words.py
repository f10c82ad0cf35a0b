"""Repeats in words both ways: what people say becomes an RRULE, and every RRULE reads as words."""

from __future__ import annotations

from datetime import datetime

import pytest

from nargis_desktop.domain.recurrence import next_occurrence
from nargis_desktop.domain.recurrence_phrases import phrase_to_rule
from nargis_desktop.domain.recurrence_words import CUSTOM, describe_rule
from nargis_desktop.domain.when import find_when
from tests.moments import NOW


@pytest.mark.parametrize(
    ("said", "rule", "read_back"),
    [
        ("every other day", "FREQ=DAILY;INTERVAL=2", "every other day"),
        ("last friday of every month", "FREQ=MONTHLY;BYDAY=-1FR", "on the last Friday of every month"),
        ("the first monday of the month", "FREQ=MONTHLY;BYDAY=1MO", "on the first Monday of every month"),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("3 times a week", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Monday, Wednesday and Friday"),
        ("twice a week", "FREQ=WEEKLY;BYDAY=TU,TH", "every Tuesday and Thursday"),
        ("every other monday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "every other Monday"),
        ("every mon, wed and fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Monday, Wednesday and Friday"),
        ("every 3 weeks", "FREQ=WEEKLY;INTERVAL=3", "every 3 weeks"),
        ("on the 15th of every month", "FREQ=MONTHLY;BYMONTHDAY=15", "on the 15th of every month"),
        ("on the last day of every month", "FREQ=MONTHLY;BYMONTHDAY=-1", "on the last day of every month"),
        ("weekends", "FREQ=WEEKLY;BYDAY=SA,SU", "every weekend"),
        ("daily", "FREQ=DAILY", "every day"),
    ],
)
def test_a_repeat_said_becomes_a_rule_that_reads_back_in_words(said: str, rule: str, read_back: str) -> None:
    assert phrase_to_rule(said) == rule
    assert describe_rule(rule) == read_back


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3", "every year on March 3"),
        ("FREQ=DAILY;COUNT=5", "every day, 5 times"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH", "every 3 weeks on Monday and Thursday"),
        ("FREQ=DAILY;BYHOUR=7;BYMINUTE=30", "every day at 7:30 AM"),
        ("FREQ=WEEKLY;UNTIL=20261231T000000", "every week, until 31 December 2026"),
        ("RRULE:FREQ=MONTHLY;BYDAY=2TU", "on the second Tuesday of every month"),
        ("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO", CUSTOM),
        ("not a rule", CUSTOM),
    ],
)
def test_any_rule_reads_as_words_never_as_rule_text(rule: str, words: str) -> None:
    assert describe_rule(rule) == words
    assert "FREQ" not in describe_rule(rule)


def test_a_repeat_with_a_time_in_a_command_gives_both() -> None:
    rest, said = find_when("stretch every weekday at 7", NOW)
    assert rest == "stretch" and said is not None
    assert said.rule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" and said.at == datetime(2026, 11, 25, 7, 0)
    rest, said = find_when("pay rent on the last friday of every month", NOW)
    assert rest == "pay rent" and said is not None and said.rule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert next_occurrence(said.rule, NOW, NOW) == datetime(2026, 11, 27, 9, 30)


def test_lines_and_exports_for_people_say_repeats_and_counts_in_words() -> None:
    from nargis_desktop.cli.render import habit_line, task_line
    from nargis_desktop.domain.habits import Habit, Schedule
    from nargis_desktop.domain.plurals import count
    from nargis_desktop.domain.streaks import Streak
    from nargis_desktop.domain.tasks import Task
    from nargis_desktop.exchange.json_format import Snapshot
    from nargis_desktop.exchange.text_formats import to_markdown

    task = Task("Water the plants", NOW, due=NOW.date(), recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")
    assert "(repeats every other Monday)" in task_line(task, NOW)
    habit = Habit("Run", start=NOW.date(), created_at=NOW, schedule=Schedule.parse("mon,wed,fri"))
    assert "[every Monday, Wednesday and Friday]" in habit_line(habit, Streak(1, 1, "day"))
    assert "streak 1 day (best 1)" in habit_line(habit, Streak(1, 1, "day"))
    markdown = to_markdown(Snapshot(tasks=[task], habits=[habit]), NOW)
    assert "repeats every other Monday" in markdown and "0 check-ins" in markdown and "FREQ" not in markdown
    assert [count(1, "entry"), count(2, "entry"), count(0, "day"), count(1.5, "glass")] == [
        "1 entry",
        "2 entries",
        "0 days",
        "1.5 glasses",
    ]
