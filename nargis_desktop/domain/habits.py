"""Habits and their check-ins; a schedule is an RRULE or "N times per week"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.ids import new_id
from nargis_desktop.domain.recurrence import anchor_on_or_before, days_between, next_occurrence, normalize_rule
from nargis_desktop.domain.recurrence_phrases import phrase_to_rule
from nargis_desktop.domain.recurrence_words import describe_rule

_PER_WEEK = re.compile(r"^\s*(\d+)\s*(?:x|times?)?\s*(?:/|a|per|each|every)\s*week\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Schedule:
    """Exactly one of `rule` (RRULE, e.g. FREQ=DAILY) or `times_per_week` is set."""

    rule: str | None = None
    times_per_week: int | None = None

    def __post_init__(self) -> None:
        if (self.rule is None) == (self.times_per_week is None):
            raise DomainError("a schedule is either a recurrence rule or a number of times per week")
        if self.times_per_week is not None and not 1 <= self.times_per_week <= 7:
            raise DomainError(f"{self.times_per_week} times per week is not between 1 and 7")
        if self.rule is not None:
            object.__setattr__(self, "rule", normalize_rule(self.rule))

    @classmethod
    def daily(cls) -> Schedule:
        return cls(rule="FREQ=DAILY")

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """Accepts "daily", "weekdays", "mon,wed,fri", "3 times per week", "3/week" or an RRULE."""
        per_week = _PER_WEEK.match(text)
        if per_week:
            return cls(times_per_week=int(per_week.group(1)))
        return cls(rule=phrase_to_rule(text))

    @property
    def text(self) -> str:
        """The canonical form used in exports: the RRULE or "N times per week"."""
        if self.times_per_week is not None:
            return f"{self.times_per_week} times per week"
        assert self.rule is not None
        return self.rule

    @property
    def in_words(self) -> str:
        """What a person reads: "every weekday", "3 times a week"."""
        if self.times_per_week is not None:
            return "once a week" if self.times_per_week == 1 else f"{self.times_per_week} times a week"
        assert self.rule is not None
        return describe_rule(self.rule)

    def is_scheduled(self, day: date, start: date) -> bool:
        """Whether `day` is a day the habit is due; every day may count for N-per-week."""
        if day < start:
            return False
        if self.rule is None:
            return True
        return bool(days_between(self.rule, start, day, day))

    def scheduled_days(self, start: date, first: date, last: date, since: date | None = None) -> list[date]:
        """The due days in [first, last]; `since` (before `start`) reaches back over earlier history."""
        if self.rule is None:
            raise DomainError("an N-per-week schedule has no fixed days")
        if since is not None and since < start:
            anchor = anchor_on_or_before(self.rule, start, since)
            return list(days_between(self.rule, anchor, max(first, since), last))
        return list(days_between(self.rule, start, first, last))

    def next_day(self, start: date, after: date) -> date | None:
        if self.rule is None:
            return None
        following = next_occurrence(self.rule, start, after)
        return following.date() if following else None


@dataclass(frozen=True)
class Habit:
    name: str
    start: date
    created_at: datetime
    id: str = field(default_factory=new_id)
    schedule: Schedule = field(default_factory=Schedule.daily)
    target: float | None = None
    unit: str = ""
    archived: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise DomainError("a habit needs a name")
        if self.target is not None and self.target <= 0:
            raise DomainError("a habit's target must be above zero")
        object.__setattr__(self, "name", " ".join(self.name.split()))

    def counts(self, checkin: CheckIn) -> bool:
        """A check-in with a value below the target (8 glasses, got 5) does not complete the day."""
        if self.target is None or checkin.value is None:
            return True
        return checkin.value >= self.target


def effective_start(habit: Habit, done: Iterable[date]) -> date:
    """When the habit really began: the earliest of its start, its creation and its first check-in.

    Imported history and check-ins entered for days before the habit was created count, so
    streaks, rates and the score read the whole history rather than starting at the import.
    """
    return min([habit.start, habit.created_at.date(), *done])


@dataclass(frozen=True)
class CheckIn:
    habit_id: str
    day: date
    created_at: datetime
    id: str = field(default_factory=new_id)
    value: float | None = None
    note: str = ""
