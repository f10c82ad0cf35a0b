"""What every command shares: the profile, `--now`, date options and error handling."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import update_wrapper
from typing import TYPE_CHECKING, Any, TypeVar

import click

from nargis_desktop.config import PASSPHRASE_ENV

if TYPE_CHECKING:
    from nargis_desktop.app import Profile

F = TypeVar("F", bound=Callable[..., Any])


class CliState:
    """Opens the profile on first use, so `--help` and bad arguments never touch the store."""

    def __init__(self, profile: Profile | None = None) -> None:
        self._profile: Profile | None = profile  # given: an open profile (tests, benchmarks)
        self.now_override: datetime | None = None
        self.verbose = False  # -v: errors show their stable code too

    @property
    def profile(self) -> Profile:
        if self._profile is None:
            from nargis_desktop.app import open_profile  # commands without data (models, help) skip the store

            self._profile = open_profile(prompt=terminal_passphrase)
        return self._profile

    def store_path(self) -> str | None:
        return str(self._profile.paths.store_file) if self._profile else None

    def now(self) -> datetime:
        return self.now_override or datetime.now().replace(microsecond=0)

    def close(self) -> None:
        if self._profile is not None:
            self._profile.close()


def terminal_passphrase(confirm: bool) -> str | None:
    """NARGIS_PASSPHRASE, else ask in a terminal; None when there is no one to ask."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        return None
    return str(click.prompt("Nargis passphrase", hide_input=True, confirmation_prompt=confirm, err=True))


def state() -> CliState:
    return click.get_current_context().ensure_object(CliState)


def _set_now(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        try:
            ctx.ensure_object(CliState).now_override = datetime.fromisoformat(value).replace(tzinfo=None)
        except ValueError as err:
            raise click.BadParameter(f"{value!r} is not an ISO date-time such as 2026-11-25T09:00") from err


def now_option(func: F) -> F:
    """`--now ISO-DATETIME`: run as if it were that moment (reproducible scripts and tests)."""
    return click.option(
        "--now",
        callback=_set_now,
        expose_value=False,
        is_eager=True,
        metavar="ISO-DATETIME",
        help="Pretend the current time is this (e.g. 2026-11-25T09:00).",
    )(func)


# The parsers below let a DomainError go: the CLI's edge (cli/main.py) turns it into words.
def parse_when_option(text: str | None) -> date | datetime | None:
    """A `--due`-style phrase, read by the one time grammar (domain/when.py)."""
    if text is None:
        return None
    from nargis_desktop.domain.when import parse_when

    return parse_when(text, state().now())


def parse_datetime_option(text: str) -> datetime:
    """An `--at` phrase for a reminder: a moment still to come (a bare day gets 9:00)."""
    from nargis_desktop.domain.when import parse_reminder_time

    return parse_reminder_time(text, state().now())


def parse_day_option(text: str) -> date:
    """A `--day` phrase for a check-in: "friday" is the last one; a day to come is refused."""
    from nargis_desktop.domain.when import parse_check_in_day

    return parse_check_in_day(text, state().now())


def parse_repeat_option(text: str | None) -> str | None:
    if text is None:
        return None
    from nargis_desktop.domain.recurrence_phrases import phrase_to_rule

    return phrase_to_rule(text)


def pass_state(func: F) -> F:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(state(), *args, **kwargs)

    return update_wrapper(wrapper, func)  # type: ignore[return-value]
