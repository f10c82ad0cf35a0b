"""Statistics over the person's data, gathered from the store for the CLI, the app and the assistant."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.insights import (
    Completion,
    best_weekday,
    completion_rate,
    habit_score,
    journal_stats,
    task_stats,
)
from nargis_desktop.domain.streaks import streak
from nargis_desktop.store.codecs import parse_datetime, parse_iso
from nargis_desktop.store.database import Store


def habit_report(store: Store, habit: Habit, now: datetime) -> dict[str, Any]:
    checkins = store.checkins.list("habit_id = ?", (habit.id,))
    today = now.date()
    current = streak(habit, checkins, today)
    return {
        "habit": habit.name,
        "schedule": habit.schedule.text,
        "score": habit_score(habit, checkins, today),
        "streak": {"current": current.current, "best": current.best, "unit": current.unit},
        "completion_rate": {f"{days}_days": completion_rate(habit, checkins, today, days) for days in (7, 30, 365)},
        "best_weekday": best_weekday(habit, checkins),
        "check_ins": len(checkins),
    }


def overview(store: Store, now: datetime) -> dict[str, Any]:
    completions = [
        Completion(parse_iso(due), parse_datetime(done))
        for due, done in store.conn.execute(
            "SELECT due, completed_at FROM task_completions WHERE completed_at >= ?",
            ((now - timedelta(days=365)).isoformat(),),
        )
    ]
    overdue = sum(1 for task in store.tasks.list("done = 0 AND due IS NOT NULL") if task.is_overdue(now))
    return {
        "as_of": now.isoformat(),
        "habits": [habit_report(store, h, now) for h in store.habits.list("archived = 0", order="name")],
        "tasks": asdict(task_stats(completions, overdue, now)),
        "journal": asdict(journal_stats(store.journal.list(), now)),
    }
