"""What Nargis's understanding tells apart: its intents, the dialogue act of each, and how the
crowd-sourced HWU64/SLURP intents map onto them (everything Nargis cannot do is out of scope).

The dialogue act decides what may happen: only a command or a statement of something done may
write; a question is answered from the data; out of scope is declined; chit-chat is answered.
"""

from __future__ import annotations

import re

COMMAND, STATEMENT, QUESTION, DIALOGUE, CHITCHAT, OUT_OF_SCOPE = (
    "command",
    "statement",
    "question",
    "dialogue",
    "chitchat",
    "out_of_scope",
)

ACTS: dict[str, str] = {
    "add_task": COMMAND,
    "add_reminder": COMMAND,
    "add_habit": COMMAND,
    "add_journal": COMMAND,
    "complete_task": COMMAND,
    "edit_item": COMMAND,
    "remove_item": COMMAND,
    "snooze_reminder": COMMAND,
    "check_habit": STATEMENT,
    "query_schedule": QUESTION,
    "query_habit": QUESTION,
    "query_journal": QUESTION,
    "query_progress": QUESTION,
    "undo": DIALOGUE,
    "yes": DIALOGUE,
    "no": DIALOGUE,
    "chitchat": CHITCHAT,
    "out_of_scope": OUT_OF_SCOPE,
}
INTENTS = tuple(ACTS)
WRITING_ACTS = frozenset({COMMAND, STATEMENT})

# HWU64 / SLURP intent -> Nargis intent; what is not listed is out of scope.
CROWD_INTENTS = {
    "alarm_set": "add_reminder",
    "calendar_set": "add_reminder",
    "lists_createoradd": "add_task",
    "alarm_query": "query_schedule",
    "calendar_query": "query_schedule",
    "lists_query": "query_schedule",
    "alarm_remove": "remove_item",
    "calendar_remove": "remove_item",
    "lists_remove": "remove_item",
    "general_affirm": "yes",
    "general_negate": "no",
    "general_commandstop": "no",
    "general_quirky": "chitchat",
    "quirky": "chitchat",
    "general_praise": "chitchat",
    "general_greet": "chitchat",
    "greet": "chitchat",
    "general_explain": "chitchat",
    "general_repeat": "chitchat",
    "general_dontcare": "chitchat",
    "general_confirm": "chitchat",
}


def nargis_intent(crowd_intent: str) -> str:
    return CROWD_INTENTS.get(crowd_intent, "out_of_scope")


# Wake words and fillers a speech recogniser passes on; never part of what was asked.
WAKE_AND_FILLER = re.compile(
    r"\b(?:alexa|ok(?:ay)? google|hey google|hey siri|siri|hey nargis|ok(?:ay)? nargis|nargis|olly|"
    r"uh+|um+|uhm+|erm+|er|hmm+|ah+)\b[\s,.]*",
    re.IGNORECASE,
)


def for_understanding(text: str) -> str:
    """The text as the classifier sees it, in training and at run time alike."""
    text = WAKE_AND_FILLER.sub(" ", text.replace("’", "'"))
    return " ".join(text.lower().split()).strip(" ,")
