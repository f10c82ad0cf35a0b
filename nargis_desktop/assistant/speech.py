"""Dates, times and lists in words that read well aloud: "tomorrow at 5 PM", "on Friday"."""

from __future__ import annotations

from datetime import date, datetime


def clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "AM" if moment.hour < 12 else "PM"
    if moment.hour == 12 and moment.minute == 0:
        return "noon"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def day_words(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if 1 < delta < 7:
        return f"on {day:%A}"
    if -7 < delta < 0:
        return f"last {day:%A}"
    same_year = day.year == today.year
    return f"on {day:%B} {day.day}" + ("" if same_year else f", {day.year}")


def when_words(value: date | datetime, now: datetime) -> str:
    if isinstance(value, datetime):
        return f"{day_words(value.date(), now.date())} at {clock(value)}"
    return day_words(value, now.date())


def listing(items: list[str], limit: int = 5) -> str:
    shown = items[:limit]
    more = len(items) - len(shown)
    if more:
        shown = [*shown, f"{more} more"]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


RULE_WORDS = {
    "FREQ=DAILY": "every day",
    "FREQ=WEEKLY": "every week",
    "FREQ=MONTHLY": "every month",
    "FREQ=YEARLY": "every year",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR": "every weekday",
    "FREQ=WEEKLY;BYDAY=SA,SU": "every weekend",
}
DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def rule_words(rule: str) -> str:
    if rule in RULE_WORDS:
        return RULE_WORDS[rule]
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    interval = int(parts.get("INTERVAL", "1"))
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(parts.get("FREQ", ""), "time")
    if "BYDAY" in parts and parts.get("FREQ") == "WEEKLY":
        return "every " + listing([DAY_NAMES.get(d, d) for d in parts["BYDAY"].split(",")])
    if "BYMONTHDAY" in parts:
        day = int(parts["BYMONTHDAY"])
        return "on the last day of every month" if day == -1 else f"on day {day} of every month"
    return f"every {interval} {unit}s" if interval > 1 else f"every {unit}"
