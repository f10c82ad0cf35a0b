"""Every way in gives the same moment: the phrase table through the CLI's `--at`, the assistant and the app.

Each of the table's phrases (tests/time_phrases.py) is said at each reference clock (morning,
evening, just before midnight, month and year ends, 29 February, both clock changes) through:
the `nargis reminder add … --at PHRASE` command, a typed "remind me to … PHRASE" to the
assistant, and the same sentence typed into the app's command box. What each stored, or that
each refused, must agree with the grammar — and a phrase that names a time to come is never
stored in the past (a Hypothesis property below).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.cli.common import CliState
from nargis_desktop.cli.main import cli
from nargis_desktop.config import ProfilePaths
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.when import parse_reminder_time, parse_when
from nargis_desktop.secrets import NoSecretStore
from tests.time_phrases import CLOCKS, PHRASES

REFUSED = "refused"


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    paths = ProfilePaths(data_dir=tmp_path / "data", config_dir=tmp_path / "config", cache_dir=tmp_path / "cache")
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _confirm: "pw")
    yield opened
    opened.close()


@contextmanager
def in_zone(zone: str) -> Iterator[None]:
    """The machine's zone for the duration (the grammar counts minutes and hours in real time)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def grammar(phrase: str, now: datetime) -> datetime | str:
    try:
        return parse_reminder_time(phrase, now)
    except DomainError:
        return REFUSED


def newest_reminder(profile: Profile) -> datetime | str:
    """The moment of the reminder just made (deleted again, so every turn reads a short list)."""
    new = profile.store.reminders.list()
    assert len(new) <= 1
    if not new:
        return REFUSED
    profile.store.reminders.delete(new[0].id)
    return new[0].at


def through_cli(profile: Profile, phrase: str, now: datetime) -> datetime | str:
    result = CliRunner().invoke(
        cli, ["reminder", "add", "Take", "pills", "--at", phrase, "--now", now.isoformat()], obj=CliState(profile)
    )
    if result.exception is not None and not isinstance(result.exception, DomainError):
        assert getattr(result.exception, "code", None) is not None, result.exception  # a NargisError, no crash
    return newest_reminder(profile)


def through_assistant(act: Any, profile: Profile, phrase: str) -> datetime | str:
    act(f"remind me to take my pills {phrase}")
    return newest_reminder(profile)


def mismatches(profile: Profile, now: datetime, act_by_name: dict[str, Any], cli: bool = True) -> list[str]:
    found = []
    for phrase in PHRASES:
        expected = grammar(phrase, now)
        got = {"cli": through_cli(profile, phrase, now)} if cli else {}
        for name, act in act_by_name.items():
            got[name] = through_assistant(act, profile, phrase)
        for name, value in got.items():
            if value != expected:
                found.append(f"{now:%Y-%m-%d %H:%M} {phrase!r}: grammar {expected}, {name} {value}")
    return found


@pytest.mark.parametrize(("name", "now", "zone"), CLOCKS, ids=[c[0] for c in CLOCKS])
def test_the_cli_and_the_assistant_store_the_moment_the_grammar_reads(
    profile: Profile, name: str, now: datetime, zone: str
) -> None:
    assistant = Assistant(profile.data)
    with in_zone(zone):
        found = mismatches(profile, now, {"assistant": lambda text: assistant.handle(text, now)})
    assert not found, "\n".join(found)


def due_reading(phrase: str, now: datetime) -> date | datetime | str:
    try:
        return parse_when(phrase, now)
    except DomainError:
        return REFUSED


def newest_task_due(profile: Profile) -> date | datetime | str | None:
    new = profile.store.tasks.list()
    assert len(new) <= 1
    if not new:
        return REFUSED
    profile.store.tasks.delete(new[0].id)
    return new[0].due


def task_due_through_cli(profile: Profile, phrase: str, now: datetime) -> date | datetime | str | None:
    CliRunner().invoke(
        cli, ["task", "add", "Pay", "the", "bill", "--due", phrase, "--now", now.isoformat()], obj=CliState(profile)
    )
    return newest_task_due(profile)


@pytest.mark.parametrize(("name", "now", "zone"), CLOCKS, ids=[c[0] for c in CLOCKS])
def test_a_task_is_due_when_the_grammar_reads_from_the_cli_and_the_assistant(
    profile: Profile, name: str, now: datetime, zone: str
) -> None:
    assistant = Assistant(profile.data)
    found = []
    with in_zone(zone):
        for phrase in PHRASES:
            expected = due_reading(phrase, now)
            from_cli = task_due_through_cli(profile, phrase, now)
            assistant.handle(f"add a task to pay the bill {phrase}", now)
            from_assistant = newest_task_due(profile)
            if not expected == from_cli == from_assistant:
                found.append(f"{name} {phrase!r}: grammar {expected}, cli {from_cli}, assistant {from_assistant}")
    assert not found, "\n".join(found)


def test_the_apps_command_box_stores_the_same_moments(profile: Profile, qtbot: Any) -> None:
    from nargis_desktop.ui.main_window import MainWindow

    clock: list[datetime] = [CLOCKS[0][1]]
    window = MainWindow(profile, lambda: clock[0], Assistant(profile.data), None)
    qtbot.addWidget(window)
    found = []
    for _name, now, zone in CLOCKS:
        clock[0] = now
        with in_zone(zone):
            found += mismatches(profile, now, {"app": window.act}, cli=False)
    assert not found, "\n".join(found)


def test_the_table_is_at_least_two_hundred_phrases_that_mostly_name_a_moment() -> None:
    assert len(set(PHRASES)) >= 200
    readable = sum(grammar(p, CLOCKS[0][1]) != REFUSED for p in PHRASES)
    assert readable >= 180


