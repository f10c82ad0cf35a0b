"""Three devices, one real server, random edits and messy syncs: in the end all agree, and agree with
a last-writer-wins model of every write; no journal text that nobody replaced is lost.

NARGIS_SYNC_EXAMPLES sets the examples per server database (default 250: 500 runs in all).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.tasks import Task
from nargis_desktop.store.hlc import HybridClock
from nargis_desktop.store.sync_state import apply_remote, mark_pushed, pending_changes, pending_count, set_values
from nargis_desktop.sync.crypto import SyncKey, new_recovery_phrase
from nargis_desktop.sync.merge import open_batch, seal
from tests.sync.devices import Device, new_email
from tests.sync.servers import RunningServer, server_process, settings_for

NOW = datetime(2026, 11, 25, 9, 30)
EXAMPLES = int(os.environ.get("NARGIS_SYNC_EXAMPLES", "250"))
STEPS = int(os.environ.get("NARGIS_SYNC_STEPS", "20"))
KEY = SyncKey.from_phrase(new_recovery_phrase())  # derived once: Argon2id per run would dominate the time
TABLES = {
    "task": "tasks",
    "journal": "journal",
    "habit": "habits",
    "checkin": "checkins",
    "completion": "task_completions",
}
WORDS = st.text(alphabet="abcd", min_size=1, max_size=3)
DEVICE = st.integers(0, 2)


def rows(device: Device) -> dict[str, Any]:
    conn = device.store.conn
    out: dict[str, Any] = {}
    for table in TABLES.values():
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "updated_at"]
        out[table] = sorted(conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())
    out["conflicts"] = sorted(conn.execute("SELECT entry_id, hlc, text FROM journal_conflicts").fetchall())
    return out


class Convergence(RuleBasedStateMachine):
    server: ClassVar[RunningServer]
    checked_runs: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        # Real SQLCipher files; in memory-backed /dev/shm where there is one, as fsync dominates otherwise.
        shm = "/dev/shm" if Path("/dev/shm").is_dir() else None
        self.dir = Path(tempfile.mkdtemp(prefix="nargis-sync-", dir=shm))
        self.devices = [Device.create(self.dir / f"d{i}.db") for i in range(3)]
        self.seen_seq = [0, 0, 0]
        self.writes: list[tuple[str, str, dict[str, Any], str]] = []  # entity, id, fields, hlc
        self.journal_texts: set[tuple[str, str]] = set()
        self.replaced_texts: set[tuple[str, str]] = set()

    @initialize(skews=st.lists(st.integers(-10, 10), min_size=3, max_size=3))
    def join(self, skews: list[int]) -> None:
        """Every device's clock is off by up to ten minutes from the start."""
        email = new_email()
        for i, device in enumerate(self.devices):
            device.join(self.server.url, email, KEY, register=i == 0)
            self.skew_clock(i, skews[i])
        first = self.devices[0].store
        first.tasks.add_many([Task("shared task", created_at=NOW), Task("other task", created_at=NOW)])
        for text in ("shared entry", "other entry"):
            self.journal_texts.add((first.journal.add(JournalEntry(text, created_at=NOW)).id, text))
        self._recorded(0)
        for device in self.devices:
            device.sync()  # everyone starts with the same few items, so edits collide early

    # Writes ----------------------------------------------------------------------------------------
    def _recorded(self, i: int) -> None:
        conn = self.devices[i].store.conn
        for seq, entity, entity_id, fields, hlc in conn.execute(
            "SELECT seq, entity, entity_id, fields, hlc FROM changes WHERE seq > ? AND change_id IS NULL",
            (self.seen_seq[i],),
        ).fetchall():
            self.writes.append((entity, entity_id, json.loads(fields), hlc))
            self.seen_seq[i] = seq
        self.seen_seq[i] = conn.execute("SELECT max(seq) FROM changes").fetchone()[0] or 0

    def _pick(self, data: st.DataObject, i: int, ids: set[str]) -> str | None:
        return data.draw(st.sampled_from(sorted(ids))) if ids else None

    @rule(i=DEVICE, data=st.data(), action=st.sampled_from(["add", "edit", "edit", "delete"]), title=WORDS)
    def write_task(self, i: int, data: st.DataObject, action: str, title: str) -> None:
        store = self.devices[i].store
        task_id = self._pick(data, i, store.tasks.ids())
        if action == "add" or task_id is None:
            store.tasks.add(Task(title, created_at=NOW))
        elif action == "edit":
            store.tasks.save(replace(store.tasks.get(task_id), title=title, done=data.draw(st.booleans())))
        else:
            store.tasks.delete(task_id)
        self._recorded(i)

    @rule(i=DEVICE, data=st.data(), action=st.sampled_from(["add", "edit", "edit", "delete"]), text=WORDS)
    def write_journal(self, i: int, data: st.DataObject, action: str, text: str) -> None:
        store = self.devices[i].store
        entry_id = self._pick(data, i, store.journal.ids())
        if action == "add" or entry_id is None:
            entry_id = store.journal.add(JournalEntry(text, created_at=NOW)).id
            self.journal_texts.add((entry_id, text))
        elif action == "edit":
            entry = store.journal.get(entry_id)
            self.replaced_texts.add((entry_id, entry.text))  # the person saw it and wrote over it
            self.journal_texts.add((entry_id, text))
            store.journal.save(entry.edit(text, NOW))
        else:
            store.journal.delete(entry_id)
        self._recorded(i)

    @rule(i=DEVICE, name=WORDS)
    def add_habit(self, i: int, name: str) -> None:
        self.devices[i].store.habits.add(Habit(name, NOW.date(), created_at=NOW))
        self._recorded(i)

    @rule(i=DEVICE, data=st.data(), value=st.integers(0, 3))
    def check_in(self, i: int, data: st.DataObject, value: int) -> None:
        store = self.devices[i].store
        if (habit_id := self._pick(data, i, store.habits.ids())) is not None:
            store.checkins.add(CheckIn(habit_id, NOW.date(), created_at=NOW, value=float(value)))
            self._recorded(i)

    @rule(i=DEVICE, data=st.data(), undo=st.booleans())
    def complete_task(self, i: int, data: st.DataObject, undo: bool) -> None:
        """A task's completion history: done here, or a completion undone (even one made elsewhere)."""
        store = self.devices[i].store
        completion_id = self._pick(data, i, store.completions.ids())
        if undo and completion_id is not None:
            store.completions.delete(completion_id)
        elif (task_id := self._pick(data, i, store.tasks.ids())) is not None:
            store.completions.add(TaskCompletion.of(store.tasks.get(task_id), NOW))
        self._recorded(i)

    @rule(i=DEVICE, minutes=st.integers(-10, 10))
    def skew_clock(self, i: int, minutes: int) -> None:
        store = self.devices[i].store
        offset_ms = minutes * 60_000
        store.clock = HybridClock(store.device_id, store.clock.now(), lambda: time.time_ns() // 1_000_000 + offset_ms)

    # Syncs -----------------------------------------------------------------------------------------
    @rule(i=DEVICE)
    def sync(self, i: int) -> None:
        self.devices[i].sync()

    @rule(i=DEVICE, count=st.integers(1, 5), twice=st.booleans())
    def push_some(self, i: int, count: int, twice: bool) -> None:
        device = self.devices[i]
        assert device.service is not None
        batch = pending_changes(device.store, count)
        if batch:
            sealed = [seal(change, KEY) for _, change in batch]
            for _ in range(2 if twice else 1):  # a retry after a lost answer sends it again
                device.service.backend.push(uuid.uuid4().hex, sealed)
            mark_pushed(device.store, batch[-1][0])

    @rule(i=DEVICE, count=st.integers(1, 5))
    def pull_some(self, i: int, count: int) -> None:
        device = self.devices[i]
        assert device.service is not None
        cursor = int(
            device.service.store.conn.execute("SELECT value FROM sync_state WHERE key='pull_cursor'").fetchone()[0]
        )
        page = device.service.backend.pull(cursor, count)
        apply_remote(device.store, open_batch([c.change for c in page.changes], KEY))
        set_values(device.store, {"pull_cursor": str(page.cursor)})

    @rule(i=DEVICE, data=st.data())
    def replay_reordered(self, i: int, data: st.DataObject) -> None:
        """Old changes again, shuffled and split: nothing may move."""
        device = self.devices[i]
        assert device.service is not None
        # From the start of this account's log: server sequence numbers are shared by all accounts.
        page = device.service.backend.pull(0, 200)
        start = data.draw(st.integers(0, 30))
        changes = data.draw(st.permutations(open_batch([c.change for c in page.changes[start : start + 30]], KEY)))
        cut = data.draw(st.integers(0, len(changes)))
        apply_remote(device.store, changes[cut:])
        apply_remote(device.store, changes[:cut])

    def teardown(self) -> None:
        try:
            if all(d.service is not None for d in self.devices):
                self._check_convergence()
        finally:
            for device in self.devices:
                device.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _check_convergence(self) -> None:
        for _ in range(2):
            for device in self.devices:
                device.sync()
        states = [rows(device) for device in self.devices]
        assert states[0] == states[1] == states[2]
        assert [pending_count(d.store) for d in self.devices] == [0, 0, 0]
        self._check_against_model(self.devices[0])

    def _check_against_model(self, device: Device) -> None:
        expected: dict[tuple[str, str], dict[str, Any]] = {}
        for entity, entity_id, fields, _hlc in sorted(self.writes, key=lambda w: w[3]):
            expected.setdefault((entity, entity_id), {}).update(fields)
        conn = device.store.conn
        for (entity, entity_id), fields in expected.items():
            columns = list(fields)
            row = conn.execute(
                f"SELECT {', '.join(columns)} FROM {TABLES[entity]} WHERE id = ?", (entity_id,)
            ).fetchone()
            assert row is not None, (entity, entity_id)
            assert dict(zip(columns, row, strict=True)) == fields
        kept = {(r[0], r[1]) for r in conn.execute("SELECT id, text FROM journal")}
        kept |= {(r[0], r[1]) for r in conn.execute("SELECT entry_id, text FROM journal_conflicts")}
        lost = self.journal_texts - self.replaced_texts - kept
        assert not lost, f"journal text lost: {lost}"
        Convergence.checked_runs += 1


@pytest.fixture(params=["sqlite", "postgresql"])
def convergence_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningServer]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    with server_process(settings_for(url)) as running:
        yield running


def test_three_devices_converge_to_last_writer_wins(convergence_server: RunningServer) -> None:
    Convergence.server = convergence_server
    Convergence.checked_runs = 0
    run_state_machine_as_test(
        Convergence,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    assert Convergence.checked_runs >= EXAMPLES  # every run ended in a full convergence check
