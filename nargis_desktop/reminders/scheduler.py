"""APScheduler wakes the app when a reminder is due. Jobs live in memory only: the encrypted store
is the single source of truth, and jobs are rebuilt from it (no plaintext job store on disk)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nargis_desktop.domain.recurrence import to_aware
from nargis_desktop.domain.reminders import Reminder

_LOGGER = logging.getLogger(__name__)


class ReminderScheduler:
    def __init__(self, on_due: Callable[[str], None]) -> None:
        """`on_due(reminder_id)` runs on the scheduler's thread; the app relays it to its own."""
        from apscheduler.jobstores.memory import MemoryJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        self._scheduler: Any = BackgroundScheduler(jobstores={"default": MemoryJobStore()})
        self._on_due = on_due

    def start(self) -> None:
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def schedule(self, reminders: list[Reminder]) -> int:
        """Replace all jobs by one per reminder at its next firing time (local wall time → aware)."""
        self._scheduler.remove_all_jobs()
        for reminder in reminders:
            fires = reminder.fires_at
            if fires is None:
                continue
            self._scheduler.add_job(
                self._on_due,
                "date",
                run_date=to_aware(fires),
                args=[reminder.id],
                id=reminder.id,
                misfire_grace_time=None,
            )
        return len(self._scheduler.get_jobs())

    def next_run(self, reminder_id: str) -> datetime | None:
        job = self._scheduler.get_job(reminder_id)
        return None if job is None else job.trigger.run_date  # known before the scheduler starts
