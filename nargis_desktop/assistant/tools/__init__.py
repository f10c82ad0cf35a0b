"""The tools the assistant can use, one registry entry each (registry.py), grouped by what they
work on. Reading tools run at once; writing ones can be undone; destructive or bulk ones return
what they would do and wait for a "yes"."""

from nargis_desktop.assistant.tools.base import (
    CHANGE,
    CREATE,
    DESTRUCTIVE,
    READ,
    Context,
    Outcome,
    Tool,
    ToolError,
)
from nargis_desktop.assistant.tools.registry import CONFIRMING_TOOLS, READ_TOOLS, TOOLS, describe_for_prompt
from nargis_desktop.assistant.undo import undo

__all__ = [
    "CHANGE",
    "CONFIRMING_TOOLS",
    "CREATE",
    "DESTRUCTIVE",
    "READ",
    "READ_TOOLS",
    "TOOLS",
    "Context",
    "Outcome",
    "Tool",
    "ToolError",
    "describe_for_prompt",
    "undo",
]
