"""RFC 5545 recurrence rules on local wall-clock times.

Rules are kept as RRULE strings without the `RRULE:` prefix. Occurrences are computed on
naive local datetimes, so "every day at 7:00" stays at 7:00 across daylight-saving changes;
`to_aware` resolves such a wall time in a zone (times that fall in a spring-forward gap move
forward, as every calendar app does).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from dateutil import rrule as _rrule
from dateutil import tz as _tz
from dateutil.relativedelta import relativedelta

from nargis_desktop.domain.errors import DomainError

_PREFIX = "RRULE:"


def normalize_rule(text: str) -> str:
    """Validate an RRULE and return it upper-cased, without prefix; raises DomainError."""
    rule = text.strip()
    if rule.upper().startswith(_PREFIX):
        rule = rule[len(_PREFIX) :]
    rule = rule.upper().replace(" ", "")
    if not rule:
        raise DomainError("empty recurrence rule", code="bad-recurrence")
    if "DTSTART" in rule:
        raise DomainError("give the rule without DTSTART; the item's own date starts it", code="bad-recurrence")
    if "FREQ=" not in rule:
        raise DomainError(f"recurrence rule {text!r} has no FREQ=", code="bad-recurrence")
    parts = dict(part.partition("=")[::2] for part in rule.split(";"))
    if parts.get("FREQ") == "SECONDLY" or len(parts.get("BYSECOND", "").split(",")) > 1:
        # Reminders every second would flood the person and the scheduler: a minute is the finest step.
        raise DomainError("a repeat can be at most once a minute", code="bad-recurrence")
    try:
        _parse(rule, datetime(2000, 1, 1))
    except (ValueError, TypeError) as err:
        raise DomainError(f"recurrence rule {text!r} is not valid: {err}", code="bad-recurrence") from err
    return rule


@lru_cache(maxsize=256)
def _parse(rule: str, dtstart: datetime) -> _rrule.rrule:
    parsed = _rrule.rrulestr(rule, dtstart=dtstart, forceset=False)
    if not isinstance(parsed, _rrule.rrule):  # pragma: no cover - forceset=False guarantees it
        raise ValueError("not a single rule")
    return parsed


def as_datetime(when: date | datetime) -> datetime:
    """A date stands for its midnight, so date-only items recur by day."""
    if isinstance(when, datetime):
        return when.replace(tzinfo=None)
    return datetime.combine(when, time())


def next_occurrence(rule: str, start: date | datetime, after: date | datetime) -> datetime | None:
    """The first occurrence of `rule` (anchored at `start`) strictly after `after`, or None."""
    return _parse(rule, as_datetime(start)).after(as_datetime(after), inc=False)


def occurrences_between(
    rule: str, start: date | datetime, first: date | datetime, last: date | datetime
) -> list[datetime]:
    """Occurrences in [first, last], both ends included."""
    return list(_parse(rule, as_datetime(start)).between(as_datetime(first), as_datetime(last), inc=True))


def roll_forward(
    rule: str, start: date | datetime, current: date | datetime, not_before: date | datetime
) -> datetime | None:
    """The occurrence after `current` that is not before `not_before`.

    Completing an overdue daily task on Friday moves it to Friday's or a later occurrence,
    not to Tuesday's, so it is not born overdue again.
    """
    parsed = _parse(rule, as_datetime(start))
    following = parsed.after(as_datetime(current), inc=False)
    floor = as_datetime(not_before)
    if following is not None and following < floor:
        following = parsed.after(floor, inc=True)
    return following


def to_aware(wall_time: datetime, zone: tzinfo | None = None) -> datetime:
    """Attach `zone` (default: the machine's) to a local wall time, moving times in a DST gap forward."""
    zone = zone or _tz.tzlocal()
    aware = wall_time.replace(tzinfo=zone)
    return _tz.resolve_imaginary(aware)


_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _simple_day_rule(rule: str) -> tuple[str, int, frozenset[int] | None] | None:
    """(FREQ, INTERVAL, BYDAY weekdays) for plain daily/weekly rules; None for anything richer."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    if parts.get("FREQ") not in ("DAILY", "WEEKLY") or set(parts) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}:
        return None
    if parts.get("WKST", "MO") != "MO":
        return None
    weekdays = None
    if "BYDAY" in parts:
        codes = parts["BYDAY"].split(",")
        if any(code not in _WEEKDAY_CODES for code in codes):  # "1MO" and the like go to dateutil
            return None
        weekdays = frozenset(_WEEKDAY_CODES.index(code) for code in codes)
    return parts["FREQ"], int(parts.get("INTERVAL", "1")), weekdays


@lru_cache(maxsize=1024)
def days_between(rule: str, start: date, first: date, last: date) -> tuple[date, ...]:
    """The dates in [first, last] on which a date-anchored rule falls.

    Five years of a daily habit are 1,800 dates: dateutil takes ~10 ms for them, so plain
    daily and weekly rules (nearly every habit) are counted directly; the rest go to dateutil.
    """
    first = max(first, start)
    if first > last:
        return ()
    simple = _simple_day_rule(rule)
    if simple is None:
        return tuple(d.date() for d in occurrences_between(rule, start, first, last))
    freq, interval, weekdays = simple
    origin = start.toordinal()
    week_origin = origin - start.weekday()  # weekly intervals count Monday-based weeks from the start
    days = []
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        weekday = (ordinal - 1) % 7  # date.fromordinal(1) is a Monday
        if freq == "DAILY":
            if (ordinal - origin) % interval == 0 and (weekdays is None or weekday in weekdays):
                days.append(ordinal)
        elif ((ordinal - week_origin) // 7) % interval == 0 and weekday in (weekdays or {start.weekday()}):
            days.append(ordinal)
    return tuple(date.fromordinal(d) for d in days)


def anchor_on_or_before(rule: str, start: date, earliest: date) -> date:
    """A start for `rule` on or before `earliest` that keeps the rule's rhythm.

    History from before a habit's start (an import, a check-in for last week) is read against
    the same schedule: "every other week" stays on the same weeks, "monthly" on the same day.
    """
    if earliest >= start:
        return start
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    interval = int(parts.get("INTERVAL", "1"))
    leap_day = (start.month, start.day) == (2, 29)
    freq = parts.get("FREQ")
    if freq in ("DAILY", "WEEKLY"):
        period = interval * (7 if freq == "WEEKLY" else 1)
        periods = -(-(start - earliest).days // period)  # ceiling division
        return start - timedelta(days=period * periods)
    step = {
        "MONTHLY": relativedelta(months=12 * interval * (4 if leap_day else 1)),
        "YEARLY": relativedelta(years=interval * (4 if leap_day else 1)),
    }.get(freq or "", relativedelta(years=4))
    anchor = start
    while anchor > earliest:
        anchor -= step
    return anchor
