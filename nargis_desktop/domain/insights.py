"""What a tracker shows back: habit scores and rates, task and journal statistics. Pure functions.

The habit score follows Loop Habit Tracker: an exponential moving average over the days, so one
miss lowers it a little and a month of practice is not wiped out; a habit done less often moves
more slowly (multiplier 0.5 ** (sqrt(frequency) / 13), frequency in checks per day).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nargis_desktop.domain.habits import CheckIn, Habit, effective_start
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.streaks import done_days

WEEKS_OF_TASKS = 12
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def frequency_per_day(habit: Habit, today: date, since: date | None = None) -> float:
    """How often the habit is due, in checks per day (1 daily, 3/7 three times a week, 5/7 weekdays).

    Counted over the last four weeks from `since` (the habit's effective start) on.
    """
    if habit.schedule.times_per_week is not None:
        return habit.schedule.times_per_week / 7
    since = since or habit.start
    window_start = today - timedelta(days=27)
    scheduled = habit.schedule.scheduled_days(habit.start, window_start, today, since=since)
    span = (today - max(window_start, since)).days + 1
    return max(len(scheduled), 1) / max(span, 1)


def habit_score(habit: Habit, checkins: Iterable[CheckIn], today: date) -> float:
    return habit_score_of_days(habit, done_days(habit, checkins), today)


def habit_score_of_days(habit: Habit, done: set[date], today: date) -> float:
    """Loop's score in [0, 1]: the EMA updated once a day from the habit's start to `today`.

    Starting from 0, the daily update score = score * m + done * (1 - m) sums to
    (1 - m) * sum(m ** days_ago) over the done days, computed here without walking every day.
    """
    frequency = frequency_per_day(habit, today, effective_start(habit, done))
    multiplier = 0.5 ** (math.sqrt(frequency) / 13.0)
    score: float = (1 - multiplier) * sum(multiplier ** float((today - day).days) for day in done if day <= today)
    # A habit due 3 days in 7 peaks at 3/7 of a daily one: scale so doing all that is due reads 100 %.
    return round(min(score / frequency, 1.0), 4) if frequency < 1 else round(score, 4)


def completion_rate(habit: Habit, checkins: Iterable[CheckIn], today: date, days: int) -> float:
    return completion_rate_of_days(habit, done_days(habit, checkins), today, days)


def completion_rate_of_days(habit: Habit, done: set[date], today: date, days: int) -> float:
    """Share of what was due in the last `days` days that was done (0..1).

    Today is still open: until it is checked, the window ends yesterday (as streaks do).
    """
    if today not in done:
        today -= timedelta(days=1)
    since = effective_start(habit, done)
    first = max(since, today - timedelta(days=days - 1))
    if first > today:
        return 0.0
    if habit.schedule.times_per_week is not None:
        due = habit.schedule.times_per_week * ((today - first).days + 1) / 7
        hits = sum(1 for d in done if first <= d <= today)
        return round(min(hits / due, 1.0), 4) if due else 0.0
    scheduled = habit.schedule.scheduled_days(habit.start, first, today, since=since)
    if not scheduled:
        return 0.0
    return round(sum(1 for d in scheduled if d in done) / len(scheduled), 4)


def best_weekday(habit: Habit, checkins: Iterable[CheckIn]) -> str | None:
    return best_weekday_of_days(done_days(habit, checkins))


def best_weekday_of_days(done: set[date]) -> str | None:
    counts = Counter(d.weekday() for d in done)
    if not counts:
        return None
    return WEEKDAYS[max(counts, key=lambda w: (counts[w], -w))]


@dataclass(frozen=True)
class Completion:
    """A task completion: when it was due (None if undated) and when it was done."""

    due: date | datetime | None
    completed_at: datetime


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class TaskStats:
    completed_last_7_days: int
    completed_per_day: tuple[int, ...]  # the last 7 days, oldest first
    on_time_rate: float | None  # of dated completions, the share done by their due day
    average_days_late: float | None
    overdue_now: int
    busiest_hour: int | None
    completed_per_week: tuple[int, ...] = ()  # the last 12 weeks (Monday to Sunday), oldest first


def task_stats(completions: Sequence[Completion], overdue_now: int, now: datetime) -> TaskStats:
    today = now.date()
    per_day = tuple(
        sum(1 for c in completions if c.completed_at.date() == today - timedelta(days=offset))
        for offset in range(6, -1, -1)
    )
    dated = [c for c in completions if c.due is not None]
    lateness = [(c.completed_at.date() - _day(c.due)).days for c in dated if c.due is not None]
    late = [d for d in lateness if d > 0]
    hours = Counter(c.completed_at.hour for c in completions)
    this_week = today - timedelta(days=today.weekday())
    weeks = Counter((this_week - _week_start(c.completed_at.date())).days // 7 for c in completions)
    return TaskStats(
        completed_last_7_days=sum(per_day),
        completed_per_day=per_day,
        on_time_rate=round(sum(1 for d in lateness if d <= 0) / len(lateness), 4) if lateness else None,
        average_days_late=round(sum(late) / len(late), 2) if late else (0.0 if lateness else None),
        overdue_now=overdue_now,
        busiest_hour=max(hours, key=lambda h: (hours[h], -h)) if hours else None,
        completed_per_week=tuple(weeks.get(w, 0) for w in range(WEEKS_OF_TASKS - 1, -1, -1)),
    )


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class JournalStats:
    entries_per_week: tuple[int, ...]  # the last 4 weeks, oldest first
    words_per_week: tuple[int, ...]
    mood_per_week: tuple[float | None, ...]


def journal_stats(entries: Sequence[JournalEntry], now: datetime, weeks: int = 4) -> JournalStats:
    today = now.date()
    week_start = today - timedelta(days=today.weekday())
    starts = [week_start - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
    buckets: list[list[JournalEntry]] = [[] for _ in starts]
    for entry in entries:
        for index, start in enumerate(starts):
            if start <= entry.created_at.date() < start + timedelta(days=7):
                buckets[index].append(entry)
    moods = []
    for bucket in buckets:
        rated = [e.mood for e in bucket if e.mood is not None]
        moods.append(round(sum(rated) / len(rated), 2) if rated else None)
    return JournalStats(
        entries_per_week=tuple(len(b) for b in buckets),
        words_per_week=tuple(sum(len(e.text.split()) for e in b) for b in buckets),
        mood_per_week=tuple(moods),
    )
