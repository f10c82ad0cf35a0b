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
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)s?"
_ORD = r"(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|last)"
_COUNT = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|forty-five|fifty"
    r"|half an?)"
)
_TIMES = r"\d|one|two|three|four|five|six|seven|once|twice|thrice"
# A repeat said inside a longer command ("remind me every weekday at 7 to stretch").
REPEAT = re.compile(
    rf"\b(?:(?:every|each)\s+(?:other\s+)?(?:day|week|month|year|weekday|weekend|morning|evening|night)"
    rf"|(?:every|each)\s+{_COUNT}\s+(?:days|weeks|months|years)"
    rf"|(?:every|each)\s+{_DAY}(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+){_DAY})*"
    r"|on\s+(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
    rf"|(?:on\s+)?the\s+{_ORD}\s+(?:day\s+)?of\s+(?:every|each|the)\s+month"
    rf"|every\s+month\s+on\s+the\s+{_ORD}"
    rf"|(?:on\s+)?(?:the\s+|every\s+)?{_ORD}\s+{_DAY}(?:\s+of\s+(?:every|each|the)\s+month)"
    rf"|every\s+(?:first|second|third|fourth|last)\s+{_DAY}(?:\s+of\s+(?:every|each|the)\s+month)?"
    rf"|every\s+other\s+{_DAY}"
    rf"|(?:{_TIMES})\s+(?:times\s+)?(?:a|per|each|every)\s+week"
    r"|daily|weekly|monthly|yearly|annually|on\s+weekdays|weekdays)\b"
)
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
_TIMES_WORDS = {
    "once": 1,
    "twice": 2,
    "thrice": 3,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
}
# "3 times a week" as fixed days, spread out so that rest days fall between.
SPREAD_OVER_WEEK = {
    1: "FREQ=WEEKLY",
    2: "FREQ=WEEKLY;BYDAY=TU,TH",
    3: "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    4: "FREQ=WEEKLY;BYDAY=MO,TU,TH,FR",
    5: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    6: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA",
    7: "FREQ=DAILY",
}


def _numeric_ordinal(token: str) -> int:
    found = re.fullmatch(r"(\d)(?:st|nd|rd|th)", token)
    return int(found.group(1)) if found else 0


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


def phrase_to_rule(text: str) -> str:
    """Turn "every weekday", "every 2 weeks", "every mon and thu" or a raw RRULE into an RRULE."""
    phrase = " ".join(text.lower().replace(",", " ").split())
    if "freq=" in phrase:
        return normalize_rule(text)
    said_every = bool(re.match(r"(every|each)\s", phrase))
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
    nth_weekday = re.fullmatch(r"(?:the\s+|every\s+)?(\w+)\s+(\w+?)s?(?:\s+of\s+(?:every|each|the)\s+month)?", phrase)
    if nth_weekday and nth_weekday.group(2) in WEEKDAY_CODES:
        token = nth_weekday.group(1)
        nth = _ORDINALS.get(token) or _numeric_ordinal(token)
        if token == "other":
            return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={WEEKDAY_CODES[nth_weekday.group(2)]}"
        if nth and (nth == -1 or 1 <= nth <= 5) and (said_every or "month" in phrase):
            return f"FREQ=MONTHLY;BYDAY={nth}{WEEKDAY_CODES[nth_weekday.group(2)]}"
    per_week = re.fullmatch(r"(\w+)\s+(?:times\s+)?(?:a|per|each|every)\s+week", phrase)
    if per_week:
        count = _TIMES_WORDS.get(per_week.group(1)) or (int(per_week.group(1)) if per_week.group(1).isdigit() else 0)
        if not 1 <= count <= 7:
            raise DomainError(f"{per_week.group(1)!r} times a week is not between 1 and 7", code="bad-recurrence")
        return SPREAD_OVER_WEEK[count]
    words = [w for w in re.split(r"\s+|\band\b", phrase) if w and w != "and"]
    days = [WEEKDAY_CODES.get(w.rstrip("s")) or WEEKDAY_CODES.get(w) for w in words]
    if words and all(days):
        ordered = sorted(set(d for d in days if d), key=list(WEEKDAY_CODES.values()).index)
        return "FREQ=WEEKLY;BYDAY=" + ",".join(ordered)
    unknown = next((w for w in words if w not in WEEKDAY_CODES and w.rstrip("s") not in WEEKDAY_CODES), phrase)
    raise DomainError(f"did not understand {unknown!r} in the repeat phrase {text!r}", code="bad-recurrence")
