"""Reminders: a time, an optional repeat, snoozing, and rolling forward when done."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.ids import new_id
from nargis_desktop.domain.recurrence import normalize_rule, roll_forward


@dataclass(frozen=True)
class Reminder:
    text: str
    at: datetime
    created_at: datetime
    id: str = field(default_factory=new_id)
    recurrence: str | None = None
    snoozed_until: datetime | None = None
    done: bool = False

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise DomainError("a reminder needs some text")
        if self.recurrence is not None:
            object.__setattr__(self, "recurrence", normalize_rule(self.recurrence))

    @property
    def fires_at(self) -> datetime | None:
        """When it next goes off: the snooze if there is one, else `at`; None once done."""
        if self.done:
            return None
        return self.snoozed_until or self.at

    def snooze(self, minutes: float, now: datetime) -> Reminder:
        if minutes <= 0:
            raise DomainError("snooze for a positive number of minutes")
        if self.done:
            raise DomainError("this reminder is already done")
        # A reminder that has not gone off yet is pushed back from its own time, not from now.
        base = max(now, self.fires_at or now)
        return replace(self, snoozed_until=base + timedelta(minutes=minutes))

    def complete(self, now: datetime) -> Reminder:
        """Done; a repeating reminder moves to its next occurrence after now instead."""
        if self.recurrence is None:
            return replace(self, done=True, snoozed_until=None)
        following = roll_forward(self.recurrence, self.at, self.at, now)
        if following is None:
            return replace(self, done=True, snoozed_until=None)
        return replace(self, at=following, snoozed_until=None)

    def is_due(self, now: datetime) -> bool:
        fires = self.fires_at
        return fires is not None and fires <= now
