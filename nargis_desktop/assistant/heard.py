"""Text as speech recognisers and keyboards hand it over, made plain before anything reads it:
wake words and fillers dropped, spoken clock times ("6 30", "545 am", "2 15 p.m.") written as
times, so none of them ends up inside a title."""

from __future__ import annotations

import re

MAX_CHARS = 2000  # a spoken or typed command; more is pasted text, not a request

WAKE_WORDS = re.compile(
    r"^\s*(?:(?:hey|hi|ok(?:ay)?|yo)\s+)?(?:alexa|google|siri|nargis|computer|olly)\b[\s,.!:]*", re.IGNORECASE
)
FILLERS = re.compile(r"(?<![\w'-])(?:uh+|um+|uhm+|erm+|er|hmm+|mm+)(?![\w'-])[\s,.]*", re.IGNORECASE)
_MERIDIEM = r"(?:a\.?\s?m\.?|p\.?\s?m\.?)"
# "6 30 pm", "at 6 30", "6 30 tomorrow": an hour and its minutes said apart.
SPLIT_CLOCK = re.compile(
    rf"\b(?P<h>[01]?\d|2[0-3]) (?P<m>[0-5]\d)\b(?=\s*{_MERIDIEM}|\s*$|\s+(?:tomorrow|today|tonight|on|every|in|this|next)\b)",
    re.IGNORECASE,
)
AFTER_AT = re.compile(r"\b(?P<at>at|for|by|till|until) (?P<h>[01]?\d|2[0-3]) (?P<m>[0-5]\d)\b", re.IGNORECASE)
# "545 am", "1130 pm": three or four digits before am/pm.
RUN_CLOCK = re.compile(rf"\b(?P<h>1[0-2]|0?[1-9])(?P<m>[0-5]\d)\s*(?P<mer>{_MERIDIEM})", re.IGNORECASE)


def clean(text: str) -> str:
    """The command without wake words, fillers or split clock times; case and words kept."""
    text = " ".join(text.replace("’", "'").split())
    for _ in range(2):  # "um alexa, uh remind me…"
        text = FILLERS.sub(" ", text).strip()
        text = WAKE_WORDS.sub("", text).strip()
    text = RUN_CLOCK.sub(lambda m: f"{int(m.group('h'))}:{m.group('m')} {m.group('mer')}", text)
    text = AFTER_AT.sub(lambda m: f"{m.group('at')} {int(m.group('h'))}:{m.group('m')}", text)
    text = SPLIT_CLOCK.sub(lambda m: f"{int(m.group('h'))}:{m.group('m')}", text)
    return " ".join(text.split()).strip(" ,")
