"""RRULEs in words for people: "every Monday, Wednesday and Friday", "on the last Friday of every month".

No library that is looked after does this in Python (rrule-humanize has one release, recurrent
last released in 2021 and reads rules only one way), so the few shapes Nargis writes are
described here; anything richer still reads as words ("on a custom schedule"), never as RRULE text.
"""

from __future__ import annotations

from datetime import date

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.recurrence import normalize_rule

DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_UNITS = {
    "DAILY": "day",
    "WEEKLY": "week",
    "MONTHLY": "month",
    "YEARLY": "year",
    "HOURLY": "hour",
    "MINUTELY": "minute",
}
_ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second to last"}
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
CUSTOM = "on a custom schedule"


def listing(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def describe_rule(rule: str) -> str:
    """An RRULE as a person would say it; never the rule text itself."""
    try:
        parts = dict(part.split("=", 1) for part in normalize_rule(rule).split(";"))
    except (DomainError, ValueError):
        return CUSTOM
    try:
        words = _describe(parts)
    except (KeyError, ValueError):
        return CUSTOM
    return words + _limits(parts)


def _every(unit: str, interval: int) -> str:
    if interval == 1:
        return f"every {unit}"
    if interval == 2:
        return f"every other {unit}"
    return f"every {interval} {unit}s"


def _describe(parts: dict[str, str]) -> str:
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYHOUR", "BYMINUTE", "COUNT", "UNTIL", "WKST"}
    if set(parts) - known or freq not in _UNITS:
        raise ValueError("not a shape Nargis describes")
    days = parts["BYDAY"].split(",") if "BYDAY" in parts else []
    at = _clock(parts)
    if freq == "WEEKLY" or (freq == "DAILY" and days and interval == 1):
        text = _weekly(days, interval)
    elif freq == "MONTHLY":
        text = _monthly(parts, days, interval)
    elif (
        freq == "YEARLY"
        and "BYMONTH" in parts
        and "BYMONTHDAY" in parts
        and "," not in parts["BYMONTH"] + parts["BYMONTHDAY"]
    ):
        text = f"{_every('year', interval)} on {_MONTHS[int(parts['BYMONTH'])]} {int(parts['BYMONTHDAY'])}"
    elif days or "BYMONTHDAY" in parts or "BYMONTH" in parts:
        raise ValueError("not a shape Nargis describes")
    else:
        text = _every(_UNITS[freq], interval)
    return text + at


def _weekly(days: list[str], interval: int) -> str:
    if not days:
        return _every("week", interval)
    if any(code not in DAY_NAMES for code in days):
        raise ValueError("ordinal weekdays only make sense monthly")
    ordered = sorted(set(days), key=list(DAY_NAMES).index)
    if interval == 1 and len(ordered) == 7:
        return "every day"
    if ordered == _WEEKDAYS:
        return "every weekday" if interval == 1 else f"{_every('week', interval)} on weekdays"
    if ordered == ["SA", "SU"] and interval == 1:
        return "every weekend"
    names = listing([DAY_NAMES[code] for code in ordered])
    if interval == 1:
        return f"every {names}"
    if interval == 2 and len(ordered) == 1:
        return f"every other {names}"
    return f"{_every('week', interval)} on {names}"


def _monthly(parts: dict[str, str], days: list[str], interval: int) -> str:
    months = _every("month", interval)
    of = f"of {months}"
    if "BYMONTHDAY" in parts and not days:
        numbers = [int(n) for n in parts["BYMONTHDAY"].split(",")]
        named = [("the last day" if n == -1 else f"the {ordinal(n)}") for n in numbers]
        return f"on {listing(named)} {of}"
    if days and "BYMONTHDAY" not in parts:
        named = []
        for code in days:
            weekday, count = code[-2:], code[:-2]
            if not count:
                named.append(f"every {DAY_NAMES[weekday]}")
                continue
            named.append(f"the {_ORDINAL_NAMES[int(count)]} {DAY_NAMES[weekday]}")
        if all(n.startswith("every ") for n in named):
            return f"{listing(named)} {'' if interval == 1 else 'in ' + months}".strip()
        return f"on {listing(named)} {of}"
    if not days and "BYMONTHDAY" not in parts:
        return months
    raise ValueError("not a shape Nargis describes")


def _clock(parts: dict[str, str]) -> str:
    if "BYHOUR" not in parts or "," in parts["BYHOUR"] or "," in parts.get("BYMINUTE", ""):
        if "BYHOUR" in parts or "BYMINUTE" in parts:
            raise ValueError("several times a day")
        return ""
    hour, minute = int(parts["BYHOUR"]), int(parts.get("BYMINUTE", "0"))
    if (hour, minute) == (12, 0):
        return " at noon"
    suffix = "AM" if hour < 12 else "PM"
    shown = hour % 12 or 12
    return f" at {shown} {suffix}" if minute == 0 else f" at {shown}:{minute:02d} {suffix}"


def _limits(parts: dict[str, str]) -> str:
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        return ", once" if count == 1 else f", {count} times"
    if "UNTIL" in parts:
        raw = parts["UNTIL"]
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        return f", until {day.day} {_MONTHS[day.month]} {day.year}"
    return ""
