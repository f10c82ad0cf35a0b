"""The undo of one action, as records kept in the conversation's state (spoken or done by hand).

A record names an item and holds the store's snapshot of it from before the action, which only
the store reads: the assistant never learns how an item is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nargis_desktop.services.personal_data import PersonalData

Record = dict[str, Any]  # JSON-safe: the conversation's state is saved as JSON
COMPLETION = "completion"  # completing a task: undone by taking back its completion of that moment


def before_change(data: PersonalData, entity: str, item_id: str) -> Record:
    """Taken before an item is changed or deleted: undo puts it back as it is now."""
    return {"entity": entity, "id": item_id, "before": data.store.repository(entity).snapshot(item_id)}


def created(entity: str, item_id: str) -> Record:
    """An item the action made: undo (soft) deletes it."""
    return {"entity": entity, "id": item_id, "before": None}


def completed(task_id: str, now: datetime) -> Record:
    """The task was completed at `now` (completions are named by task and time, as older records were)."""
    return {"entity": COMPLETION, "id": task_id, "before": now.isoformat()}


def undo(data: PersonalData, records: list[Record]) -> None:
    """Put back what one action changed: created items are (soft) deleted, changed ones restored."""
    with data.store.transaction():
        for record in reversed(records):
            if record["entity"] == COMPLETION:
                data.store.completions.take_back(record["id"], datetime.fromisoformat(record["before"]))
            else:
                data.store.repository(record["entity"]).restore(record["id"], record["before"])
