"""Every class of date and time phrase, relative to Wednesday 25 November 2026, 09:30."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from nargis_desktop.assistant.when_phrases import split_when
from tests.moments import NOW


@pytest.mark.parametrize(
    ("said", "at"),
    [
        # relative
        ("in 20 minutes", datetime(2026, 11, 25, 9, 50)),
        ("in 2 hours", datetime(2026, 11, 25, 11, 30)),
        ("in an hour", datetime(2026, 11, 25, 10, 30)),
        ("in half an hour", datetime(2026, 11, 25, 10, 0)),
        ("in 3 days", date(2026, 11, 28)),
        ("in a week", date(2026, 12, 2)),
        ("today", date(2026, 11, 25)),
        ("tomorrow", date(2026, 11, 26)),
        ("the day after tomorrow", date(2026, 11, 27)),
        # weekday names with this / next / last
        ("friday", date(2026, 11, 27)),
        ("on friday", date(2026, 11, 27)),
        ("this friday", date(2026, 11, 27)),
        ("next friday", date(2026, 12, 4)),
        ("last friday", date(2026, 11, 20)),
        ("wednesday", date(2026, 11, 25)),
        ("coming wednesday", date(2026, 12, 2)),
        ("next monday", date(2026, 11, 30)),
        ("next week", date(2026, 11, 30)),
        # times with and without am/pm
        ("at 5", datetime(2026, 11, 25, 17, 0)),
        ("at 9", datetime(2026, 11, 25, 21, 0)),
        ("at 10", datetime(2026, 11, 25, 10, 0)),
        ("at 5pm", datetime(2026, 11, 25, 17, 0)),
        ("at 7am", datetime(2026, 11, 26, 7, 0)),
        ("at 7 a.m.", datetime(2026, 11, 26, 7, 0)),
        ("at 17:45", datetime(2026, 11, 25, 17, 45)),
        ("tomorrow at 5", datetime(2026, 11, 26, 17, 0)),
        ("tomorrow at 8", datetime(2026, 11, 26, 8, 0)),
        ("tomorrow at 12am", datetime(2026, 11, 26, 0, 0)),
        ("friday at 10:30", datetime(2026, 11, 27, 10, 30)),
        # noon and midnight, parts of the day
        ("at noon", datetime(2026, 11, 25, 12, 0)),
        ("at midnight", datetime(2026, 11, 26, 0, 0)),
        ("tonight", datetime(2026, 11, 25, 20, 0)),
        ("this evening", datetime(2026, 11, 25, 18, 0)),
        ("tomorrow morning", datetime(2026, 11, 26, 9, 0)),
        ("at 8 in the evening", datetime(2026, 11, 25, 20, 0)),
        # dates and month ends
        ("on december 3rd", date(2026, 12, 3)),
        ("dec 3", date(2026, 12, 3)),
        ("on the 5th", date(2026, 12, 5)),
        ("on the 31st", date(2026, 12, 31)),
        ("on the 30th", date(2026, 11, 30)),
        ("on the 3rd of january", date(2027, 1, 3)),
        ("2027-02-28", date(2027, 2, 28)),
    ],
)
def test_time_phrases(said: str, at: date | datetime) -> None:
    rest, when = split_when(f"call mom {said}", NOW)
    assert rest == "call mom"
    assert when is not None and when.at == at


@pytest.mark.parametrize(
    ("said", "rule"),
    [
        ("every day", "FREQ=DAILY"),
        ("daily", "FREQ=DAILY"),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("on weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("every monday and thursday", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("every mon, wed and fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("on tuesdays", "FREQ=WEEKLY;BYDAY=TU"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every other day", "FREQ=DAILY;INTERVAL=2"),
        ("every month", "FREQ=MONTHLY"),
        ("on the first of every month", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("on the last day of every month", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("every year", "FREQ=YEARLY"),
        ("every evening", "FREQ=DAILY"),
    ],
)
def test_repeat_phrases(said: str, rule: str) -> None:
    rest, when = split_when(f"water the plants {said}", NOW)
    assert rest == "water the plants"
    assert when is not None and when.rule == rule


def test_words_that_are_not_times_stay_in_the_subject() -> None:
    rest, when = split_when("buy 2 apples and 3 pears", NOW)
    assert (rest, when) == ("buy 2 apples and 3 pears", None)