def test_the_cli_refuses_with_the_words_and_no_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    nargis = str(Path(sys.executable).parent / "nargis")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(tmp_path / "home"),
        NARGIS_PASSPHRASE="pw",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    refused = subprocess.run(
        [nargis, "task", "add", "Pay", "--due", "december 32"], capture_output=True, text=True, env=env, check=False
    )
    assert refused.returncode == 2 and "December 32" in refused.stderr and "[" not in refused.stderr
    past = subprocess.run(
        [nargis, "reminder", "add", "Pills", "--at", "yesterday at 5"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert past.returncode == 2 and "already passed" in past.stderr and "Traceback" not in past.stderr


def test_on_the_real_clock_the_cli_stores_what_the_grammar_reads_at_that_moment(tmp_path: Path) -> None:
    """The issue's bug: `--at 8am` without --now stored a date a month back (dateparser at a month's end)."""
    import json
    import subprocess
    import sys

    nargis = str(Path(sys.executable).parent / "nargis")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(tmp_path / "home"),
        NARGIS_PASSPHRASE="pw",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    for index, phrase in enumerate(("8am", "at 9", "tonight at 11", "the 15th", "in 90 minutes", "friday")):
        env["NARGIS_HOME"] = str(tmp_path / f"home-{index}")  # one reminder per store: no question which is which
        before = datetime.now().replace(microsecond=0)
        added = subprocess.run(
            [nargis, "reminder", "add", "Pills", "--at", phrase], capture_output=True, text=True, env=env, check=False
        )
        after = datetime.now().replace(microsecond=0)
        readings = {str(grammar(phrase, before + timedelta(seconds=s))) for s in range((after - before).seconds + 1)}
        if len(readings) > 1 and "minutes" not in phrase:
            continue  # the clock crossed an hour boundary while the command ran: no single answer
        exported = subprocess.run(
            [nargis, "export", "--format", "json"], capture_output=True, text=True, env=env, check=True
        )
        stored = json.loads(exported.stdout)["reminders"][-1]["at"]
        if str(REFUSED) in readings:
            assert added.returncode == 2
            continue
        assert added.returncode == 0, added.stderr
        assert stored.replace("T", " ")[:16] in {r[:16] for r in readings}, (phrase, stored, readings)


# A phrase that names a time to come ---------------------------------------------------------------
_HOURS = st.integers(1, 12)
_AHEAD = st.one_of(
    st.builds(lambda h, ap: f"at {h}{ap}", _HOURS, st.sampled_from(["am", "pm", " a.m.", " p.m."])),
    st.builds(lambda h, m: f"at {h}:{m:02d}", _HOURS, st.integers(0, 59)),
    st.builds(lambda h: f"at {h}", _HOURS),
    st.builds(lambda n, u: f"in {n} {u}", st.integers(1, 500), st.sampled_from(["minutes", "hours", "days", "weeks"])),
    st.builds(
        lambda d: f"on the {d}{'th' if 4 <= d <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}",
        st.integers(1, 31),
    ),
    st.builds(
        lambda w, h: f"{w} at {h}pm",
        st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
        _HOURS,
    ),
    st.builds(
        lambda m, d: f"{m} {d}", st.sampled_from(["jan", "march", "june", "sept", "december"]), st.integers(1, 28)
    ),
    st.sampled_from(["tomorrow", "next week", "next month", "in the morning", "at noon", "at midnight", "feb 29"]),
    st.sampled_from(["end of next month", "the day after tomorrow", "next friday", "tomorrow at 5", "in an hour"]),
)
_NOW = st.one_of(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    # around both of London's clock changes in 2026
    st.integers(0, 180).map(lambda m: datetime(2026, 3, 29, 0, 0) + timedelta(minutes=m)),
    st.integers(0, 180).map(lambda m: datetime(2026, 10, 25, 0, 0) + timedelta(minutes=m)),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phrase=_AHEAD, now=_NOW)
def test_no_phrase_naming_a_time_to_come_is_stored_in_the_past(profile: Profile, phrase: str, now: datetime) -> None:
    with in_zone("Europe/London"):  # a zone with clock changes
        due = parse_when(phrase, now)
        moment = parse_reminder_time(phrase, now)
    assert due >= (now if isinstance(due, datetime) else now.date())  # type: ignore[operator]
    reminder = profile.data.add_reminder("Pills", moment, now)
    assert reminder.at >= now


CHECK_IN_DAYS = ("today", "yesterday", "on friday", "last friday", "on monday", "on wednesday", "last sunday", "on tue")


@pytest.mark.parametrize("now", [CLOCKS[0][1], CLOCKS[3][1], datetime(2026, 11, 29, 21, 0)], ids=str)
def test_a_check_in_day_is_the_same_day_from_the_cli_and_the_assistant(profile: Profile, now: datetime) -> None:
    profile.data.add_habit("Meditate", now - timedelta(days=30))
    assistant = Assistant(profile.data)
    for phrase in CHECK_IN_DAYS:
        days = []
        for check in (
            ["habit", "check", "meditate", "--day", phrase, "--now", now.isoformat()],
            f"check in meditate {phrase}",
        ):
            if isinstance(check, list):
                CliRunner().invoke(cli, check, obj=CliState(profile))
            else:
                assistant.handle(check, now)
            made = profile.store.checkins.list()
            assert len(made) == 1, (phrase, made)
            days.append(made[0].day)
            profile.store.checkins.delete(made[0].id)
        assert days[0] == days[1] <= now.date(), (phrase, days)
