"""Tasks: due dates, priorities, tags and recurrence that rolls forward on completion."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.ids import new_id
from nargis_desktop.domain.recurrence import normalize_rule, roll_forward

Due = date | datetime


class Priority(enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"

    @classmethod
    def parse(cls, text: str | None) -> Priority:
        if text is None:
            return cls.NONE
        key = text.strip().lower()
        aliases = {
            "h": "high",
            "1": "high",
            "m": "medium",
            "med": "medium",
            "2": "medium",
            "l": "low",
            "3": "low",
            "": "none",
            "0": "none",
        }
        try:
            return cls(aliases.get(key, key))
        except ValueError as err:
            raise DomainError(f"priority {text!r} is not one of high, medium, low, none") from err

    @property
    def rank(self) -> int:
        """Sort order: high first."""
        return {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2, Priority.NONE: 3}[self]


def due_date(due: Due | None) -> date | None:
    if isinstance(due, datetime):
        return due.date()
    return due


@dataclass(frozen=True)
class Task:
    title: str
    created_at: datetime
    id: str = field(default_factory=new_id)
    notes: str = ""
    due: Due | None = None
    priority: Priority = Priority.NONE
    recurrence: str | None = None
    tags: tuple[str, ...] = ()
    done: bool = False
    completed_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise DomainError("a task needs a title")
        if self.recurrence is not None:
            object.__setattr__(self, "recurrence", normalize_rule(self.recurrence))
        object.__setattr__(self, "tags", tuple(sorted({t.strip().lstrip("#").lower() for t in self.tags if t.strip()})))

    def complete(self, now: datetime) -> Task:
        """Mark done, or for a recurring task move it to its next occurrence."""
        if self.recurrence is None:
            return replace(self, done=True, completed_at=now)
        anchor: Due = self.due if self.due is not None else now.date()
        not_before: Due = now if isinstance(anchor, datetime) else now.date()
        following = roll_forward(self.recurrence, anchor, anchor, not_before)
        if following is None:  # the rule has run out (COUNT/UNTIL): the series is finished
            return replace(self, done=True, completed_at=now)
        next_due: Due = following if isinstance(self.due, datetime) else following.date()
        return replace(self, due=next_due, completed_at=now, done=False)

    def reopen(self) -> Task:
        return replace(self, done=False, completed_at=None)

    def is_due_by(self, day: date) -> bool:
        """Open and due on or before `day` (overdue items stay on Today)."""
        when = due_date(self.due)
        return not self.done and when is not None and when <= day

    def is_overdue(self, now: datetime) -> bool:
        if self.done or self.due is None:
            return False
        if isinstance(self.due, datetime):
            return self.due < now
        return self.due < now.date()
