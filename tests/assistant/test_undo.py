"""Undo keeps the store's own snapshots: the assistant records and replays them without knowing rows."""

from __future__ import annotations

import re
from pathlib import Path

import nargis_desktop.assistant
from nargis_desktop.assistant.dialogue import DialogueState
from nargis_desktop.store import codecs
from tests.assistant.harness import NOW, Session


def test_the_assistant_does_not_know_how_items_are_stored() -> None:
    package = Path(nargis_desktop.assistant.__file__).parent
    knowing = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"codec|to_row|from_row", line, re.IGNORECASE)
    ]
    assert knowing == []


def test_undo_of_adding_a_task_removes_it(session: Session) -> None:
    session.say("add buy stamps")
    _turn, effect = session.say("undo")
    assert [t["title"] for t in effect.removed["tasks"]] == ["Buy stamps"]


def test_undo_of_an_edit_puts_the_old_title_back(session: Session) -> None:
    session.say("rename buy milk to buy oat milk")
    _turn, effect = session.say("undo")
    ((old, new),) = effect.changed["tasks"]
    assert old["title"].lower() == "buy oat milk" and new["title"] == "Buy milk"


def test_an_undo_saved_by_the_previous_version_still_takes_back_the_action(session: Session) -> None:
    """Its records held the encoded row and the completion's time as the store writes it."""
    task = next(t for t in session.store.tasks.list() if t.title == "Pay rent")
    session.say("mark pay rent done")
    state = DialogueState.load(session.store, NOW)
    state.undo = [
        {"entity": "task", "id": task.id, "before": codecs.TASKS.to_row(task)},
        {"entity": "completion", "id": task.id, "before": codecs.iso(NOW)},
    ]
    state.save(session.store, NOW)
    _turn, effect = session.say("undo")
    ((_old, new),) = effect.changed["tasks"]
    assert new["due"] == "2026-12-01" and not new["done"]
    assert session.store.completions.count() == 0
