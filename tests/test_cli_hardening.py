"""No input makes `nargis` print a traceback, and the store's condition is told truthfully (issue 18,
finding 9): bytes that are not UTF-8, pathological import files, empty / damaged / wrong-key
stores, terminal escapes in what people wrote, export format checks, too-frequent repeats."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import NARGIS, nargis, ok


def run_bytes(home: Path, *args: bytes, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(home), NARGIS_PASSPHRASE="test pass", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    return subprocess.run([NARGIS.encode(), *args], input=stdin, capture_output=True, env=env, timeout=60, check=False)


def no_traceback(stderr: str | bytes) -> None:
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text, text


def test_bytes_that_are_not_utf8_in_arguments_or_on_stdin_get_a_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(home, "task", "add", "first")
    for result in (
        run_bytes(home, b"task", b"add", b"caf\xe9 \xff"),
        run_bytes(home, b"journal", b"add", stdin=b"a day \xff\xfe at the sea"),
    ):
        no_traceback(result.stderr)
        assert result.returncode == 2 and b"not valid UTF-8" in result.stderr
    assert "first" in ok(home, "task", "list")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            '{"tasks": [{"id": "a", "title": "x", "created_at": "2026-01-01T00:00", "priority": ' + "9" * 5000 + "}]}",
            "cannot read",
        ),
        (
            '{"format": "nargis-export", "version": 1, "tasks": [{"id": "a", "title": "\\ud800"}]}',
            "surrogates",
        ),
        ('{"format": "someone-else", "version": 1, "tasks": []}', "not a Nargis export"),
        ('{"format": "nargis-export", "version": 99, "tasks": []}', "newer Nargis"),
        ('{"format": "nargis-export", "version": "one", "tasks": []}', "no export version"),
    ],
    ids=["deep", "huge-int", "lone-surrogate", "other-format", "newer-version", "odd-version"],
)
def test_pathological_import_files_are_refused_in_plain_words(tmp_path: Path, content: str, says: str) -> None:
    home, source = tmp_path / "home", tmp_path / "in.json"
    source.write_text(content, encoding="utf-8")
    result = nargis(home, "import", str(source))
    no_traceback(result.stderr)
    assert result.returncode == 2 and says in result.stderr
    assert "no tasks" in ok(home, "task", "list") or ok(home, "task", "list").strip() == ""


def test_an_empty_a_damaged_and_a_wrongly_keyed_store_are_three_different_messages(tmp_path: Path) -> None:
    home, many = tmp_path / "home", tmp_path / "many.json"
    tasks = [
        {"id": f"{n:032x}", "title": f"task {n} " + "x" * 400, "created_at": "2026-01-01T00:00"} for n in range(60)
    ]
    many.write_text(json.dumps({"format": "nargis-export", "version": 1, "tasks": tasks}), encoding="utf-8")
    ok(home, "import", str(many))  # a store of some pages, so damage to one page is not all of it
    store = next(home.rglob("nargis.db"))
    ok(home, "doctor")

    wrong = nargis(home, "task", "list", passphrase="another pass")
    assert wrong.returncode != 0 and "wrong" in wrong.stderr.lower() and "damaged" not in wrong.stderr
    no_traceback(wrong.stderr)

    for suffix in ("-wal", "-shm"):
        Path(str(store) + suffix).unlink(missing_ok=True)
    healthy = store.read_bytes()
    damaged = bytearray(healthy)
    damaged[100:400] = os.urandom(300)  # page 1 only: the rest still checks out
    store.write_bytes(bytes(damaged))
    result = nargis(home, "-v", "task", "list")  # -v: the message carries its code
    assert result.returncode != 0 and "[store-damaged]" in result.stderr and "wrong key" not in result.stderr
    doctor = nargis(home, "doctor")
    assert doctor.returncode != 0 and "damaged" in doctor.stdout + doctor.stderr
    no_traceback(result.stderr + doctor.stderr)

    store.write_bytes(b"")
    empty = nargis(home, "-v", "task", "list")
    assert empty.returncode != 0 and "[store-empty]" in empty.stderr and "0 bytes" in empty.stderr
    doctor = nargis(home, "doctor")
    assert doctor.returncode != 0 and "empty" in doctor.stdout
    assert store.stat().st_size == 0  # nothing made a new, empty store in its place


def test_terminal_escapes_in_what_people_wrote_never_reach_the_terminal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(home, "task", "add", "pay rent \x1b]0;owned\x07\x1b[2J now")
    ok(home, "journal", "add", "a day\x1b]8;;http://evil\x1b\\ link")
    shown = ok(home, "task", "list") + ok(home, "journal", "list")
    assert "\x1b" not in shown and "\x07" not in shown
    assert "pay rent" in shown and "now" in shown


def test_a_repeat_more_often_than_once_a_minute_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for rule in ("FREQ=SECONDLY", "FREQ=MINUTELY;BYSECOND=0,30"):
        result = nargis(home, "task", "add", "ping", "--repeat", rule)
        assert result.returncode == 2 and "at most once a minute" in result.stderr, result.stderr
    ok(home, "task", "add", "stretch", "--repeat", "FREQ=MINUTELY;INTERVAL=30")
