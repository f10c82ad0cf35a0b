"""What the Insights view draws: a habit's calendar, its rolling completion rates, and the week series.

The day arithmetic is pure (over a habit and its done days) so it is tested without a store;
`insights_view` gathers everything the view shows in one read, on the store worker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nargis_desktop.domain.habits import Habit, effective_start
from nargis_desktop.domain.insights import completion_rate_of_days
from nargis_desktop.errors import NargisError

if TYPE_CHECKING:
    from nargis_desktop.services.personal_data import PersonalData

_LOGGER = logging.getLogger(__name__)

CALENDAR_WEEKS = 26
RATE_DAYS = 84  # 12 weeks of rolling rates
RATE_WINDOWS_DAYS = (7, 30)
CHART_WEEKS = 12

# What a calendar day was for the habit.
DONE = "done"
MISSED = "missed"  # due and not done
OPEN = "open"  # not due (or an N-per-week habit's free day) and not done
FUTURE = "future"  # after today, or today while it may still be checked
BEFORE = "before"  # before the habit started


def calendar_days(habit: Habit, done: set[date], today: date, weeks: int = CALENDAR_WEEKS) -> dict[date, str]:
    """Every day of the last `weeks` weeks (Monday to Sunday, this week last) and what it was."""
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    last = first + timedelta(days=7 * weeks - 1)
    due: set[date] = set()
    since = effective_start(habit, done)
    if habit.schedule.rule is not None and since <= last:
        due = set(habit.schedule.scheduled_days(habit.start, max(first, since), last, since=since))
    states = {}
    for offset in range(7 * weeks):
        day = first + timedelta(days=offset)
        if day in done and day <= today:
            states[day] = DONE
        elif day >= today:
            states[day] = FUTURE  # today is still open until it ends, as in streaks
        elif day < since:
            states[day] = BEFORE
        else:
            states[day] = MISSED if day in due else OPEN
    return states


@dataclass(frozen=True)
class RateSeries:
    """Rolling completion rates (0..1) per day, oldest first; one series per window length."""

    days: tuple[date, ...]
    rates: dict[int, tuple[float, ...]]


def completion_rate_series(
    habit: Habit,
    done: set[date],
    today: date,
    days: int = RATE_DAYS,
    windows: Sequence[int] = RATE_WINDOWS_DAYS,
) -> RateSeries:
    """The completion rate over each `window` days ending on each of the last `days` days.

    Days before the habit started are left out, so a new habit's line starts where the habit does.
    """
    first = max(today - timedelta(days=days - 1), effective_start(habit, done))
    span = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    return RateSeries(
        days=tuple(span),
        rates={window: tuple(completion_rate_of_days(habit, done, day, window) for day in span) for window in windows},
    )


@dataclass(frozen=True)
class HabitChart:
    habit_id: str
    name: str
    schedule: str
    score: float
    streak_current: int
    streak_best: int
    streak_unit: str
    calendar: dict[date, str]
    rates: RateSeries


@dataclass(frozen=True)
class InsightsView:
    now: datetime
    habits: list[HabitChart]
    tasks: dict[str, Any]
    week_starts: tuple[date, ...]  # Monday of each of the last 12 weeks, oldest first
    mood_per_week: tuple[float | None, ...]
    sentiment_per_week: tuple[float | None, ...] = field(default=())

    @property
    def best_habit(self) -> HabitChart | None:
        return max(self.habits, key=lambda h: (h.score, h.name)) if self.habits else None


def insights_view(data: PersonalData, now: datetime) -> InsightsView:
    """Everything the Insights view shows, read in one go (runs on the store worker)."""
    from nargis_desktop.store.insight_queries import done_days

    overview = data.insights.overview(now, journal_weeks=CHART_WEEKS)
    done = done_days(data.insights.analytics())
    today = now.date()
    charts = []
    for habit in data.store.habits.active():
        report = next(r for r in overview["habits"] if r["habit_id"] == habit.id)
        days = done.get(habit.id, set())
        charts.append(
            HabitChart(
                habit_id=habit.id,
                name=habit.name,
                schedule=habit.schedule.in_words,  # what a person reads: "every weekday"
                score=report["score"],
                streak_current=report["streak"]["current"],
                streak_best=report["streak"]["best"],
                streak_unit=report["streak"]["unit"],
                calendar=calendar_days(habit, days, today),
                rates=completion_rate_series(habit, days, today),
            )
        )
    this_week = today - timedelta(days=today.weekday())
    return InsightsView(
        now=now,
        habits=charts,
        tasks=overview["tasks"],
        week_starts=tuple(this_week - timedelta(weeks=w) for w in range(CHART_WEEKS - 1, -1, -1)),
        mood_per_week=tuple(overview["journal"]["mood_per_week"]),
        sentiment_per_week=_sentiment(data, now),
    )


def _sentiment(data: PersonalData, now: datetime) -> tuple[float | None, ...]:
    """The journal's VADER sentiment per week; without a journal index the chart shows moods only."""
    try:
        return data.journal_search().sentiment_per_week(now, CHART_WEEKS)
    except NargisError as err:
        _LOGGER.info("no journal sentiment for the Insights view: %s", err)
        return (None,) * CHART_WEEKS
