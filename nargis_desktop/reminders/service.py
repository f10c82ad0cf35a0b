"""What is due, what was missed while the app was closed, and the snooze choices. Pure: no clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.store.database import Store

MORNING_HOUR = 9
SNOOZE_CHOICES = {"10 min": 10.0, "1 h": 60.0}


def due(store: Store, now: datetime) -> list[Reminder]:
    """Reminders whose time (or snooze) has come and that are not done, oldest first."""
    return store.reminders.open_ringing_by(now)


def upcoming(store: Store, now: datetime, horizon: timedelta = timedelta(days=2)) -> list[Reminder]:
    """What to schedule: everything that fires within `horizon` (rescheduled as time goes by)."""
    return store.reminders.open_ringing_between(now, now + horizon)


def minutes_until_tomorrow_morning(now: datetime) -> float:
    tomorrow = (now + timedelta(days=1)).replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    return (tomorrow - now).total_seconds() / 60
