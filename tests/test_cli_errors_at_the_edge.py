"""Every error leaves the CLI as plain words: a missing extra names what to install, a crash
writes a report and says where it is, a domain rule reads as the refusal it is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from nargis_desktop.cli import main as cli_main
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.errors import (
    CODES,
    DateParseError,
    FeatureNotInstalledError,
    FutureCheckinError,
    PastReminderError,
    RecurrenceError,
    from_domain,
    user_message,
)
from tests.test_cli import NOW, ok

# A core install lacks the insights extra: the interpreter refuses `import duckdb` as it would then.
WITHOUT_DUCKDB = "import sys; sys.modules['duckdb'] = None; from nargis_desktop.cli.main import main; sys.exit(main())"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(home), NARGIS_PASSPHRASE="test pass", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    return env


def test_asking_for_the_weekly_review_without_the_insights_extra_names_the_extra_and_the_install(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    ok(home, "task", "add", "water the plants")
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DUCKDB, "ask", "--now", NOW, "give me my weekly review"],
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr and "ModuleNotFoundError" not in result.stderr, result.stderr
    assert result.returncode == FeatureNotInstalledError.exit_code, result.stderr
    assert "'insights'" in result.stderr and 'pip install "nargis-desktop[insights]"' in result.stderr
    assert "water the plants" in ok(home, "task", "list")  # nothing else was touched


@click.command("explode")
@click.argument("words", nargs=-1)
def explode(words: tuple[str, ...]) -> None:
    """A command with a bug in it."""
    raise ZeroDivisionError("a bug nobody expected")


def test_an_unexpected_crash_writes_a_report_and_prints_where_it_is_never_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NARGIS_HOME", str(tmp_path / "home"))
    monkeypatch.setitem(cli_main.COMMANDS, "explode", f"{__name__}:explode")
    assert cli_main.main(["explode", "my secret diary words"]) == 70
    said = capsys.readouterr().err
    assert "Traceback" not in said and "a bug nobody expected" in said
    reports = list((tmp_path / "home" / "cache" / "crash-reports").glob("nargis-crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in said
    report = reports[0].read_text(encoding="utf-8")
    assert "Traceback" in report and "ZeroDivisionError: a bug nobody expected" in report and "nargis explode" in report
    assert "secret diary" not in report  # what a person typed stays out of a plain-text file


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("bad-date", DateParseError),
        ("bad-recurrence", RecurrenceError),
        ("past-reminder", PastReminderError),
        ("future-checkin", FutureCheckinError),
    ],
)
def test_a_domain_refusal_becomes_the_input_error_of_its_code_keeping_its_cause(code: str, kind: type) -> None:
    refusal = DomainError("no", code=code)
    mapped = from_domain(refusal)
    assert type(mapped) is kind and mapped.code == code and code in CODES and mapped.__cause__ is refusal


def test_a_reminder_in_the_past_is_refused_in_words_with_its_code_on_request(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for flag, shows_code in (("-v", True), (None, False)):
        args = [a for a in (flag, "reminder", "add", "stretch", "--at", "yesterday 9am", "--now", NOW) if a]
        result = subprocess.run(
            [sys.executable, "-m", "nargis_desktop", *args],
            capture_output=True,
            text=True,
            env=_env(home),
            timeout=60,
            check=False,
        )
        assert result.returncode == 2 and "already passed" in result.stderr, result.stderr
        assert ("[past-reminder]" in result.stderr) is shows_code


def test_a_missing_extra_reads_as_what_to_install_wherever_it_is_shown() -> None:
    try:
        import nargis_test_no_such_module  # type: ignore[import-not-found]  # noqa: F401
    except ModuleNotFoundError as unknown:
        assert "unexpected ModuleNotFoundError" in user_message(unknown)  # not an extra: not guessed at
    missing = ModuleNotFoundError("No module named 'gspread'", name="gspread")
    assert user_message(missing, with_code=True).endswith('pip install "nargis-desktop[sync]" [feature-not-installed]')
