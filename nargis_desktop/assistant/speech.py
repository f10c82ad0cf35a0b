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


def day_words(day: date, today: date, *, after_preposition: bool = False) -> str:
    """ "tomorrow", "on Friday", "on December 7"; without the "on" after "to", "until" or "for"."""
    said = _day_words(day, today)
    return said.removeprefix("on ") if after_preposition else said


def _day_words(day: date, today: date) -> str:
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


def when_words(value: date | datetime, now: datetime, *, after_preposition: bool = False) -> str:
    """ "tomorrow at 5 PM", "on Friday"; `after_preposition` drops the "on" ("moved to Friday")."""
    if isinstance(value, datetime):
        return f"{day_words(value.date(), now.date(), after_preposition=after_preposition)} at {clock(value)}"
    return day_words(value, now.date(), after_preposition=after_preposition)


def listing(items: list[str], limit: int = 5) -> str:
    shown = items[:limit]
    more = len(items) - len(shown)
    if more:
        shown = [*shown, f"{more} more"]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def rule_words(rule: str) -> str:
    """An RRULE in words ("every Monday, Wednesday and Friday"); see domain/recurrence_words.py."""
    from nargis_desktop.domain.recurrence_words import describe_rule

    return describe_rule(rule)
