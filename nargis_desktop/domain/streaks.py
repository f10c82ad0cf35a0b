"""Streaks that honour a habit's schedule.

A scheduled day without a check-in breaks the streak; an unscheduled day does not. The history
starts at the habit's effective start (its start, creation or first check-in, the earliest). Today
(or this week, for N-per-week habits) is still open, so not having done it yet breaks nothing.
For N-per-week habits the streak counts weeks (Monday to Sunday) that met the number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from nargis_desktop.domain.habits import CheckIn, Habit, effective_start
from nargis_desktop.domain.plurals import count


@dataclass(frozen=True)
class Streak:
    current: int
    best: int
    unit: str  # "day" or "week"

    def describe(self) -> str:
        """"1 day (best 3)", "0 days (best 1)"."""
        return f"{count(self.current, self.unit)} (best {self.best})"


def done_days(habit: Habit, checkins: Iterable[CheckIn]) -> set[date]:
    return {c.day for c in checkins if c.habit_id == habit.id and habit.counts(c)}


def streak(habit: Habit, checkins: Iterable[CheckIn], today: date) -> Streak:
    return streak_of_days(habit, done_days(habit, checkins), today)


def streak_of_days(habit: Habit, days: set[date], today: date) -> Streak:
    """The streak from the set of days the habit was done (as analytics queries return them)."""
    if habit.schedule.times_per_week is not None:
        return _weekly_streak(habit, days, today, habit.schedule.times_per_week)
    return _scheduled_streak(habit, days, today)


def _runs(outcomes: list[bool], last_is_open: bool) -> tuple[int, int]:
    """Current and best run of True; an unfinished last period neither adds nor breaks."""
    if last_is_open and outcomes and not outcomes[-1]:
        outcomes = outcomes[:-1]
    best = run = 0
    for ok in outcomes:
        run = run + 1 if ok else 0
        best = max(best, run)
    return run, best


def _scheduled_streak(habit: Habit, days: set[date], today: date) -> Streak:
    since = effective_start(habit, days)
    scheduled = habit.schedule.scheduled_days(habit.start, since, today, since=since)
    outcomes = [d in days for d in scheduled]
    current, best = _runs(outcomes, last_is_open=bool(scheduled) and scheduled[-1] == today)
    return Streak(current=current, best=best, unit="day")


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weekly_streak(habit: Habit, days: set[date], today: date, needed: int) -> Streak:
    counts: dict[date, int] = {}
    for day in days:
        if day <= today:
            counts[_week_start(day)] = counts.get(_week_start(day), 0) + 1
    since = effective_start(habit, days)
    week = _week_start(since)
    this_week = _week_start(today)
    outcomes: list[bool] = []
    while week <= this_week:
        outcomes.append(counts.get(week, 0) >= needed)
        week += timedelta(weeks=1)
    # The week the habit started in was partial: missing it is no break.
    if len(outcomes) > 1 and not outcomes[0] and _week_start(since) != since:
        outcomes = outcomes[1:]
    current, best = _runs(outcomes, last_is_open=True)
    return Streak(current=current, best=best, unit="week")
