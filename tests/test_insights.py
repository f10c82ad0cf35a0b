from __future__ import annotations

from datetime import date, datetime, timedelta

from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.insights import (
    Completion,
    best_weekday,
    completion_rate,
    habit_score,
    journal_stats,
    task_stats,
)
from nargis_desktop.domain.journal import JournalEntry
from tests.moments import NOW

TODAY = date(2026, 11, 25)  # a Wednesday


def habit(schedule: str = "daily", days_old: int = 90) -> Habit:
    return Habit("Meditate", start=TODAY - timedelta(days=days_old), created_at=NOW, schedule=Schedule.parse(schedule))


def checks(h: Habit, days: list[date]) -> list[CheckIn]:
    return [CheckIn(h.id, d, NOW) for d in days]


def test_months_of_practice_score_high_and_one_miss_barely_moves_it() -> None:
    h = habit()
    every_day = [TODAY - timedelta(days=n) for n in range(90)]
    full = habit_score(h, checks(h, every_day), TODAY)
    missed_yesterday = habit_score(h, checks(h, [d for d in every_day if d != TODAY - timedelta(days=1)]), TODAY)
    assert full > 0.95
    assert full - 0.06 < missed_yesterday < full
    assert habit_score(h, [], TODAY) == 0.0


def test_a_three_times_a_week_habit_done_as_planned_scores_like_a_kept_daily_one() -> None:
    h = habit("3 times per week")
    days = [TODAY - timedelta(days=n) for n in range(90) if (TODAY - timedelta(days=n)).weekday() in (0, 2, 4)]
    assert habit_score(h, checks(h, days), TODAY) > 0.85


def test_completion_rates_over_windows() -> None:
    h = habit()
    days = [TODAY - timedelta(days=n) for n in range(20)]  # the last 20 days, not the 10 before
    assert completion_rate(h, checks(h, days), TODAY, 7) == 1.0
    assert completion_rate(h, checks(h, days), TODAY, 30) == round(20 / 30, 4)


def test_the_best_weekday_is_the_one_checked_most() -> None:
    h = habit()
    days = [date(2026, 11, 23), date(2026, 11, 16), date(2026, 11, 18)]  # two Mondays, one Wednesday
    assert best_weekday(h, checks(h, days)) == "Monday"


def test_task_statistics() -> None:
    completions = [
        Completion(date(2026, 11, 24), datetime(2026, 11, 24, 9, 0)),  # on time
        Completion(date(2026, 11, 20), datetime(2026, 11, 23, 9, 15)),  # 3 days late
        Completion(None, datetime(2026, 11, 25, 14, 0)),
        Completion(datetime(2026, 11, 22, 17, 0), datetime(2026, 11, 23, 9, 45)),  # 1 day late
    ]
    stats = task_stats(completions, overdue_now=2, now=NOW)
    assert stats.completed_last_7_days == 4 and stats.completed_per_day[-3:] == (2, 1, 1)
    assert stats.on_time_rate == round(1 / 3, 4) and stats.average_days_late == 2.0
    assert stats.busiest_hour == 9 and stats.overdue_now == 2


def test_journal_statistics_by_week() -> None:
    entries = [
        JournalEntry("A calm day by the river", datetime(2026, 11, 24, 21, 0), mood=4),
        JournalEntry("Tired", datetime(2026, 11, 25, 8, 0), mood=2),
        JournalEntry("Good run this morning, felt strong", datetime(2026, 11, 17, 7, 0), mood=5),
    ]
    stats = journal_stats(entries, NOW)
    assert stats.entries_per_week == (0, 0, 1, 2)
    assert stats.words_per_week == (0, 0, 6, 7)
    assert stats.mood_per_week == (None, None, 5.0, 3.0)
