from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.recurrence import next_occurrence, normalize_rule, roll_forward, to_aware
from nargis_desktop.domain.recurrence_phrases import phrase_to_rule
from nargis_desktop.domain.tasks import Task
from tests.moments import NOW


def test_completing_a_daily_task_rolls_it_to_the_next_day() -> None:
    task = Task("Stretch", NOW, due=date(2026, 11, 25), recurrence="FREQ=DAILY")
    done = task.complete(NOW)
    assert done.due == date(2026, 11, 26)
    assert not done.done
    assert done.completed_at == NOW


def test_completing_an_overdue_recurring_task_does_not_leave_it_overdue() -> None:
    task = Task("Water plants", NOW, due=date(2026, 11, 2), recurrence="FREQ=DAILY")
    assert task.complete(NOW).due == date(2026, 11, 25)


def test_a_timed_weekly_task_keeps_its_time_of_day() -> None:
    task = Task("Team sync", NOW, due=datetime(2026, 11, 24, 14, 0), recurrence="FREQ=WEEKLY;BYDAY=TU")
    assert task.complete(NOW).due == datetime(2026, 12, 1, 14, 0)


def test_monthly_on_the_31st_skips_short_months_as_rfc5545_says() -> None:
    task = Task("Pay rent", NOW, due=date(2026, 1, 31), recurrence="FREQ=MONTHLY")
    assert task.complete(datetime(2026, 1, 31, 8)).due == date(2026, 3, 31)


def test_last_day_of_every_month_lands_on_february_28() -> None:
    rule = phrase_to_rule("on the last day of every month")
    assert rule == "FREQ=MONTHLY;BYMONTHDAY=-1"
    assert next_occurrence(rule, date(2026, 1, 31), date(2026, 1, 31)) == datetime(2026, 2, 28)
    assert next_occurrence(rule, date(2028, 1, 31), date(2028, 1, 31)) == datetime(2028, 2, 29)


def test_a_rule_that_has_run_out_finishes_the_task() -> None:
    task = Task("Course", NOW, due=date(2026, 11, 25), recurrence="FREQ=DAILY;COUNT=1")
    assert task.complete(NOW).done


def test_daily_7am_stays_at_7am_local_across_the_dst_change() -> None:
    zone = ZoneInfo("Europe/Berlin")
    before = datetime(2026, 10, 24, 7, 0)  # the clocks go back on 25 October 2026
    after = roll_forward("FREQ=DAILY", before, before, before)
    assert after == datetime(2026, 10, 25, 7, 0)
    assert to_aware(before, zone).utcoffset() != to_aware(after, zone).utcoffset()  # type: ignore[union-attr]


def test_a_time_in_the_spring_forward_gap_moves_forward() -> None:
    zone = ZoneInfo("America/New_York")
    gap = datetime(2026, 3, 8, 2, 30)  # 02:00-03:00 does not exist that night
    resolved = to_aware(gap, zone)
    assert (resolved.hour, resolved.minute) == (3, 30)


@pytest.mark.parametrize(
    ("phrase", "rule"),
    [
        ("every day", "FREQ=DAILY"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every other day", "FREQ=DAILY;INTERVAL=2"),
        ("every monday and thursday", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("mon, wed, fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("on the first of every month", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("RRULE:FREQ=YEARLY;BYMONTH=3", "FREQ=YEARLY;BYMONTH=3"),
    ],
)
def test_repeat_phrases_become_rrules(phrase: str, rule: str) -> None:
    assert phrase_to_rule(phrase) == rule


def test_an_unknown_repeat_phrase_names_the_word() -> None:
    with pytest.raises(DomainError, match="'fortnightlyish'"):
        phrase_to_rule("every fortnightlyish")


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "BYDAY=MO", "FREQ=DAILY;INTERVAL=x", ""])
def test_invalid_rules_are_refused(rule: str) -> None:
    with pytest.raises(DomainError):
        normalize_rule(rule)
