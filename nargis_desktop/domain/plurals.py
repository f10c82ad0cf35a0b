"""Numbers with their nouns as people write them: "1 entry", "2 entries", "1 day", "0 days"."""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "reply": "replies", "person": "people", "match": "matches"}


def plural(noun: str) -> str:
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def count(number: float, noun: str) -> str:
    """`number` and `noun`, the noun plural unless the number is exactly one."""
    shown = f"{number:g}" if isinstance(number, float) else str(number)
    return f"{shown} {noun if number == 1 else plural(noun)}"
