"""The one time grammar (domain/when.py): what each phrase means, at clocks where it is easy to get wrong."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime

import pytest

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.when import (
    find_when,
    parse_check_in_day,
    parse_reminder_time,
    parse_when,
    parse_written,
)

MONTH_END_MORNING = datetime(2026, 11, 30, 10, 16)  # a Monday; the clock the "8am" bug was seen at
EVENING = datetime(2026, 11, 25, 20, 30)  # a Wednesday
NIGHT = datetime(2026, 11, 25, 22, 0)


@pytest.mark.parametrize(
    ("now", "said", "meant"),
    [
        # the phrases, on the clock that showed them wrong
        (MONTH_END_MORNING, "8am", datetime(2026, 12, 1, 8, 0)),
        (MONTH_END_MORNING, "tonight", datetime(2026, 11, 30, 20, 0)),
        (MONTH_END_MORNING, "at 9", datetime(2026, 11, 30, 21, 0)),
        (MONTH_END_MORNING, "the 15th", date(2026, 12, 15)),
        (MONTH_END_MORNING, "end of the month", date(2026, 11, 30)),
        (MONTH_END_MORNING, "in 90 minutes", datetime(2026, 11, 30, 11, 46)),
        (MONTH_END_MORNING, "next week", date(2026, 12, 7)),
        (MONTH_END_MORNING, "this evening", datetime(2026, 11, 30, 18, 0)),
        (MONTH_END_MORNING, "the 31st", date(2026, 12, 31)),
        (MONTH_END_MORNING, "in a month", date(2026, 12, 30)),
        (MONTH_END_MORNING, "end of next month", date(2026, 12, 31)),
        (MONTH_END_MORNING, "feb 29", date(2028, 2, 29)),
        (MONTH_END_MORNING, "tomorrow at 5", datetime(2026, 12, 1, 17, 0)),
        (MONTH_END_MORNING, "friday at 9", datetime(2026, 12, 4, 9, 0)),
        (MONTH_END_MORNING, "monday at 9am", datetime(2026, 12, 7, 9, 0)),  # today's 9 am has passed
        (MONTH_END_MORNING, "monday at 11am", datetime(2026, 11, 30, 11, 0)),
        (MONTH_END_MORNING, "the first of next month", date(2026, 12, 1)),
        (MONTH_END_MORNING, "midnight", datetime(2026, 12, 1, 0, 0)),
        (MONTH_END_MORNING, "tomorrow at midnight", datetime(2026, 12, 2, 0, 0)),
        (MONTH_END_MORNING, "2026-12-01T09:00", datetime(2026, 12, 1, 9, 0)),
        (MONTH_END_MORNING, "Dec 25th, 2027", date(2027, 12, 25)),
        (MONTH_END_MORNING, "3 days ago", date(2026, 11, 27)),
        # the bare-hour rule: the next time the clock shows it
        (EVENING, "at 9", datetime(2026, 11, 25, 21, 0)),
        (NIGHT, "at 9", datetime(2026, 11, 26, 9, 0)),
        (EVENING, "at 12", datetime(2026, 11, 26, 0, 0)),
        (EVENING, "tonight", datetime(2026, 11, 25, 21, 0)),  # after 20:00: the next whole hour
        (EVENING, "this evening", datetime(2026, 11, 25, 21, 0)),
        (NIGHT, "in the morning", datetime(2026, 11, 26, 9, 0)),
        (EVENING, "tonight at 11", datetime(2026, 11, 25, 23, 0)),
        (EVENING, "at 7 in the morning", datetime(2026, 11, 26, 7, 0)),
        # speech-recogniser forms read like typed ones
        (EVENING, "6 30", datetime(2026, 11, 26, 6, 30)),
        (EVENING, "at 6 30", datetime(2026, 11, 26, 6, 30)),
        (EVENING, "545 am", datetime(2026, 11, 26, 5, 45)),
        (EVENING, "7m", datetime(2026, 11, 26, 7, 0)),
        (EVENING, "at 7m", datetime(2026, 11, 26, 7, 0)),
        (EVENING, "9 p.m.", datetime(2026, 11, 25, 21, 0)),
        (EVENING, "2 15 p.m.", datetime(2026, 11, 26, 14, 15)),
        (EVENING, "at five thirty", datetime(2026, 11, 26, 5, 30)),
        (EVENING, "half past ten", datetime(2026, 11, 25, 22, 30)),
        (EVENING, "quarter to nine", datetime(2026, 11, 25, 20, 45)),
        (EVENING, "at 1730", datetime(2026, 11, 26, 17, 30)),
        (EVENING, "tomorrow at 6.30 pm", datetime(2026, 11, 26, 18, 30)),  # whisper's way of writing 6:30
        (EVENING, "9.15 am", datetime(2026, 11, 26, 9, 15)),
        (EVENING, "at 7.45", datetime(2026, 11, 26, 7, 45)),
        (EVENING, "in 7m", datetime(2026, 11, 25, 20, 37)),
    ],
)
def test_a_phrase_means_the_moment_a_person_means(now: datetime, said: str, meant: date | datetime) -> None:
    assert parse_when(said, now) == meant


@pytest.mark.parametrize(
    ("said", "named"),
    [
        ("december 32", "December 32"),
        ("february 30", "February 30"),
        ("feb 29 2027", "February 29 in 2027"),
        ("2026-02-30", "2026-02-30"),
        ("25:00", "25:00"),
        ("13pm", "13pm"),
        ("the 32nd", "32nd"),
        ("blursday", "blursday"),
        ("tomorrow at dawnish", "dawnish"),
    ],
)
def test_an_impossible_or_unknown_date_is_refused_naming_the_words(said: str, named: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_when(said, EVENING)
    assert named in refused.value.message


@pytest.mark.parametrize("said", ["yesterday at 5", "3 days ago", "last friday", "today at 8am", "2026-11-01 08:00"])
def test_a_reminder_in_the_past_is_refused_but_a_task_may_be_due_then_when_said(said: str) -> None:
    with pytest.raises(DomainError, match="already passed"):
        parse_reminder_time(said, EVENING)
    assert parse_when(said, EVENING) < (EVENING if "at" in said or ":" in said else EVENING.date())  # type: ignore[operator]


def test_a_reminder_for_a_bare_day_rings_at_nine() -> None:
    assert parse_reminder_time("friday", EVENING) == datetime(2026, 11, 27, 9, 0)


def test_a_check_in_day_looks_back_and_refuses_days_to_come() -> None:
    assert parse_check_in_day("friday", EVENING) == date(2026, 11, 20)
    assert parse_check_in_day("wednesday", EVENING) == date(2026, 11, 25)
    assert parse_check_in_day("the 15th", EVENING) == date(2026, 11, 15)
    assert parse_check_in_day("yesterday", EVENING) == date(2026, 11, 24)
    with pytest.raises(DomainError, match="has not come yet"):
        parse_check_in_day("tomorrow", EVENING)


def test_words_that_are_not_times_stay_in_the_command() -> None:
    not_times = (
        "I sat down and wrote",
        "go out in the sun",
        "write the first draft",
        "buy 7m of cable",
        "pay 6.30 euros",
    )
    for said in not_times:
        assert find_when(said, EVENING) == (said, None)


def test_a_date_that_does_not_exist_inside_a_command_is_kept_as_a_problem_not_dropped() -> None:
    rest, said = find_when("meet Sara on december 32", EVENING)
    assert rest == "meet Sara" and said is not None and said.problem == "there is no December 32"
    with pytest.raises(DomainError, match="December 32"):
        _ = said.at


def test_written_dates_in_cells_and_files_need_no_clock() -> None:
    assert parse_written("2026-11-25") == date(2026, 11, 25)
    assert parse_written("11/25/2026 14:30") == datetime(2026, 11, 25, 14, 30)
    assert parse_written("25.11.2026") == date(2026, 11, 25)
    assert parse_written("2026-11-25T09:30:00+01:00") == datetime(2026, 11, 25, 9, 30)
    with pytest.raises(DomainError, match="not a real date"):
        parse_written("2026-02-30")


@pytest.fixture
def london() -> Iterator[None]:
    import os

    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("london")
def test_minutes_and_hours_count_real_time_across_both_clock_changes() -> None:
    # 29 March 2026: 01:00 GMT becomes 02:00 BST. 90 real minutes after 00:30 is 03:00 on the clock.
    assert parse_when("in 90 minutes", datetime(2026, 3, 29, 0, 30)) == datetime(2026, 3, 29, 3, 0)
    # 25 October 2026: 02:00 BST becomes 01:00 GMT. Two real hours after 00:30 is 01:30 on the clock.
    assert parse_when("in 2 hours", datetime(2026, 10, 25, 0, 30)) == datetime(2026, 10, 25, 1, 30)
    # inside the repeated hour a naive wall time cannot name the second 01:15: it stays ahead instead
    assert parse_when("in 30 minutes", datetime(2026, 10, 25, 1, 45)) == datetime(2026, 10, 25, 2, 15)
    # wall times stay wall times: "tomorrow at 9" is 09:00 whatever the offset
    assert parse_when("tomorrow at 9", datetime(2026, 3, 28, 22, 0)) == datetime(2026, 3, 29, 9, 0)
