"""Dates and times as people write them: ISO, or plain English ("tomorrow 5pm", "next friday").

A phrase that names no time of day gives a date; one that does gives a datetime.
`dateparser` is imported on first use only, so commands that read no dates start fast.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from nargis_desktop.domain.errors import DomainError

_CONNECTORS = frozenset(
    [
        "next",
        "last",
        "this",
        "coming",
        "at",
        "in",
        "on",
        "the",
        "of",
        "by",
        "from",
        "ago",
        "a",
        "an",
        "and",
        "before",
        "after",
        "around",
        "about",
    ]
)


def parse_when(text: str, now: datetime) -> date | datetime:
    """Parse `text` relative to `now`; raises DomainError naming the word not understood."""
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise DomainError("no date given", code="bad-date")
    iso = _parse_iso(cleaned)
    if iso is not None:
        return iso
    parser = _parser(now)
    data = parser.get_date_data(cleaned)
    if data.date_obj is None:
        raise DomainError(_explain_failure(cleaned, parser), code="bad-date")
    parsed: datetime = data.date_obj.replace(tzinfo=None)
    if data.period == "time":
        return parsed.replace(microsecond=0)
    return parsed.date()


def parse_when_datetime(text: str, now: datetime, default_hour: int = 9) -> datetime:
    """Like parse_when, but a bare date gets `default_hour` o'clock (for reminders)."""
    when = parse_when(text, now)
    if isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day, default_hour)


def _parse_iso(text: str) -> date | datetime | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][\d:.]+)?", text):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError as err:
        raise DomainError(f"{text!r} is not a real date: {err}", code="bad-date") from err


def _parser(now: datetime) -> Any:
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_TIME_AS_PERIOD": True,
    }
    return DateDataParser(languages=["en"], settings=settings)


def _explain_failure(text: str, parser: Any) -> str:
    for word in text.split():
        bare = word.strip(",.").lower()
        if not bare or bare in _CONNECTORS or any(ch.isdigit() for ch in bare):
            continue
        if parser.get_date_data(bare).date_obj is None and not _known_unit(bare):
            return f"did not understand {word!r} in the date {text!r}"
    return f"did not understand the date {text!r}"


def _known_unit(word: str) -> bool:
    return word.rstrip("s") in {"minute", "hour", "day", "week", "month", "year", "am", "pm", "noon", "midnight"}
