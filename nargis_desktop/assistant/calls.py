"""What the understanding produces and what acting on it yields: plain data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DONE, NEEDS_CONFIRMATION, FAILED = "done", "needs_confirmation", "failed"


@dataclass(frozen=True)
class ToolCall:
    """A tool and its arguments as text, exactly as a person (or the model) said them.

    Both understanding paths produce this; one validator turns the text into typed values.
    """

    tool: str
    args: dict[str, str] = field(default_factory=dict)


@dataclass
class Action:
    tool: str
    args: dict[str, Any]
    status: str
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"tool": self.tool, "args": self.args, "status": self.status, "error": self.error}


@dataclass
class Turn:
    """One exchange: what was heard, what was done, what Nargis says, and how long each stage took."""

    input: str
    actions: list[Action]
    reply: str
    path: str  # "fast", "classifier" or "none"
    timings_ms: dict[str, float] = field(default_factory=dict)
    understood: dict[str, Any] | None = None  # the classifier's intent, confidence and dialogue act

    def as_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "actions": [a.as_json() for a in self.actions],
            "reply": self.reply,
            "path": self.path,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "understood": self.understood,
        }
