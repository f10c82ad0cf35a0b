"""Which day a day phrase names: "friday", "the 15th", "march 3", "end of next month", ISO.

Part of the time grammar (domain/when.py). A phrase that leaves the day open gives the days it
may name, soonest first (latest first when looking back, as a check-in does), and the grammar
takes the first whose moment is still ahead; a phrase that fixes the day gives that day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from nargis_desktop.domain import time_words as words
from nargis_desktop.domain.errors import DomainError

_CODE = "bad-date"


def days_named(match: re.Match[str], today: date, looking_back: bool) -> date | Iterator[date]:
    """The day a DAY match names, or the days it may name, soonest first (latest first looking back)."""
    group = match.group
    if group("simple"):
        simple = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", group("simple")))
        offsets = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1}
        offsets.update({"day after tomorrow": 2, "day before yesterday": -2})
        return today + timedelta(days=offsets[simple])
    if group("edge"):
        return _edge(group("edge"), group("edge_unit"), bool(group("edge_next")), today)
    if group("span"):
        span = re.sub(r"\s+", " ", group("span"))
        monday = today - timedelta(days=today.weekday())
        saturday = monday + timedelta(days=5)
        return {
            "next week": monday + timedelta(days=7),
            "next month": today.replace(day=1) + relativedelta(months=1),
            "next year": date(today.year + 1, 1, 1),
            "this weekend": saturday if today.weekday() < 6 else today,
            "the weekend": saturday if today.weekday() < 6 else today,
            "next weekend": saturday + timedelta(days=7),
        }[span]
    if group("weekday") or group("weekday2"):
        name = (group("weekday") or group("weekday2")).rstrip("s")  # "mondays", "tues" and "thurs" too
        which = group("which") or group("which2")
        return _weekday(words.WEEKDAY_NUMBERS[name], which, bool(group("after_next")), today, looking_back)
    if group("month2") or group("month3"):
        month = words.MONTH_NUMBERS[(group("month2") or group("month3")).rstrip(".")]
        day_text = group("day2") or group("day3")
        year_text = group("year2") or group("year3")
        return _calendar_day(int(day_text), month, int(year_text) if year_text else None, today, looking_back, match)
    if group("ordinal") or group("word_ordinal") or group("word_ordinal2"):
        return _ordinal_day(match, today, looking_back)
    return absolute_day(match.group(0))


def check_day(match: re.Match[str]) -> None:
    """Refuse a DAY match that names no day on any calendar ("december 32", "the 40th"); reads no clock.

    What depends on the day it is ("the 31st of this month" in November) only `days_named` can tell.
    """
    group = match.group
    if group("simple") or group("edge") or group("span") or group("weekday") or group("weekday2"):
        return
    if group("month2") or group("month3"):
        month = words.MONTH_NUMBERS[(group("month2") or group("month3")).rstrip(".")]
        year_text = group("year2") or group("year3")
        _check_calendar_day(int(group("day2") or group("day3")), month, int(year_text) if year_text else None)
    elif group("ordinal") or group("word_ordinal") or group("word_ordinal2"):
        _token, day, month_text = _ordinal(match)
        if month_text in words.MONTH_NUMBERS:
            _check_calendar_day(day, words.MONTH_NUMBERS[month_text], None)
    else:
        absolute_day(match.group(0))


def _weekday(
    target: int, which: str | None, after_next: bool, today: date, looking_back: bool
) -> date | Iterator[date]:
    if which == "last" or (looking_back and which in (None, "on", "this")):
        back = (today.weekday() - target) % 7
        return today - timedelta(days=back or (7 if which == "last" else 0))
    if which == "next" or after_next:  # "next friday": the one in next week
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 * (2 if after_next and which == "next" else 1) + target)
    ahead = (target - today.weekday()) % 7
    if which == "coming":
        return today + timedelta(days=ahead or 7)
    return (today + timedelta(days=ahead + 7 * weeks) for weeks in range(3))


def _edge(edge: str, unit: str, following: bool, today: date) -> date:
    if unit == "week":
        start = today - timedelta(days=today.weekday()) + timedelta(days=7 if following else 0)
        return start if edge != "end" else start + timedelta(days=6)
    if unit == "month":
        start = today.replace(day=1) + relativedelta(months=1 if following else 0)
        return start if edge != "end" else start + relativedelta(months=1, days=-1)
    year = today.year + (1 if following else 0)
    return date(year, 1, 1) if edge != "end" else date(year, 12, 31)


def _calendar_day(
    day: int, month: int, year: int | None, today: date, looking_back: bool, match: re.Match[str]
) -> date | Iterator[date]:
    _check_calendar_day(day, month, year)
    if year is not None:
        return date(year, month, day)
    step = -1 if looking_back else 1
    return (
        date(today.year + step * i, month, day)
        for i in range(9)
        if day <= calendar.monthrange(today.year + step * i, month)[1]
    )


def _check_calendar_day(day: int, month: int, year: int | None) -> None:
    name = words.MONTH_NAMES[month]
    if not 1 <= day <= 31 or day > (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        raise DomainError(f"there is no {name} {day}", code=_CODE)
    if year is not None and day > calendar.monthrange(year, month)[1]:
        raise DomainError(f"there is no {name} {day} in {year}", code=_CODE)


def _ordinal(match: re.Match[str]) -> tuple[str, int, str]:
    """An ordinal day phrase: the ordinal as said, its day of the month (1-31) and the month words after it."""
    token = match.group("ordinal") or match.group("word_ordinal") or match.group("word_ordinal2")
    day = words.ORDINAL_WORDS.get(re.sub(r"\s+", " ", token)) or int(re.sub(r"\D", "", token))
    month_text = re.sub(r"\s+", " ", match.group("word_month") or match.group("ord_month") or "")
    if not 1 <= day <= 31:
        raise DomainError(f"there is no {token} day in a month", code=_CODE)
    return token, day, month_text


def _ordinal_day(match: re.Match[str], today: date, looking_back: bool) -> date | Iterator[date]:
    token, day, month_text = _ordinal(match)
    if month_text in words.MONTH_NUMBERS:
        return _calendar_day(day, words.MONTH_NUMBERS[month_text], None, today, looking_back, match)
    first = today.replace(day=1)
    if month_text in ("next", "next month"):
        first += relativedelta(months=1)
    elif month_text in ("the", "this", "the month", "this month"):
        last = calendar.monthrange(first.year, first.month)[1]
        if day > last:
            raise DomainError(f"there is no {token} in {words.MONTH_NAMES[first.month]}", code=_CODE)
        return first.replace(day=day)
    step = -1 if looking_back else 1
    months = (first + relativedelta(months=step * i) for i in range(13))
    return (m.replace(day=day) for m in months if day <= calendar.monthrange(m.year, m.month)[1])


_ABSOLUTE_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2})\.(\d{1,2})\.(\d{4})")


def absolute_day(text: str) -> date:
    """A day written out in full: 2026-11-25, 11/25/2026 (month first) or 25.11.2026 (day first)."""
    found = _ABSOLUTE_DAY.fullmatch(text.strip())
    if found is None:
        raise DomainError(f"{text!r} is not a date like 2026-11-25", code=_CODE)
    parts = found.groups()
    if parts[0]:
        year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
    elif parts[3]:
        month, day, year = int(parts[3]), int(parts[4]), int(parts[5])
    else:
        day, month, year = int(parts[6]), int(parts[7]), int(parts[8])
    try:
        return date(year, month, day)
    except ValueError as err:
        raise DomainError(f"{text.strip()!r} is not a real date ({err})", code=_CODE) from err
