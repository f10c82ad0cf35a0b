"""The one time grammar: every date and time a person types or says is read here.

The CLI's `--due`, `--at` and `--day`, the assistant (typed or spoken), the app, Sheets cells
and imports all come through this module, so one phrase means one moment everywhere. The rules
(README, "Dates and times", says the same):

- **Future-looking.** What a phrase leaves open is filled with the next moment that fits:
  "8am" is the next 8 am, "friday" the next Friday (today, if it is Friday and the time is still
  ahead), "the 15th" the next 15th, "march 3" the next March 3rd, "feb 29" the next one.
- **A bare hour** ("at 9", "9:30", "six thirty") is the next time the clock shows it: asked at
  20:00, "at 9" is 21:00 today; asked at 22:00, it is 09:00 tomorrow. When a day is named
  ("tomorrow at 5", "friday at 9") or the moment repeats ("every weekday at 7") there is no
  "next" to follow, so 7–11 are the morning and 12–6 noon to evening: "tomorrow at 5" is 17:00.
- **Parts of the day**: morning 09:00, afternoon 15:00, evening 18:00, tonight 20:00. "This
  evening" or "tonight" after that hour is the next whole hour while the evening lasts.
  "Noon" is 12:00; "midnight" is the end of the day named (00:00 of the next day).
- **Relative**: "in 90 minutes" and "in 2 hours" count real time (across a clock change too);
  "in 3 days", "in a week", "in a month" (a calendar month) name a day. "Next week" is next
  Monday, "next month" its 1st, "end of the month" its last day, "next friday" the Friday of
  next week.
- **The past only when said**: "yesterday", "last friday", "3 days ago", a date with its year.
  A reminder in the past is refused; a task may be due in the past only when said so.
- **Impossible dates are refused**, naming the words: "december 32", "february 30", "25:00".
- **Spoken forms read like typed ones**: "6 30", "545 am", "7m", "p.m.", "2 15 p.m.".

Pure: no clock is read here; the caller says what "now" is. Wall times are naive local times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from dateutil import tz as _tz
from dateutil.relativedelta import relativedelta

from nargis_desktop.domain import time_words as words
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.recurrence_phrases import REPEAT, phrase_to_rule
from nargis_desktop.domain.when_days import absolute_day, check_day, days_named

DEFAULT_REMINDER_HOUR = 9
_CODE = "bad-date"


@dataclass(frozen=True)
class When:
    """What was said about time: a moment (date or datetime) and/or a repeat rule.

    `problem` is set when the words name no real moment ("december 32"): reading `at` then
    raises DomainError with it, so a command is refused rather than done at a wrong time.
    """

    moment: date | datetime | None
    rule: str | None
    text: str  # the words that said it, for replies and debugging
    problem: str | None = field(default=None)

    @property
    def at(self) -> date | datetime | None:
        if self.problem:
            raise DomainError(self.problem, code=_CODE)
        return self.moment


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    certain: bool  # am/pm, 24-hour or a part of the day said which half of the day
    midnight: bool = False
    from_part: str | None = None  # "tonight" alone: the hour came from the part of the day


def find_when(
    text: str,
    now: datetime,
    zone: tzinfo | None = None,
    *,
    looking_back: bool = False,
    default_hour: int | None = None,
) -> tuple[str, When | None]:
    """Cut the time phrases out of `text`; returns the rest and what they said (None if nothing).

    Never raises: a phrase naming no real moment comes back with `problem` set. With
    `default_hour` (reminders) a day said without a time gets that hour, and a day left open
    ("wednesday" said on a Wednesday evening) is the next one whose hour is still ahead.
    """
    found = _find_phrases(text)
    scan = found.scan
    if found.problem is not None:
        return _tidy(scan.rest), When(None, found.rule, " ".join(scan.said), problem=found.problem)
    if not scan.said:
        return scan.rest, None
    days: date | Iterator[date] | None = None
    if found.day is not None:
        try:
            days = days_named(found.day, now.date(), looking_back)
        except DomainError as err:  # a day this calendar lacks ("the 31st of this month"): the words stop there
            rest, said = found.after_day
            return _tidy(rest), When(None, found.rule, " ".join(said), problem=err.message)
    try:
        moment = _moment(found, days, now, zone, looking_back, default_hour)
    except DomainError as err:
        return _tidy(scan.rest), When(None, found.rule, " ".join(scan.said), problem=err.message)
    return _tidy(scan.rest), When(moment, found.rule, " ".join(scan.said))


def find_when_words(text: str) -> tuple[str, str]:
    """The time phrases cut out of `text` without reading them as a moment (no clock): the rest, and
    the words that said when ("" if none). The cut `find_when` makes, except that a day only some
    months have ("the 31st of this month") is read past, as `find_when` does in a month that has it."""
    found = _find_phrases(text)
    if not found.scan.said:
        return found.scan.rest, ""
    return _tidy(found.scan.rest), " ".join(found.scan.said)


class _Scan:
    """The text still to read and the time words taken out of it so far."""

    def __init__(self, text: str) -> None:
        self.rest = text
        self.said: list[str] = []

    def take(self, match: re.Match[str]) -> None:
        self.said.append(match.group(0).strip())
        self.rest = _cut(self.rest, match)


@dataclass
class _Phrases:
    """The time words of a text, found without a clock, in the order the grammar reads them."""

    scan: _Scan
    rule: str | None = None
    relative: re.Match[str] | None = None
    clock: _Clock | None = None
    day: re.Match[str] | None = None
    after_day: tuple[str, list[str]] = ("", [])  # the rest and the words said, just after the day was cut
    part: re.Match[str] | None = None
    problem: str | None = None  # words no calendar or clock has ("25:00", "december 32"): read no further


def _find_phrases(text: str) -> _Phrases:
    """Find (and cut) the repeat, then a relative phrase, a time, a day and a part of the day."""
    text = words.typed_form(text)
    if len(text.lower()) != len(text):  # the spans found in the lower-cased copy must fit the original
        text = text.lower()
    found = _Phrases(_Scan(text))
    scan = found.scan
    found.rule = _cut_repeat(scan)
    try:
        found.relative = words.RELATIVE.search(scan.rest.lower())
        if found.relative:
            scan.take(found.relative)
            if _unit(found.relative) in _ELAPSED_UNITS:  # "in 90 minutes" is a moment: nothing more to read
                return found
            _whole_amount(found.relative)
        time_match = words.TIME.search(scan.rest.lower())
        if time_match:
            scan.take(time_match)
            found.clock = _clock_of(time_match)
        if found.relative is None:
            day_match = words.DAY.search(scan.rest.lower())
            if day_match and day_match.group(0).strip():
                found.day = day_match
                scan.take(day_match)
                found.after_day = (scan.rest, list(scan.said))
                check_day(day_match)
        found.part = words.PART_OF_DAY.search(scan.rest.lower())
        if found.part:
            scan.take(found.part)
    except DomainError as err:
        found.problem = err.message
    return found


def _cut_repeat(scan: _Scan) -> str | None:
    """Cut a repeat ("every monday", "on weekdays") out of the scan; its rule, or None."""
    repeat = REPEAT.search(scan.rest.lower())
    if not repeat:
        return None
    phrase = repeat.group(0)
    part_of_day = re.search(r"morning|evening|night", phrase)
    try:
        if part_of_day:  # "every evening": daily, and the part of day still sets the time
            rule = "FREQ=DAILY"
            scan.rest = scan.rest[: repeat.start()] + part_of_day.group(0) + scan.rest[repeat.end() :]
        else:
            rule = phrase_to_rule(re.sub(r"^on\s+", "every ", phrase) if not phrase.startswith("on the") else phrase)
            scan.rest = _cut(scan.rest, repeat)
        scan.said.append(phrase)
    except DomainError:
        return None
    return rule


def _moment(
    found: _Phrases,
    days: date | Iterator[date] | None,
    now: datetime,
    zone: tzinfo | None,
    looking_back: bool,
    default_hour: int | None,
) -> date | datetime | None:
    day: date | None = days if isinstance(days, date) else None
    implicit_days = None if days is None or isinstance(days, date) else days
    if found.relative:
        shifted = _shift(found.relative, now, zone)
        if isinstance(shifted, datetime):
            return shifted
        day = shifted
    clock = found.clock
    part = found.part
    if part:
        part_name = part.group("part")
        if clock is None:
            clock = _Clock(words.PART_HOURS[part_name], 0, True, from_part=part_name)
        elif not clock.certain and part_name != "morning" and clock.hour < 12:
            clock = _Clock(clock.hour + 12, clock.minute, True)
        elif not clock.certain:
            clock = _Clock(clock.hour % 12, clock.minute, True)
        if day is None and implicit_days is None and (part.group("this") or part_name == "tonight"):
            day = now.date()
    if found.day is not None and found.day.group("simple") == "tonight":
        if clock is None:
            clock = _Clock(20, 0, True, from_part="tonight")
        elif not clock.certain and clock.hour < 12:  # "tonight at 11", "at 8 tonight"
            clock = _Clock(clock.hour + 12, clock.minute, True)
    if clock is None and default_hour is not None and (day is not None or implicit_days is not None):
        clock = _Clock(default_hour, 0, True)
    if implicit_days is not None:  # the first day that, with its time, is still ahead (or behind, looking back)
        for candidate in implicit_days:
            moment = _on_day(candidate, clock, now)
            if looking_back or _not_before(moment, now):
                return moment
        raise DomainError("there is no such day", code=_CODE)  # pragma: no cover - candidates never run out
    if day is not None:
        return _on_day(day, clock, now)
    if clock is None:
        return None
    return _next_clock(clock, now, rule=found.rule)


def _not_before(moment: date | datetime, now: datetime) -> bool:
    return moment >= now if isinstance(moment, datetime) else moment >= now.date()


_ELAPSED_UNITS = ("minute", "min", "hour", "hr")  # "in 90 minutes" counts real time


def _unit(match: re.Match[str]) -> str:
    return str(match.group("unit") or match.group("unit2")).rstrip("s")


def _whole_amount(match: re.Match[str]) -> int:
    """How many days, weeks, months or years; only days are rounded ("in 1.5 weeks" is refused)."""
    amount = words.count(match.group("n") or match.group("n2"))
    whole = int(amount)
    if whole != amount and _unit(match) != "day":
        raise DomainError(f"say {match.group(0)!r} in days", code=_CODE)
    return whole


def _shift(match: re.Match[str], now: datetime, zone: tzinfo | None) -> date | datetime:
    unit = _unit(match)
    sign = -1 if (match.group("dir") or "") == "ago" else 1
    if unit in _ELAPSED_UNITS:
        amount = words.count(match.group("n") or match.group("n2"))
        span = timedelta(minutes=amount * sign) if unit.startswith("m") else timedelta(hours=amount * sign)
        return _elapsed(now, span, zone)
    whole = _whole_amount(match)
    shift = {
        "day": relativedelta(days=whole),
        "week": relativedelta(weeks=whole),
        "month": relativedelta(months=whole),
        "year": relativedelta(years=whole),
    }[unit]
    return now.date() + shift * sign


def _elapsed(now: datetime, span: timedelta, zone: tzinfo | None) -> datetime:
    """`now + span` in real time, as a local wall time: 90 minutes are 90 across a clock change too."""
    local = zone or _tz.tzlocal()
    aware = _tz.resolve_imaginary(now.replace(tzinfo=local))
    later = (aware.astimezone(_tz.UTC) + span).astimezone(local).replace(tzinfo=None, microsecond=0)
    if span > timedelta(0) and later <= now:
        # In the hour the clocks go back, a wall time can repeat: a naive time cannot say "the
        # second 01:15", so keep the moment ahead on the wall clock (never a reminder in the past).
        return (now + span).replace(microsecond=0)
    return later


def _clock_of(match: re.Match[str]) -> _Clock:
    if match.group("noon"):
        if match.group("noon") == "midnight":
            return _Clock(0, 0, True, midnight=True)
        return _Clock(12, 0, True)
    hour_text = match.group("h") or match.group("h2") or match.group("h3")
    minute_text = match.group("m") or match.group("m2") or match.group("m3") or "0"
    hour, minute = int(hour_text), int(minute_text)
    marker = match.group("ap") or ""
    spoken = match.group(0).strip()
    if minute > 59 or hour > 23 or (marker in ("am", "pm") and not 1 <= hour <= 12 and hour != 0):
        raise DomainError(f"{spoken!r} is not a time of day", code=_CODE)
    if marker == "pm":
        return _Clock(hour % 12 + 12, minute, True)
    if marker == "am":
        return _Clock(hour % 12, minute, True)
    certain = hour > 12 or hour == 0 or (match.group("h3") is not None and hour_text.startswith("0"))
    return _Clock(hour, minute, certain)


def _by_the_day(clock: _Clock) -> int:
    """The hour of an uncertain clock on a named day: 7–11 the morning, 12–6 noon to evening."""
    if clock.certain or clock.hour >= 12:
        return clock.hour
    return clock.hour + 12 if 1 <= clock.hour <= 6 else clock.hour


def _on_day(day: date, clock: _Clock | None, now: datetime) -> date | datetime:
    if clock is None:
        return day
    if clock.midnight:
        return datetime.combine(day + timedelta(days=1), time())
    if day == now.date():
        if not clock.certain:  # "today at 9": the next 9 o'clock today, if one is left
            for hour in (clock.hour, clock.hour + 12):
                candidate = datetime.combine(day, time(hour % 24, clock.minute))
                if hour < 24 and candidate > now:
                    return candidate
        elif clock.from_part and datetime.combine(day, time(clock.hour)) <= now:
            # "tonight" at 21:10 is 22:00; at 23:30 it has passed (and a reminder says so)
            next_hour = now.hour + 1
            if next_hour < words.PART_ENDS[clock.from_part]:
                return datetime.combine(day, time(next_hour))
    return datetime.combine(day, time(_by_the_day(clock), clock.minute))


def _next_clock(clock: _Clock, now: datetime, rule: str | None) -> datetime:
    today = now.date()
    if rule is not None:  # the repeat decides the day; the series starts from its first time
        return datetime.combine(today, time(_by_the_day(clock), clock.minute))
    if clock.midnight:
        return datetime.combine(today + timedelta(days=1), time())
    hours = [clock.hour] if clock.certain else [clock.hour % 12, clock.hour % 12 + 12]
    candidates = [datetime.combine(today + timedelta(days=d), time(h, clock.minute)) for d in (0, 1) for h in hours]
    return min(c for c in candidates if c > now)


def _cut(text: str, match: re.Match[str]) -> str:
    return (text[: match.start()] + " " + text[match.end() :]).strip()


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.")
    return re.sub(r"\s+\b(at|on|by|for|in|from|starting|due)$", "", text, flags=re.IGNORECASE).strip(" ,.")


# Whole phrases: the CLI's options, editors, cells ------------------------------------------------
def parse_when(
    text: str, now: datetime, zone: tzinfo | None = None, *, default_hour: int | None = None
) -> date | datetime:
    """The moment a whole phrase names ("tomorrow 5pm", "the 15th", ISO); raises DomainError naming the word.

    `default_hour` (reminders): a day said without a time gets that hour (see `find_when`).
    """
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise DomainError("no date given", code=_CODE)
    iso = _iso(cleaned)
    if iso is not None:
        return iso if default_hour is None else at_hour(iso, default_hour)
    rest, said = find_when(words.typed_form(cleaned, whole_phrase=True), now, zone, default_hour=default_hour)
    leftover = [w for w in re.split(r"[\s,]+", rest.lower()) if w and w not in words.FILLER]
    if said is None or leftover or said.rule is not None:
        word = _unknown_word(leftover) if leftover else cleaned
        if said is not None and said.rule is not None and not leftover:
            raise DomainError(f"{cleaned!r} is a repeat, not a date; give it with --repeat", code=_CODE)
        raise DomainError(f"did not understand {word!r} in the date {cleaned!r}", code=_CODE)
    moment = said.at
    if moment is None:
        raise DomainError(f"did not understand the date {cleaned!r}", code=_CODE)
    return moment


def _unknown_word(leftover: list[str]) -> str:
    """The word to name in a refusal: "fridya" in "next fridya", not "next"."""
    return next((w for w in leftover if w not in words.CONNECTORS), leftover[0])


def _iso(text: str) -> date | datetime | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?", text):
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).replace(microsecond=0)
    except ValueError as err:
        raise DomainError(f"{text!r} is not a real date: {err}", code=_CODE) from err


def parse_when_datetime(text: str, now: datetime, default_hour: int = DEFAULT_REMINDER_HOUR) -> datetime:
    """Like parse_when, but a bare date gets `default_hour` o'clock."""
    return at_hour(parse_when(text, now, default_hour=default_hour), default_hour)


