"""The Insights view's day arithmetic: a habit's calendar and its rolling completion rates."""

from __future__ import annotations

from datetime import date, timedelta

from nargis_desktop.domain.habits import Habit, Schedule
from nargis_desktop.services.insight_series import (
    BEFORE,
    DONE,
    FUTURE,
    MISSED,
    OPEN,
    calendar_days,
    completion_rate_series,
)
from tests.moments import NOW

TODAY = date(2026, 11, 25)  # a Wednesday


def habit(schedule: str = "daily", days_old: int = 200) -> Habit:
    return Habit("Run", start=TODAY - timedelta(days=days_old), created_at=NOW, schedule=Schedule.parse(schedule))


def test_the_calendar_is_whole_weeks_from_monday_with_this_week_last() -> None:
    days = calendar_days(habit(), set(), TODAY, weeks=26)
    assert len(days) == 26 * 7
    assert min(days).weekday() == 0 and max(days) == date(2026, 11, 29)
    assert days[TODAY] == FUTURE and days[TODAY + timedelta(days=1)] == FUTURE


def test_a_weekday_habit_misses_only_weekdays_and_weekends_are_not_due() -> None:
    weekdays = habit("weekdays")
    done = {date(2026, 11, 23)}  # Monday
    days = calendar_days(weekdays, done, TODAY, weeks=2)
    assert days[date(2026, 11, 23)] == DONE
    assert days[date(2026, 11, 24)] == MISSED  # Tuesday, not done
    assert days[date(2026, 11, 22)] == OPEN  # Sunday
    assert days[date(2026, 11, 16)] == MISSED


def test_days_before_the_start_and_free_days_of_an_n_per_week_habit_are_not_misses() -> None:
    new = habit("3 times per week", days_old=3)
    days = calendar_days(new, {TODAY - timedelta(days=1)}, TODAY, weeks=2)
    assert days[TODAY - timedelta(days=4)] == BEFORE
    assert days[TODAY - timedelta(days=2)] == OPEN
    assert days[TODAY - timedelta(days=1)] == DONE


def test_rolling_rates_climb_as_a_daily_habit_is_kept_and_the_short_window_reacts_first() -> None:
    daily = habit()
    kept_since = TODAY - timedelta(days=10)
    done = {kept_since + timedelta(days=n) for n in range(11)}
    series = completion_rate_series(daily, done, TODAY, days=84, windows=(7, 30))
    assert len(series.days) == 84 and series.days[-1] == TODAY
    seven, thirty = series.rates[7], series.rates[30]
    assert seven[-1] == 1.0 and thirty[-1] == round(11 / 30, 4)
    assert seven[0] == 0.0 and all(0.0 <= r <= 1.0 for r in seven + thirty)
    assert list(thirty[-11:]) == sorted(thirty[-11:])


def test_a_new_habit_has_rates_only_from_its_start() -> None:
    series = completion_rate_series(habit(days_old=5), set(), TODAY)
    assert series.days[0] == TODAY - timedelta(days=5) and len(series.rates[7]) == 6
