"""A task completion: one record per time a task was done, so a repeating task keeps its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from nargis_desktop.domain.ids import new_id
from nargis_desktop.domain.tasks import Due, Task


@dataclass(frozen=True)
class TaskCompletion:
    task_id: str
    due: Due | None  # when it was due at the time it was done (a repeating task's due moves on)
    completed_at: datetime
    created_at: datetime
    id: str = field(default_factory=new_id)

    @classmethod
    def of(cls, task: Task, now: datetime) -> TaskCompletion:
        """The completion of `task` as it stands before it is marked done."""
        return cls(task_id=task.id, due=task.due, completed_at=now, created_at=now)