def at_hour(when: date | datetime, hour: int = DEFAULT_REMINDER_HOUR) -> datetime:
    if isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day, hour)


def parse_reminder_time(text: str, now: datetime, zone: tzinfo | None = None) -> datetime:
    """A moment still to come for a reminder; a bare day gets 9:00; the past is refused."""
    moment = at_hour(parse_when(text, now, zone, default_hour=DEFAULT_REMINDER_HOUR))
    refuse_past_reminder(moment, now, text)
    return moment


def refuse_past_reminder(moment: datetime, now: datetime, said: str | None = None) -> None:
    """A reminder for a moment already gone could never ring: say so rather than store it."""
    if moment < now.replace(second=0, microsecond=0):
        what = f"{said!r} is" if said else "that is"
        raise DomainError(
            f"{what} {_plain(moment)}, which has already passed; a reminder needs a time to come", code="past-reminder"
        )


def parse_check_in_day(text: str, now: datetime) -> date:
    """The day of a check-in: "friday" is the last Friday (today included); a day to come is refused."""
    cleaned = " ".join(text.strip().split())
    iso = _iso(cleaned)
    if iso is None:
        rest, said = find_when(words.typed_form(cleaned, whole_phrase=True), now, looking_back=True)
        leftover = [w for w in re.split(r"[\s,]+", rest.lower()) if w and w not in words.FILLER]
        if said is None or leftover:
            word = _unknown_word(leftover) if leftover else cleaned
            raise DomainError(f"did not understand {word!r} in the day {cleaned!r}", code=_CODE)
        iso = said.at
    if iso is None:
        raise DomainError(f"did not understand the day {cleaned!r}", code=_CODE)
    day = iso.date() if isinstance(iso, datetime) else iso
    if day > now.date():
        raise DomainError(f"{cleaned!r} is {_plain(day)}, a day that has not come yet", code="future-checkin")
    return day


