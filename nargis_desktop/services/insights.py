"""Statistics over the person's data for the CLI, the app and the assistant.

DuckDB counts (over the in-memory analytics copy); the habit arithmetic that walks a schedule
(streaks, Loop's score, rates) runs on the done-days DuckDB returns. One `Insights` lives as long
as its store, so after the first load each question only catches up on the change log.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from nargis_desktop.domain.habits import Habit, effective_start
from nargis_desktop.domain.insights import best_weekday_of_days, completion_rate_of_days, habit_score_of_days
from nargis_desktop.domain.streaks import streak_of_days
from nargis_desktop.store import queries
from nargis_desktop.store.database import Store

if TYPE_CHECKING:
    from nargis_desktop.store.analytics import Analytics

RATE_WINDOWS_DAYS = (7, 30, 365)


class Insights:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._analytics: Analytics | None = None
        # Done days per habit, and each habit's report, kept between questions: after one new
        # check-in only that habit is counted again (walking five years of a schedule takes ms).
        self._done: dict[str, set[date]] = {}
        self._reports: dict[str, tuple[Habit, date, dict[str, Any]]] = {}
        self._counted_up_to = 0  # the change-log sequence number the cached habit numbers reflect

    def analytics(self) -> Analytics:
        """The DuckDB copy, loaded on first use and caught up with the change log after."""
        from nargis_desktop.store.insight_queries import done_days

        if self._analytics is None:
            from nargis_desktop.store.analytics import Analytics  # DuckDB loads only when asked

            self._analytics = Analytics(self.store)
            self._done = dict(done_days(self._analytics))
            self._reports.clear()
            self._counted_up_to = self._analytics.cursor
            return self._analytics
        self._analytics.refresh()
        if self._analytics.cursor != self._counted_up_to:
            dirty = self._habits_touched(self._counted_up_to, self._analytics.cursor)
            if dirty:
                fresh = done_days(self._analytics, dirty)
                for habit_id in dirty:
                    self._done[habit_id] = fresh.get(habit_id, set())
                    self._reports.pop(habit_id, None)
            self._counted_up_to = self._analytics.cursor
        return self._analytics

    def _habits_touched(self, after_seq: int, up_to_seq: int) -> set[str]:
        """Habits whose row or check-ins changed in the change log between two points."""
        return queries.habits_touched(self.store, after_seq, up_to_seq)

    def _report(self, habit: Habit, now: datetime) -> dict[str, Any]:
        cached = self._reports.get(habit.id)
        if cached and cached[0] == habit and cached[1] == now.date():
            return cached[2]
        report = _habit_report(habit, self._done.get(habit.id, set()), now)
        self._reports[habit.id] = (habit, now.date(), report)
        return report

    def close(self) -> None:
        if self._analytics is not None:
            self._analytics.close()
            self._analytics = None

    def habit_report(self, habit: Habit, now: datetime) -> dict[str, Any]:
        self.analytics()
        return self._report(habit, now)

    def overview(self, now: datetime, journal_weeks: int = 4) -> dict[str, Any]:
        from nargis_desktop.store import insight_queries as queries

        analytics = self.analytics()
        habits = self.store.habits.active()
        return {
            "as_of": now.isoformat(),
            "habits": [self._report(h, now) for h in habits],
            "tasks": asdict(queries.task_stats(analytics, now)),
            "journal": asdict(queries.journal_stats(analytics, now, weeks=journal_weeks)),
        }


def _habit_report(habit: Habit, done: set[Any], now: datetime) -> dict[str, Any]:
    today = now.date()
    current = streak_of_days(habit, done, today)
    return {
        "habit": habit.name,
        "habit_id": habit.id,
        "schedule": habit.schedule.text,
        "schedule_in_words": habit.schedule.in_words,
        "effective_start": effective_start(habit, done).isoformat(),
        "score": habit_score_of_days(habit, done, today),
        "streak": {"current": current.current, "best": current.best, "unit": current.unit},
        "completion_rate": {
            f"{days}_days": completion_rate_of_days(habit, done, today, days) for days in RATE_WINDOWS_DAYS
        },
        "best_weekday": best_weekday_of_days(done),
        "days_done": len(done),
    }


def overview(store: Store, now: datetime) -> dict[str, Any]:
    """One-shot overview (the CLI): loads the analytics copy, answers, lets it go."""
    insights = Insights(store)
    try:
        return insights.overview(now)
    finally:
        insights.close()


def habit_report(store: Store, habit: Habit, now: datetime) -> dict[str, Any]:
    insights = Insights(store)
    try:
        return insights.habit_report(habit, now)
    finally:
        insights.close()
