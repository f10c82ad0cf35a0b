"""The LLM path: the local model picks a tool and its arguments, under a grammar, so the output
is always well-formed JSON; the arguments then go through the same validation as the fast path.

The prompt starts with a fixed block (instructions and examples) so llama.cpp reuses its KV cache
between turns; only the command at the end is new. Nothing from the person's stored data goes
into the prompt, so a task title or journal line can never act as an instruction.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime

from nargis_desktop.assistant.calls import ToolCall
from nargis_desktop.assistant.tools import TOOLS
from nargis_desktop.assistant.when_phrases import split_when
from nargis_desktop.models.engines.base import LanguageModel

_LOGGER = logging.getLogger(__name__)
MAX_TOKENS = 48
FREE_TEXT_ARGS = ("title", "text", "task", "habit", "reminder", "name")

PROMPT_PREFIX = """You turn a spoken command into one JSON tool call. Tools:
add_task(title, when, priority) | complete_task(task) | list_tasks(when) | add_habit(name, schedule)
check_habit(habit, day) | habit_streak(habit) | add_journal(text) | add_reminder(text, when, repeat)
snooze_reminder(minutes) | list_reminders(when) | chat(topic) | none()
Use the person's own words for every argument.

Command: put eggs on the shopping list
JSON: {"tool": "add_task", "args": {"title": "eggs"}}
Command: I did yoga this morning
JSON: {"tool": "check_habit", "args": {"habit": "yoga", "day": "today"}}
Command: wake me up at 6 tomorrow
JSON: {"tool": "add_reminder", "args": {"text": "wake up", "when": "tomorrow at 6"}}
Command: what is the weather like
JSON: {"tool": "none", "args": {}}
"""


# Tools the model may pick. Destructive ones are left out: the model never deletes anything.
CHOOSABLE = [name for name, tool in TOOLS.items() if tool.kind != "destructive"] + ["none"]


def tool_grammar() -> str:
    """GBNF for the tool name only: the model must name a known tool, then close the string."""
    names = " | ".join(f'"{name}"' for name in CHOOSABLE)
    return f'root ::= ( {names} ) "\\""\n'


@dataclass(frozen=True)
class LlmResult:
    call: ToolCall | None
    raw: str
    seconds: float


def understand(model: LanguageModel, text: str) -> LlmResult:
    """Ask the model; None when it chose no tool or its arguments are not the person's words.

    Two steps over one shared prompt: the tool name under a grammar (a handful of tokens; a
    grammar over the whole JSON costs ~0.1 s a token with Gemma's 262k-token vocabulary), then
    the arguments, read with a strict pattern and filtered to the tool's own parameters. The
    JSON is assembled here, so it is always valid.
    """
    started = time.perf_counter()
    command = " ".join(text.split())[:300]
    head = f'{PROMPT_PREFIX}Command: {command}\nJSON: {{"tool": "'
    chosen = model.complete(head, max_tokens=8, grammar=tool_grammar()).rstrip('"')
    if chosen not in TOOLS:
        return LlmResult(None, chosen, time.perf_counter() - started)
    # The prompt ends inside the first key ('{"'), as the examples tokenise; '}' right away means no args.
    args_raw = '"' + model.complete(f'{head}{chosen}", "args": {{"', max_tokens=MAX_TOKENS, stop=["}", "\n"])
    allowed = set(TOOLS[chosen].params)
    args = {k: v.strip() for k, v in ARG_PAIR.findall(args_raw) if k in allowed and v.strip()}
    # Times come from the person's own words, found by the same reader the fast path uses; the
    # small model likes to invent an hour ("tomorrow" becomes "tomorrow at 11").
    said_when = split_when(command, datetime(2000, 1, 3, 12))[1]
    for key in TIME_ARGS & allowed:
        args.pop(key, None)
        if said_when is not None and said_when.text:
            args[key] = said_when.text
            break
    for key in ("title", "text"):  # the time was taken out above; keep it out of the subject too
        if key in args:
            args[key] = split_when(args[key], datetime(2000, 1, 3, 12))[0] or args[key]
    if args.get("priority", "").lower() not in {"high", "medium", "low"}:
        args.pop("priority", None)
    raw = json.dumps({"tool": chosen, "args": args})
    elapsed = time.perf_counter() - started
    if not _grounded(args, command):
        _LOGGER.info("the model's arguments are not the person's words: %s", raw)
        return LlmResult(None, raw, elapsed)
    return LlmResult(ToolCall(chosen, args), raw, elapsed)


TIME_ARGS = {"when", "day"}
ARG_PAIR = re.compile(r'"(\w+)":\s*"([^"\\\n]{0,80})"')


def _grounded(args: dict[str, str], command: str) -> bool:
    """Every free-text argument must mostly be words the person said: no invented targets."""
    said = set(re.findall(r"[\w']+", command.lower()))
    for key in FREE_TEXT_ARGS:
        if key in args:
            words = re.findall(r"[\w']+", args[key].lower())
            if not words or sum(w in said for w in words) / len(words) < 0.6:
                return False
    return True
