"""Matching what was said to the person's own habits, tasks and reminders, forgivingly.

"I went running" finds the habit "Run"; "mark the milk thing done" finds "Buy milk". Words are
cut to rough stems first, then compared with rapidfuzz.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

FILLER = frozenset(
    {
        "i",
        "i've",
        "ive",
        "im",
        "i'm",
        "my",
        "the",
        "a",
        "an",
        "to",
        "for",
        "of",
        "went",
        "go",
        "going",
        "did",
        "do",
        "done",
        "have",
        "had",
        "just",
        "some",
        "this",
        "that",
        "it",
        "today",
        "yesterday",
        "task",
        "habit",
        "reminder",
        "item",
        "thing",
        "please",
        "already",
        "again",
    }
)
IRREGULAR = {
    "by": "buy",  # recognisers hear "buy milk" as "by milk"
    "marked": "",
    "bought": "buy",
    "paid": "pay",
    "sent": "send",
    "spoke": "speak",
    "took": "take",
    "ran": "run",
    "swam": "swim",
    "wrote": "writ",
    "read": "read",
    "ate": "eat",
    "slept": "sleep",
    "running": "run",
    "jogging": "jog",
    "walked": "walk",
    "workout": "workout",
}
THRESHOLD = 75


def stem(word: str) -> str:
    word = word.lower().strip(".,!?'\"")
    if word in IRREGULAR:
        return IRREGULAR[word]
    for suffix in ("ation", "ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("at") and len(word) > 5:  # meditate, meditated, meditation -> medit
        word = word[:-2]
    # doubled consonant after cutting: running -> runn -> run
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def key(text: str) -> str:
    words = [w for w in re.findall(r"[\w']+", text.lower()) if w not in FILLER]
    return " ".join(s for s in (stem(w) for w in words) if s)


@dataclass(frozen=True)
class Match:
    item_id: str
    name: str
    score: float


def best_match(said: str, candidates: Sequence[tuple[str, str]], threshold: float = THRESHOLD) -> list[Match]:
    """Candidates (id, name) that match `said`, best first; ties at the top mean it is ambiguous."""
    wanted = key(said)
    if not wanted:
        return []
    scored = []
    for item_id, name in candidates:
        have = key(name)
        if not have:
            continue
        score = max(fuzz.token_set_ratio(wanted, have), fuzz.ratio(wanted, have))
        if score >= threshold:
            scored.append(Match(item_id, name, score))
    scored.sort(key=lambda m: -m.score)
    return scored
