"""A deliberately plain model of a habit's figures, to check the real ones against.

It walks the calendar a day at a time, asks of each day "was it due, was it done?", and keeps
Loop's score the way Loop's own loop does (score = score * m + done * (1 - m), once a day).
The real code counts due days from RRULEs (dateutil or its own fast path), sums the score in
closed form and reads done days out of DuckDB; none of that is used here.

The rules both follow (README, "Habit figures"):
- the history starts at the habit's effective start: the earliest of its start, its creation
  and its first check-in that counts (meets the target);
- today is still open: not having done it yet breaks no streak and is not yet a miss in a rate;
- an N-times-a-week habit's streak counts Monday-to-Sunday weeks that met N; a first, partial
  week that missed is no break;
- a rate over the last n days is the share of the due days done (N-per-week: done days over
  N x days / 7, at most 1); the score is Loop's, over the done days, with frequency the due
  days per day over the last four weeks, scaled so that doing all that is due can reach 100 %.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class PlainSchedule:
    """Every `interval` days; weekly on `weekdays` every `interval` weeks; monthly on `month_day`; or N a week."""

    kind: str  # "daily", "weekly", "monthly", "per_week"
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int = 0  # -1: the last day
    per_week: int = 0

    def rule(self) -> str | None:
        if self.kind == "daily":
            return "FREQ=DAILY" + (f";INTERVAL={self.interval}" if self.interval > 1 else "")
        if self.kind == "weekly":
            days = ",".join(WEEKDAY_CODES[d] for d in sorted(self.weekdays))
            return "FREQ=WEEKLY" + (f";INTERVAL={self.interval}" if self.interval > 1 else "") + f";BYDAY={days}"
        if self.kind == "monthly":
            return f"FREQ=MONTHLY;BYMONTHDAY={self.month_day}"
        return None

    def text(self) -> str:
        return self.rule() or f"{self.per_week} times per week"

    def due(self, day: date, start: date) -> bool:
        if self.kind == "daily":
            return (day - start).days % self.interval == 0
        if self.kind == "weekly":
            weeks = (_monday(day) - _monday(start)).days // 7
            return day.weekday() in self.weekdays and weeks % self.interval == 0
        if self.kind == "monthly":
            last = calendar.monthrange(day.year, day.month)[1]
            return day.day == (last if self.month_day == -1 else self.month_day)
        return True


@dataclass(frozen=True)
class Figures:
    streak: int
    best: int
    unit: str
    rates: dict[int, float]
    score: float


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def figures(
    schedule: PlainSchedule, start: date, created: date, checkins: list[tuple[date, float | None]],
    target: float | None, today: date,
) -> Figures:  # fmt: skip
    done = {day for day, value in checkins if target is None or value is None or value >= target}
    since = min([start, created, *done])
    calendar_days = _days(since, today)
    if schedule.kind == "per_week":
        streak, best = _weekly_runs(schedule.per_week, done, since, today)
        unit = "week"
    else:
        due = [d for d in calendar_days if schedule.due(d, start)]
        outcomes = [d in done for d in due]
        if due and due[-1] == today and not outcomes[-1]:
            outcomes.pop()  # today is still open
        streak, best = _runs(outcomes)
        unit = "day"
    rates = {n: _rate(schedule, start, since, done, today, n) for n in (7, 30, 365)}
    return Figures(streak, best, unit, rates, _score(schedule, start, since, done, today))


def _runs(outcomes: list[bool]) -> tuple[int, int]:
    run = best = 0
    for ok in outcomes:
        run = run + 1 if ok else 0
        best = max(best, run)
    return run, best


def _weekly_runs(needed: int, done: set[date], since: date, today: date) -> tuple[int, int]:
    outcomes = []
    week = _monday(since)
    while week <= _monday(today):
        outcomes.append(sum(1 for d in done if week <= d <= min(week + timedelta(days=6), today)) >= needed)
        week += timedelta(days=7)
    if len(outcomes) > 1 and not outcomes[0] and since.weekday() != 0:
        outcomes.pop(0)  # the week it began in was partial
    if outcomes and not outcomes[-1]:
        outcomes.pop()  # this week is still open
    return _runs(outcomes)


def _rate(schedule: PlainSchedule, start: date, since: date, done: set[date], today: date, window: int) -> float:
    last = today if today in done else today - timedelta(days=1)
    first = max(since, last - timedelta(days=window - 1))
    if first > last:
        return 0.0
    if schedule.kind == "per_week":
        expected = schedule.per_week * ((last - first).days + 1) / 7
        return round(min(sum(1 for d in done if first <= d <= last) / expected, 1.0), 4)
    due = [d for d in _days(first, last) if schedule.due(d, start)]
    return round(sum(1 for d in due if d in done) / len(due), 4) if due else 0.0


def _score(schedule: PlainSchedule, start: date, since: date, done: set[date], today: date) -> float:
    if schedule.kind == "per_week":
        frequency = schedule.per_week / 7
    else:
        window = _days(max(since, today - timedelta(days=27)), today)
        frequency = max(sum(1 for d in window if schedule.due(d, start)), 1) / max(len(window), 1)
    multiplier = 0.5 ** (math.sqrt(frequency) / 13.0)
    score = 0.0
    for day in _days(since, today):
        score = score * multiplier + (1 - multiplier) * (day in done)
    return round(min(score / frequency, 1.0), 4) if frequency < 1 else round(score, 4)
