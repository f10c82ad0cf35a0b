"""What the conversation remembers between turns: a question asked, an action awaiting "yes",
what "it" refers to, and how to undo the last action. Kept in the encrypted store, so consecutive
`nargis ask` calls are one conversation; forgotten after five minutes of silence."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from nargis_desktop.store.database import Store

STATE_KEY = "dialogue"
EXPIRES_AFTER = timedelta(minutes=5)


@dataclass
class DialogueState:
    updated_at: str = ""
    pending: dict[str, Any] | None = None  # a tool call waiting for "yes"
    awaiting: dict[str, Any] | None = None  # a tool call waiting for one more argument ("When?")
    focus: list[str] | None = None  # [kind, id] that "it" and "that" mean
    undo: list[dict[str, Any]] = field(default_factory=list)
    undo_label: str = ""

    @classmethod
    def load(cls, store: Store, now: datetime) -> DialogueState:
        saved = store.remembered(STATE_KEY)
        if not saved:
            return cls()
        try:
            state = cls(**json.loads(saved))
        except (TypeError, ValueError):
            return cls()
        if not state.updated_at or now - datetime.fromisoformat(state.updated_at) > EXPIRES_AFTER:
            return cls()
        return state

    def save(self, store: Store, now: datetime) -> None:
        self.updated_at = now.isoformat()
        store.remember(STATE_KEY, json.dumps(asdict(self)))
