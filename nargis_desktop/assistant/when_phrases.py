"""Finding the when in a spoken command: repeats, times of day, days, and "in 20 minutes".

Speech puts the time anywhere ("tomorrow at 5 remind me…", "remind me … at 5 tomorrow"), so
the phrases are found and cut out, leaving the rest of the command as its subject. A bare hour
("at 5") means the afternoon for 1-6 and the morning for 7-11, as people mean it; with no day
named, the next time that hour comes round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.recurrence_phrases import WEEKDAY_CODES, phrase_to_rule

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)s?"
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_ORD = r"(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|last)"
_COUNT = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|forty-five|fifty|half an?)"

REPEAT = re.compile(
    rf"\b(?:(?:every|each)\s+(?:other\s+)?(?:day|week|month|year|weekday|weekend|morning|evening|night)"
    rf"|(?:every|each)\s+{_COUNT}\s+(?:days|weeks|months|years)"
    rf"|(?:every|each)\s+{_DAY}(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+){_DAY})*"
    r"|on\s+(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
    rf"|(?:on\s+)?the\s+{_ORD}\s+(?:day\s+)?of\s+(?:every|each|the)\s+month"
    rf"|every\s+month\s+on\s+the\s+{_ORD}"
    r"|daily|weekly|monthly|yearly|annually|on\s+weekdays|weekdays)\b"
)
TIME = re.compile(
    r"\b(?:(?:at|by|around|for)\s+)?(?:(?P<noon>noon|midday|midnight)"
    r"|(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?|o'?clock)"
    r"|(?<=at )(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))?"
    r"|(?P<h3>\d{1,2}):(?P<m3>\d{2}))(?!\s*(?:minutes?|mins?|hours?|days?))\b"
)
PART_OF_DAY = re.compile(r"\b(?:in\s+the\s+|this\s+)?(?P<part>morning|afternoon|evening|tonight|night)\b")
RELATIVE = re.compile(rf"\bin\s+(?P<n>{_COUNT})\s+(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\b")
DAY = re.compile(
    rf"\b(?:(?P<simple>today|tomorrow|tonight|yesterday|the\s+day\s+after\s+tomorrow)"
    rf"|(?:(?P<which>this|next|last|coming|on)\s+)?(?P<weekday>{_DAY})"
    r"|(?P<nextweek>next\s+week|this\s+weekend|next\s+weekend|next\s+month)"
    r"|(?:on\s+the\s+|the\s+|on\s+)(?P<ordinal>\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|last)"
    rf"(?:\s+of)?(?:\s+(?P<month1>{_MONTH}))?(?=\s|$)"
    rf"|(?:on\s+)?(?P<month2>{_MONTH})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b"
)
PART_HOURS = {"morning": 9, "afternoon": 15, "evening": 18, "tonight": 20, "night": 20}
NUMBER_WORDS = {  # numbers as people say them; "at five thirty", "in twenty minutes"
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "twenty five": 25,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "forty-five": 45,
    "forty five": 45,
    "fifty": 50,
    "ninety": 90,
}
NUMBERS = {"a": 1, "an": 1, **NUMBER_WORDS}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}


@dataclass(frozen=True)
class When:
    """What was said about time: a moment (date or datetime) and/or a repeat rule."""

    at: date | datetime | None
    rule: str | None
    text: str  # the words that said it, for replies and debugging


def _count(word: str) -> float:
    word = word.strip()
    if word.startswith("half"):
        return 0.5
    return float(NUMBERS[word]) if word in NUMBERS else float(word)


def _cut(text: str, match: re.Match[str]) -> str:
    return (text[: match.start()] + " " + text[match.end() :]).strip()


def _time_of(match: re.Match[str]) -> tuple[int, int, bool]:
    """(hour, minute, meridiem_given) of a TIME match."""
    if match.group("noon"):
        return (0 if match.group("noon") == "midnight" else 12), 0, True
    hour = match.group("h") or match.group("h2") or match.group("h3")
    minute = match.group("m") or match.group("m2") or match.group("m3") or "0"
    h, m = int(hour), int(minute)
    marker = (match.group("ap") or "").replace(".", "")
    if marker.startswith("p") and h < 12:
        return h + 12, m, True
    if marker.startswith("a") and h == 12:
        return 0, m, True
    return h, m, bool(marker and not marker.startswith("o")) or h > 12 or bool(match.group("h3") and h == 0)


def _day_of(match: re.Match[str], now: datetime) -> date:
    today = now.date()
    simple = match.group("simple")
    if simple:
        return {
            "today": today,
            "tonight": today,
            "tomorrow": today + timedelta(days=1),
            "yesterday": today - timedelta(days=1),
        }.get(simple, today + timedelta(days=2))
    if match.group("weekday"):
        code = WEEKDAY_CODES[
            match.group("weekday").rstrip("s")
            if match.group("weekday").rstrip("s") in WEEKDAY_CODES
            else match.group("weekday")
        ]
        target = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(code)
        ahead = (target - today.weekday()) % 7
        which = match.group("which")
        if which == "last":
            return today - timedelta(days=(today.weekday() - target) % 7 or 7)
        if which == "next":  # the one in next week, as "next Friday" is mostly meant
            return today - timedelta(days=today.weekday()) + timedelta(days=7 + target)
        return today + timedelta(days=ahead or (7 if which == "coming" else 0))
    if match.group("nextweek"):
        phrase = match.group("nextweek")
        if phrase == "next week":
            return today + timedelta(days=7 - today.weekday())  # next Monday
        if phrase == "next month":
            return (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        return saturday + timedelta(days=7) if phrase == "next weekend" else saturday
    if match.group("iso"):
        return date.fromisoformat(match.group("iso"))
    if match.group("ordinal"):
        token = match.group("ordinal")
        day = ORDINALS.get(token) or int(re.sub(r"\D", "", token))
        month = MONTHS[match.group("month1")[:3]] if match.group("month1") else today.month
        return _future_date(today, month, day, month_given=bool(match.group("month1")))
    month = MONTHS[match.group("month2")[:3]]
    return _future_date(today, month, int(match.group("day2")), month_given=True)


def _future_date(today: date, month: int, day: int, month_given: bool) -> date:
    import calendar

    year = today.year
    for _ in range(13):
        last = calendar.monthrange(year, month)[1]
        if day == -1 or day <= last:
            candidate = date(year, month, last if day == -1 else day)
            if candidate >= today:
                return candidate
        if month_given:
            year += 1
        else:
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
    raise DomainError(f"there is no day {day} in that month", code="bad-date")


def split_when(text: str, now: datetime) -> tuple[str, When | None]:
    """Cut the time phrases out of `text`; returns the rest and what they said (None if nothing)."""
    if len(text.lower()) != len(text):  # the spans found in the lower-cased copy must fit the original
        text = text.lower()
    rest, said = text, []
    rule = None
    repeat = REPEAT.search(rest.lower())
    if repeat:
        phrase = repeat.group(0)
        part_of_day = re.search(r"morning|evening|night", phrase)
        if part_of_day:  # "every evening": daily, and the part of day still sets the time
            rule = "FREQ=DAILY"
            rest = rest[: repeat.start()] + part_of_day.group(0) + rest[repeat.end() :]
        else:
            rule = phrase_to_rule(re.sub(r"^on\s+", "every ", phrase) if not phrase.startswith("on the") else phrase)
            rest = _cut(rest, repeat)
        said.append(phrase)
    relative = RELATIVE.search(rest.lower())
    if relative:
        amount, unit = _count(relative.group("n")), relative.group("unit")
        span = {
            "mi": timedelta(minutes=amount),
            "h": timedelta(hours=amount),
            "d": timedelta(days=amount),
            "w": timedelta(weeks=amount),
        }.get(unit[:2] if unit.startswith("mi") else unit[0], timedelta(days=30 * amount))
        said.append(relative.group(0))
        rest = _cut(rest, relative)
        moment = (now + span).replace(microsecond=0)
        at: date | datetime = moment if unit[0] in "mh" else moment.date()
        return _tidy(rest), When(at=at, rule=rule, text=" ".join(said))
    clock: tuple[int, int, bool] | None = None
    time_match = TIME.search(rest.lower())
    if time_match:
        clock = _time_of(time_match)
        said.append(time_match.group(0))
        rest = _cut(rest, time_match)
    day_match = DAY.search(rest.lower())
    day = None
    if day_match and day_match.group(0).strip():
        try:
            day = _day_of(day_match, now)
        except (DomainError, ValueError, KeyError):
            day = None
        if day is not None:
            said.append(day_match.group(0))
            rest = _cut(rest, day_match)
    part = PART_OF_DAY.search(rest.lower())
    if part:
        said.append(part.group(0))
        rest = _cut(rest, part)
        if clock is None:
            clock = (PART_HOURS[part.group("part")], 0, True)
        elif not clock[2] and part.group("part") != "morning" and clock[0] < 12:
            clock = (clock[0] + 12, clock[1], True)
        if day is None and part.group("part") == "tonight":
            day = now.date()
    if day_match and day_match.group("simple") == "tonight" and clock is None:
        clock = (20, 0, True)
    if not said:
        return text, None
    at_value = _combine(day, clock, now, rule)
    return _tidy(rest), When(at=at_value, rule=rule, text=" ".join(said))


def _combine(
    day: date | None, clock: tuple[int, int, bool] | None, now: datetime, rule: str | None
) -> date | datetime | None:
    if clock is None:
        return day
    hour, minute, certain = clock
    if hour > 23 or minute > 59:
        raise DomainError(f"{hour}:{minute:02d} is not a time of day", code="bad-date")
    if day is not None:
        if not certain and 1 <= hour <= 6:
            hour += 12  # "tomorrow at 5" is five in the afternoon
        return datetime.combine(day, time(hour, minute))
    candidates = [datetime.combine(now.date(), time(hour, minute))]
    if not certain and hour < 12:
        candidates.append(datetime.combine(now.date(), time(hour + 12, minute)))
    if rule is None:
        upcoming = [c for c in candidates if c > now] or [candidates[0] + timedelta(days=1)]
        return min(upcoming)
    return datetime.combine(now.date(), time(hour + 12 if not certain and 1 <= hour <= 6 else hour, minute))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.")
    return re.sub(r"\s+\b(at|on|by|for|in|from|starting|due)$", "", text, flags=re.IGNORECASE).strip(" ,.")