def _plain(moment: date | datetime) -> str:
    day = f"{moment:%A} {moment.day} {moment:%B %Y}"
    return f"{day} at {moment:%H:%M}" if isinstance(moment, datetime) else day


_WRITTEN = re.compile(r"(?P<day>[\d./-]+)(?:[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?")


def parse_written(text: str) -> date | datetime:
    """A date written out in full, with or without a time: what a cell or a file holds.

    2026-11-25, 2026-11-25 09:30, 2026-11-25T09:30:00+01:00, 11/25/2026, 25.11.2026 14:00.
    No relative words: a cell read next week must not move.
    """
    cleaned = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})", cleaned):
            return datetime.fromisoformat(cleaned.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError as err:
        raise DomainError(f"{cleaned!r} is not a real date: {err}", code=_CODE) from err
    found = _WRITTEN.fullmatch(cleaned)
    if found is None:
        raise DomainError(f"{cleaned!r} is not a date like 2026-11-25 or 2026-11-25 09:30", code=_CODE)
    day = absolute_day(found.group("day"))
    if found.group("h") is None:
        return day
    hour, minute, second = int(found.group("h")), int(found.group("m")), int(found.group("s") or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DomainError(f"{cleaned!r} has no such time of day", code=_CODE)
    return datetime(day.year, day.month, day.day, hour, minute, second)
