"""Turns the rules settle load no model: `nargis ask "add …"` or "undo" never waits for NumPy and
MiniLM, while anything the rules cannot settle is still weighed by the classifier."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.assistant.classifier import IntentClassifier
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from tests.assistant.harness import NOW, build_base, classifier


@pytest.mark.parametrize(
    ("said", "loads"),
    [
        ("add a task buy stamps", False),
        ("add buy stamps", True),  # a bare "add …" may still be meant for somewhere else
        ("remind me to call mom tomorrow at 5", False),
        ("push buy milk back by two days", False),
        ("make meditate every weekday", False),
        ("undo", False),
        ("yes", False),
        ("play some music", True),
        ("is there anything on friday", True),
        ("order a pizza", True),
        ("add my friend on instagram", True),
        ("add a task buy stamps?", True),
    ],
)
def test_the_classifier_loads_only_when_the_rules_leave_something_open(tmp_path: Path, said: str, loads: bool) -> None:
    key = secrets.token_bytes(32)
    build_base(tmp_path / "base.db", key)
    asked: list[str] = []

    def loader() -> IntentClassifier | None:
        asked.append(said)
        return classifier()

    with Store.open(tmp_path / "base.db", key) as store:
        turn = Assistant(PersonalData(store), None, loader).handle(said, NOW, dry_run=True)
    assert bool(asked) == loads, turn.reply
    assert (turn.understood is not None) == loads
