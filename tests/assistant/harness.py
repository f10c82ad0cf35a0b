"""Run utterances against a copy of a known profile and describe what changed in the export."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nargis_desktop.app import intent_classifier_loader
from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.assistant.calls import Turn
from nargis_desktop.assistant.classifier import IntentClassifier
from nargis_desktop.domain.tasks import Priority
from nargis_desktop.exchange.json_format import Snapshot, snapshot_to_json
from nargis_desktop.models.engines.base import LanguageModel
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from tests.moments import NOW

KINDS = ("tasks", "habits", "checkins", "journal", "reminders")


def build_base(path: Path, key: bytes) -> None:
    """A lived-in profile: tasks, habits with history, reminders, a journal."""
    with Store.open(path, key) as store:
        data = PersonalData(store)
        then = NOW - timedelta(days=30)
        data.add_task("Buy milk", then, due=NOW.date())
        data.add_task("Call the bank", then, due=NOW.date() + timedelta(days=1))
        data.add_task("Write report", then, due=NOW.date() - timedelta(days=1), priority=Priority.HIGH)
        data.add_task("Pay rent", then, due=date(2026, 12, 1), recurrence="FREQ=MONTHLY;BYMONTHDAY=1")
        data.add_task("Renew passport", then)
        data.add_task("Email Sara about the trip", then, due=NOW.date())
        meditate = data.add_habit("Meditate", then, start=then.date())
        run = data.add_habit("Run", then, schedule="3 times per week", start=then.date())
        data.add_habit("Read", then, start=then.date())
        data.add_habit("Drink water", then, start=then.date())
        data.add_habit("Floss", then, start=then.date())
        for days in range(1, 6):
            data.check_in(meditate, NOW.date() - timedelta(days=days), NOW)
        for days in (2, 4, 7, 9, 11):
            data.check_in(run, NOW.date() - timedelta(days=days), NOW)
        data.add_reminder("Stretch", NOW.replace(hour=11, minute=0), then)
        data.add_reminder(
            "Team standup", datetime(2026, 11, 26, 9, 0), then, recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        )
        data.add_reminder("Take out the bins", datetime(2026, 11, 26, 19, 0), then)
        data.add_journal("Long walk by the river with Sara. Felt calm.", then, mood=4)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def export(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    data = snapshot_to_json(Snapshot.of(store), NOW)
    return {kind: {item["id"]: item for item in data[kind]} for kind in KINDS}


@dataclass
class Effect:
    """What one turn changed, kind by kind."""

    added: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    changed: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = field(default_factory=dict)
    removed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (any(self.added.values()) or any(self.changed.values()) or any(self.removed.values()))


def diff(before: dict[str, dict[str, dict[str, Any]]], after: dict[str, dict[str, dict[str, Any]]]) -> Effect:
    effect = Effect()
    for kind in KINDS:
        old, new = before[kind], after[kind]
        effect.added[kind] = [new[i] for i in new.keys() - old.keys()]
        effect.removed[kind] = [old[i] for i in old.keys() - new.keys()]
        effect.changed[kind] = [(old[i], new[i]) for i in old.keys() & new.keys() if old[i] != new[i]]
    return effect


Expectation = Callable[[Effect, Turn], bool]


@dataclass
class Session:
    store: Store
    assistant: Assistant

    def say(self, text: str, **options: Any) -> tuple[Turn, Effect]:
        before = export(self.store)
        turn = self.assistant.handle(text, options.pop("now", NOW), **options)
        return turn, diff(before, export(self.store))


@functools.cache
def classifier() -> IntentClassifier | None:
    """The shipped intent classifier over the bundled MiniLM, loaded once for all tests."""
    return intent_classifier_loader()()


def open_session(
    base: Path, folder: Path, key: bytes, model: Callable[[], LanguageModel | None] | None = None
) -> Session:
    copy = folder / "case.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, copy)
    store = Store.open(copy, key)
    return Session(store, Assistant(PersonalData(store), model, classifier))
