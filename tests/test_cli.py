"""The real `nargis` console script, run as a person would, in a throw-away NARGIS_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.moments import NOW_TEXT as NOW

NARGIS = str(Path(sys.executable).parent / "nargis")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def nargis(
    home: Path, *args: str, stdin: str | None = None, passphrase: str = "test pass"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(home), NARGIS_PASSPHRASE=passphrase, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    return subprocess.run(
        [NARGIS, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60, check=False
    )


def ok(home: Path, *args: str, stdin: str | None = None) -> str:
    result = nargis(home, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_command_has_help(home: Path) -> None:
    for command in ("task", "habit", "journal", "reminder"):
        assert "Usage" in ok(home, command, "--help")
    for command in (
        "task add",
        "task list",
        "task done",
        "task edit",
        "task delete",
        "habit add",
        "habit check",
        "journal add",
        "journal show",
        "reminder snooze",
        "export",
        "import",
        "backup",
        "restore",
        "doctor",
    ):
        assert "Usage" in ok(home, *command.split(), "--help")
    assert not home.exists(), "--help must not create a profile"


def test_a_day_with_tasks_habits_journal_and_reminders(home: Path) -> None:
    ok(home, "task", "add", "Call", "mom", "--due", "tomorrow 5pm", "-p", "high", "--now", NOW)
    ok(home, "task", "add", "Water plants", "--due", "yesterday", "--repeat", "every week", "--now", NOW)
    listing = ok(home, "task", "list", "--now", NOW)
    assert "Call mom  due tomorrow 17:00  !high" in listing
    assert "Water plants  OVERDUE yesterday" in listing
    rolled = ok(home, "task", "done", "water plants", "--now", NOW)
    assert "due Tue 01 Dec" in rolled
    ok(home, "habit", "add", "Meditate", "--now", NOW)
    ok(home, "habit", "check", "meditate", "--day", "yesterday", "--now", NOW)
    assert "streak 2 days" in ok(home, "habit", "check", "Meditate", "--now", NOW)
    ok(home, "journal", "add", "--mood", "good", "--now", NOW, stdin="Dear diary,\nA calm day.")
    ok(home, "reminder", "add", "Stretch", "--at", "in 20 minutes", "--now", NOW)
    assert "at today 09:50" in ok(home, "reminder", "list", "--now", NOW)
    today = ok(home, "today", "--now", NOW)
    assert "Stretch" in today and "checked today: Meditate" in today
    exported = json.loads(ok(home, "export", "--now", NOW))
    assert {t["title"]: t["due"] for t in exported["tasks"]}["Water plants"] == "2026-12-01"
    assert exported["journal"][0]["text"] == "Dear diary,\nA calm day." and exported["journal"][0]["mood"] == 4


def test_export_import_round_trip_through_the_cli(tmp_path: Path, home: Path) -> None:
    ok(home, "task", "add", "Buy milk", "--due", "2026-11-30", "-t", "shop", "--now", NOW)
    ok(home, "habit", "add", "Read", "--schedule", "mon,wed,fri", "--now", NOW)
    ok(home, "habit", "check", "Read", "--now", NOW)
    ok(home, "reminder", "add", "Standup", "--at", "tomorrow 9am", "--repeat", "weekdays", "--now", NOW)
    ok(home, "export", "-o", str(tmp_path / "e.json"), "--now", NOW)
    other = tmp_path / "other"
    ok(other, "import", str(tmp_path / "e.json"), "--now", NOW)
    ok(other, "export", "-o", str(tmp_path / "again.json"), "--now", NOW)
    assert json.loads((tmp_path / "e.json").read_text()) == json.loads((tmp_path / "again.json").read_text())


def test_a_wrong_passphrase_exits_2_and_leaves_the_file_alone(home: Path) -> None:
    ok(home, "task", "add", "secret plan")
    before = (home / "data" / "nargis.db").read_bytes()
    result = nargis(home, "task", "list", passphrase="not it")
    assert result.returncode == 2
    assert "cannot open the store: wrong key" in result.stderr
    assert "Traceback" not in result.stderr
    assert (home / "data" / "nargis.db").read_bytes() == before


def test_an_unparseable_date_names_the_word(home: Path) -> None:
    result = nargis(home, "task", "add", "x", "--due", "next fridya")
    assert result.returncode == 2
    assert "'fridya'" in result.stderr


def test_a_malformed_import_names_the_field_and_imports_nothing(tmp_path: Path, home: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"tasks": [{"id": "x" * 32, "title": "t", "priority": "urgent"}]}))
    result = nargis(home, "import", str(tmp_path / "bad.json"))
    assert result.returncode == 2 and "tasks[0]" in result.stderr and "urgent" in result.stderr
    assert "no tasks" in ok(home, "task", "list")


def test_a_file_that_is_not_a_store_is_named(home: Path) -> None:
    ok(home, "task", "list")
    (home / "data" / "nargis.db").write_text("not a database at all")
    result = nargis(home, "task", "list")
    assert result.returncode == 2 and "nargis.db" in result.stderr and "Traceback" not in result.stderr


def test_backup_and_restore_through_the_cli(tmp_path: Path, home: Path) -> None:
    ok(home, "task", "add", "before backup")
    ok(home, "backup", str(tmp_path / "b.db"))
    ok(home, "task", "add", "after backup")
    ok(home, "restore", str(tmp_path / "b.db"))
    listing = ok(home, "task", "list")
    assert "before backup" in listing and "after backup" not in listing


def test_doctor_reports_the_store_and_engines(home: Path) -> None:
    ok(home, "task", "add", "x")
    report = ok(home, "doctor")
    assert "(ok)" in report and "1 tasks" in report and "store key:     passphrase" in report


def test_the_headless_demo_runs_and_finds_no_plaintext(home: Path) -> None:
    env_result = nargis(home, "demo", "--now", NOW)
    assert env_result.returncode == 0, env_result.stderr
    assert "nowhere: it is encrypted" in env_result.stdout


def test_stats_overview_and_one_habit(home: Path) -> None:
    ok(home, "habit", "add", "Meditate", "--now", "2026-11-01T09:00")
    for day in range(18, 25):
        ok(home, "habit", "check", "Meditate", "--day", f"2026-11-{day}", "--now", NOW)
    ok(home, "task", "add", "Pay bills", "--due", "2026-11-24", "--now", NOW)
    ok(home, "task", "done", "pay bills", "--now", NOW)
    report = json.loads(ok(home, "stats", "--json", "--now", NOW))
    (meditate,) = report["habits"]
    assert meditate["streak"]["current"] == 7 and meditate["completion_rate"]["7_days"] == 1.0
    assert 0 < meditate["score"] < 1
    assert report["tasks"]["completed_last_7_days"] == 1 and report["tasks"]["on_time_rate"] == 0.0
    detail = ok(home, "stats", "habit", "meditate", "--now", NOW)
    assert "streak 7 days" in detail and "100% of the last 7 days" in detail
