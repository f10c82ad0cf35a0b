"""Today: open tasks due by today (overdue first), habits still to check, reminders ahead today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Task
from nargis_desktop.store import queries
from nargis_desktop.store.database import Store


@dataclass(frozen=True)
class Agenda:
    day: datetime
    tasks: list[Task]
    habits_to_check: list[Habit]
    habits_done: list[Habit]
    reminders: list[Reminder]

    @property
    def is_empty(self) -> bool:
        return not (self.tasks or self.habits_to_check or self.reminders)


def today(store: Store, now: datetime) -> Agenda:
    tomorrow = now.date() + timedelta(days=1)
    tasks = store.tasks.open_due_before(tomorrow)
    tasks.sort(key=lambda t: (not t.is_overdue(now), t.priority.rank))
    reminders = store.reminders.open_before_day(tomorrow)
    checked = queries.habits_checked_on(store, now.date())
    scheduled = [h for h in store.habits.active() if h.schedule.is_scheduled(now.date(), h.start)]
    return Agenda(
        day=now,
        tasks=tasks,
        habits_to_check=[h for h in scheduled if h.id not in checked],
        habits_done=[h for h in scheduled if h.id in checked],
        reminders=reminders,
    )
