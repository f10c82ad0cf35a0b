"""Today: open tasks due by today (overdue first), habits still to check, reminders ahead today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Task
from nargis_desktop.store.codecs import iso
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
    tomorrow = iso(now.date() + timedelta(days=1))
    tasks = store.tasks.list("done = 0 AND due < ?", (tomorrow,), order="due, created_at")
    tasks.sort(key=lambda t: (not t.is_overdue(now), t.priority.rank))
    reminders = store.reminders.list(
        "done = 0 AND coalesce(snoozed_until, at) < ?", (tomorrow,), order="coalesce(snoozed_until, at)"
    )
    checked = {
        row[0]
        for row in store.conn.execute(
            "SELECT habit_id FROM checkins WHERE deleted_at IS NULL AND day = ?", (iso(now.date()),)
        )
    }
    scheduled = [
        h for h in store.habits.list("archived = 0", order="name") if h.schedule.is_scheduled(now.date(), h.start)
    ]
    return Agenda(
        day=now,
        tasks=tasks,
        habits_to_check=[h for h in scheduled if h.id not in checked],
        habits_done=[h for h in scheduled if h.id in checked],
        reminders=reminders,
    )
