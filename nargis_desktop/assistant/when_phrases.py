"""Finding the when in a spoken command: the assistant's names for the one time grammar.

Speech puts the time anywhere ("tomorrow at 5 remind me…", "remind me … at 5 tomorrow"), so the
grammar finds and cuts the phrases out, leaving the rest of the command as its subject. The rules
(a bare hour is the next time the clock shows it, and the rest) are in `domain/when.py`.
"""

from __future__ import annotations

from datetime import datetime

from nargis_desktop.domain import time_words
from nargis_desktop.domain.recurrence_phrases import REPEAT
from nargis_desktop.domain.when import When, find_when, find_when_words

TIME = time_words.TIME
DAY = time_words.DAY
RELATIVE = time_words.RELATIVE
PART_OF_DAY = time_words.PART_OF_DAY
PART_HOURS = time_words.PART_HOURS
NUMBER_WORDS = time_words.NUMBER_WORDS
NUMBERS = {"a": 1, "an": 1, **NUMBER_WORDS}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
MONTHS = {name: number for name, number in time_words.MONTH_NUMBERS.items() if len(name) == 3}

__all__ = [
    "DAY",
    "MONTHS",
    "NUMBERS",
    "NUMBER_WORDS",
    "ORDINALS",
    "PART_HOURS",
    "REPEAT",
    "TIME",
    "When",
    "split_when",
    "when_words_in",
]


def split_when(text: str, now: datetime, *, default_hour: int | None = None) -> tuple[str, When | None]:
    """Cut the time phrases out of `text`; returns the rest and what they said (None if nothing)."""
    return find_when(text, now, default_hour=default_hour)


def when_words_in(text: str) -> tuple[str, str]:
    """Which words of `text` say when, without reading them as a moment (no clock): the rest of the
    command and those words as said ("" if none); `split_when` reads them later, at the real now."""
    return find_when_words(text)
