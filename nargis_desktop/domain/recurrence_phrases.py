"""Plain-English repeat phrases ("every weekday", "every 2 weeks") turned into RRULEs."""

from __future__ import annotations

import re

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.recurrence import normalize_rule

WEEKDAY_CODES = {
    "monday": "MO",
    "mon": "MO",
    "tuesday": "TU",
    "tue": "TU",
    "tues": "TU",
    "wednesday": "WE",
    "wed": "WE",
    "thursday": "TH",
    "thu": "TH",
    "thur": "TH",
    "thurs": "TH",
    "friday": "FR",
    "fri": "FR",
    "saturday": "SA",
    "sat": "SA",
    "sunday": "SU",
    "sun": "SU",
}
_UNIT_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_SIMPLE = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
    "annually": "FREQ=YEARLY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekday": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekends": "FREQ=WEEKLY;BYDAY=SA,SU",
    "weekend": "FREQ=WEEKLY;BYDAY=SA,SU",
    "other day": "FREQ=DAILY;INTERVAL=2",
    "other week": "FREQ=WEEKLY;INTERVAL=2",
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "last": -1,
}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


def phrase_to_rule(text: str) -> str:
    """Turn "every weekday", "every 2 weeks", "every mon and thu" or a raw RRULE into an RRULE."""
    phrase = " ".join(text.lower().replace(",", " ").split())
    if "freq=" in phrase:
        return normalize_rule(text)
    phrase = re.sub(r"^(every|each|repeat(s|ing)?|on)\s+", "", phrase)
    phrase = re.sub(r"^(every|each)\s+", "", phrase)
    if phrase in {"morning", "evening", "night", "afternoon"}:  # "every morning": daily; the time is said apart
        return "FREQ=DAILY"
    if phrase in _SIMPLE:
        return _SIMPLE[phrase]
    if phrase in _UNIT_FREQ:
        return f"FREQ={_UNIT_FREQ[phrase]}"
    interval = re.fullmatch(r"(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(day|week|month|year)s?", phrase)
    if interval:
        count = _NUMBER_WORDS.get(interval.group(1)) or int(interval.group(1))
        if count < 1:
            raise DomainError(f"cannot repeat every {count} {interval.group(2)}s", code="bad-recurrence")
        return (
            f"FREQ={_UNIT_FREQ[interval.group(2)]};INTERVAL={count}"
            if count > 1
            else f"FREQ={_UNIT_FREQ[interval.group(2)]}"
        )
    monthly = re.fullmatch(r"(?:the\s+)?(\w+)\s+(?:day\s+)?of\s+(?:every|each|the)\s+month", phrase) or re.fullmatch(
        r"month\s+on\s+the\s+(\w+)", phrase
    )
    if monthly:
        token = monthly.group(1)
        numeric = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", token)
        day = _ORDINALS.get(token) or (int(numeric.group(1)) if numeric else 0)
        if not (day == -1 or 1 <= day <= 31):
            raise DomainError(f"did not understand the day {token!r} in {text!r}", code="bad-recurrence")
        return f"FREQ=MONTHLY;BYMONTHDAY={day}"
    words = [w for w in re.split(r"\s+|\band\b", phrase) if w and w != "and"]
    days = [WEEKDAY_CODES.get(w.rstrip("s")) or WEEKDAY_CODES.get(w) for w in words]
    if words and all(days):
        ordered = sorted(set(d for d in days if d), key=list(WEEKDAY_CODES.values()).index)
        return "FREQ=WEEKLY;BYDAY=" + ",".join(ordered)
    unknown = next((w for w in words if w not in WEEKDAY_CODES and w.rstrip("s") not in WEEKDAY_CODES), phrase)
    raise DomainError(f"did not understand {unknown!r} in the repeat phrase {text!r}", code="bad-recurrence")
