"""`nargis ask` through the console script's `main()` (in this process: tests/helpers/in_process_cli.py):
the JSON contract, effects visible in export. tests/test_cli.py runs the script in processes of its own."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers.in_process_cli import run_nargis
from tests.moments import NOW_TEXT as NOW


def nargis(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_nargis(*args, env={"NARGIS_HOME": str(home), "NARGIS_PASSPHRASE": "pw"})


def ask(home: Path, text: str, *flags: str) -> dict[str, object]:
    result = nargis(home, "ask", "--now", NOW, "--json", "--no-llm", *flags, text)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_the_json_contract_and_the_effect_in_the_export(tmp_path: Path) -> None:
    turn = ask(tmp_path, "remind me to call mom tomorrow at 5")
    assert set(turn) == {"input", "actions", "reply", "path", "timings_ms", "understood"}
    assert turn["input"] == "remind me to call mom tomorrow at 5" and turn["path"] == "fast"
    assert turn["actions"] == [
        {"tool": "add_reminder", "args": {"text": "call mom", "when": "at 5 tomorrow"}, "status": "done", "error": None}
    ]
    assert turn["reply"] == "Okay, I'll remind you to call mom tomorrow at 5 PM."
    exported = json.loads(nargis(tmp_path, "export", "--now", NOW).stdout)
    assert [(r["text"], r["at"]) for r in exported["reminders"]] == [("call mom", "2026-11-26T17:00:00")]


def test_consecutive_asks_are_one_conversation(tmp_path: Path) -> None:
    assert ask(tmp_path, "remind me to water the plants")["reply"] == "When should I remind you?"
    assert "tomorrow at 8 AM" in str(ask(tmp_path, "tomorrow at 8am")["reply"])


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    turn = ask(tmp_path, "add buy stamps", "--dry-run")
    assert turn["actions"][0]["status"] == "done"  # type: ignore[index]
    assert json.loads(nargis(tmp_path, "export", "--now", NOW).stdout)["tasks"] == []


def test_confirmation_then_yes_flag(tmp_path: Path) -> None:
    ask(tmp_path, "add buy stamps")
    assert ask(tmp_path, "delete buy stamps")["actions"][0]["status"] == "needs_confirmation"  # type: ignore[index]
    assert ask(tmp_path, "delete buy stamps", "--yes")["actions"][0]["status"] == "done"  # type: ignore[index]


def test_empty_text_exits_2_and_gibberish_exits_0_without_action(tmp_path: Path) -> None:
    empty = nargis(tmp_path, "ask", "   ")
    assert empty.returncode == 2 and "say what Nargis should do" in empty.stderr
    turn = ask(tmp_path, "qwzx vbnm plokij")
    assert turn["actions"] == [] and turn["path"] == "none" and "another way" in str(turn["reply"])


def test_a_question_is_answered_and_writes_nothing(tmp_path: Path) -> None:
    ask(tmp_path, "add buy stamps")
    turn = ask(tmp_path, "is buy stamps done?")
    assert turn["reply"] == "No, Buy stamps isn't done yet." and turn["actions"][0]["tool"] == "task_status"  # type: ignore[index]
    exported = json.loads(nargis(tmp_path, "export", "--now", NOW).stdout)
    assert [t["done"] for t in exported["tasks"]] == [False]


def test_out_of_scope_is_declined_in_words_that_say_what_nargis_can_do(tmp_path: Path) -> None:
    turn = ask(tmp_path, "put on some music")
    assert turn["actions"] == [] and turn["understood"]["act"] == "out_of_scope"  # type: ignore[index]
    assert "can't play music" in str(turn["reply"]) and "remind you" in str(turn["reply"])
    assert json.loads(nargis(tmp_path, "export", "--now", NOW).stdout)["tasks"] == []
