"""Cell text ⇄ values: each check turns what a person typed into one canonical text, or says why not."""

from __future__ import annotations

from datetime import date, datetime

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.journal import parse_mood
from nargis_desktop.domain.recurrence import normalize_rule
from nargis_desktop.domain.tasks import Priority
from nargis_desktop.domain.when import parse_written

TRUE, FALSE = "TRUE", "FALSE"
_TRUE_WORDS = {"true", "yes", "y", "x", "1", "done", "✓", "✔"}
_FALSE_WORDS = {"false", "no", "n", "0", ""}


class BadCellError(ValueError):
    """A cell that cannot be used; the message goes into the row's status cell."""


def text(value: str) -> str:
    return value.strip()


def required_text(value: str) -> str:
    if not value.strip():
        raise BadCellError("must not be empty")
    return value.strip()


def boolean(value: str) -> str:
    word = value.strip().lower()
    if word in _TRUE_WORDS:
        return TRUE
    if word in _FALSE_WORDS:
        return FALSE
    raise BadCellError(f"{value!r} is not TRUE or FALSE")


def priority(value: str) -> str:
    try:
        parsed = Priority.parse(value)
    except DomainError as err:
        raise BadCellError(err.message) from err
    return "" if parsed is Priority.NONE else parsed.value


def render_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def parse_date_or_datetime(value: str) -> date | datetime:
    """A written date (ISO, 11/25/2026, 25.11.2026, with or without a time), read by the time grammar."""
    try:
        return parse_written(value)
    except DomainError as err:
        raise BadCellError(err.message) from err


def optional_when(value: str) -> str:
    return render_date(parse_date_or_datetime(value)) if value.strip() else ""


def day(value: str) -> str:
    parsed = parse_date_or_datetime(required_text(value))
    if isinstance(parsed, datetime):
        raise BadCellError(f"{value!r} should be a day without a time")
    return parsed.isoformat()


def moment(value: str) -> str:
    parsed = parse_date_or_datetime(required_text(value))
    if not isinstance(parsed, datetime):
        parsed = datetime(parsed.year, parsed.month, parsed.day)
    return render_date(parsed)


def optional_moment(value: str) -> str:
    return moment(value) if value.strip() else ""


def rule(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return normalize_rule(value)
    except DomainError as err:
        raise BadCellError(err.message) from err


def number(value: str) -> str:
    if not value.strip():
        return ""
    try:
        parsed = float(value.strip().replace(",", "."))
    except ValueError as err:
        raise BadCellError(f"{value!r} is not a number") from err
    return render_number(parsed)


def render_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def tags(value: str) -> str:
    return render_tags(value.replace(";", ",").split(","))


def render_tags(values: object) -> str:
    assert isinstance(values, (list, tuple))
    return ", ".join(sorted({str(t).strip().lstrip("#").lower() for t in values if str(t).strip()}))


def mood(value: str) -> str:
    if not value.strip():
        return ""
    try:
        parsed = parse_mood(value.strip())
    except DomainError as err:
        raise BadCellError(err.message) from err
    return "" if parsed is None else str(parsed)


def parse_rendered_date(value: str) -> date | datetime | None:
    return parse_date_or_datetime(value) if value else None
