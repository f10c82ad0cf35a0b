"""Spoken periods ("last month", "this week", "in October") as a first and last day, both included."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}


def period(phrase: str, today: date) -> tuple[date, date] | None:
    """The days a phrase covers, or None if it names no period; months are the latest one not ahead."""
    words = phrase.lower().strip().removeprefix("in ").removeprefix("during ").strip()
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    simple = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this week": (week_start, today),
        "last week": (week_start - timedelta(weeks=1), week_start - timedelta(days=1)),
        "the last week": (today - timedelta(days=6), today),
        "this month": (month_start, today),
        "last month": ((month_start - timedelta(days=1)).replace(day=1), month_start - timedelta(days=1)),
        "this year": (today.replace(month=1, day=1), today),
        "last year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    if words in simple:
        return simple[words]
    if words in MONTHS:
        month = MONTHS[words]
        year = today.year if month <= today.month else today.year - 1
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return None
