"""Merge rules on real encrypted stores, exchanging sealed changes directly (no server)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.tasks import Task
from nargis_desktop.errors import SyncClockError, SyncKeyError
from nargis_desktop.store.database import Store
from nargis_desktop.store.hlc import HybridClock
from nargis_desktop.store.sync_state import (
    apply_remote,
    journal_conflicts,
    mark_pushed,
    pending_changes,
    pending_count,
    resolve_journal_conflict,
)
from nargis_desktop.sync.crypto import SyncKey, new_recovery_phrase
from nargis_desktop.sync.merge import open_batch, open_sealed, seal
from nargis_sync_server.wire import EncryptedChange
from tests.moments import NOW

KEY = SyncKey(secrets.token_bytes(32))


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a = Store.open(tmp_path / "a.db", secrets.token_bytes(32))
    b = Store.open(tmp_path / "b.db", secrets.token_bytes(32))
    yield a, b
    a.close()
    b.close()


def outgoing(store: Store, key: SyncKey = KEY) -> list[EncryptedChange]:
    batch = pending_changes(store, 1000)
    if batch:
        mark_pushed(store, batch[-1][0])
    return [seal(change, key) for _, change in batch]


def deliver(sealed: list[EncryptedChange], to: Store, key: SyncKey = KEY) -> int:
    return apply_remote(to, open_batch(sealed, key).changes)


def skew(store: Store, minutes: int) -> None:
    store.clock = HybridClock(
        store.device_id, store.clock.now(), lambda: time.time_ns() // 1_000_000 + minutes * 60_000
    )


def test_the_edit_with_the_later_clock_wins_in_either_arrival_order(pair: tuple[Store, Store]) -> None:
    a, b = pair
    task = a.tasks.add(Task("draft", created_at=NOW))
    deliver(outgoing(a), b)
    skew(a, -5)  # a's clock is five minutes slow: its edit, made last, still carries the earlier time
    skew(b, 2)
    b.tasks.save(replace(task, title="from b"))
    a.tasks.save(replace(task, title="from a"))
    from_a, from_b = outgoing(a), outgoing(b)
    deliver(from_a, b)
    deliver(from_b, a)
    assert a.tasks.get(task.id).title == b.tasks.get(task.id).title == "from b"
    assert pending_count(a) == pending_count(b) == 0


def test_fields_merge_separately_and_a_delete_is_a_tombstone(pair: tuple[Store, Store]) -> None:
    a, b = pair
    task = a.tasks.add(Task("draft", created_at=NOW))
    deliver(outgoing(a), b)
    a.tasks.save(replace(task, title="renamed"))
    b.tasks.save(replace(task, done=True))
    b.tasks.delete(task.id)
    from_a, from_b = outgoing(a), outgoing(b)
    deliver(from_a, b)
    deliver(from_b, a)
    for store in (a, b):
        assert store.tasks.count() == 0
        row = store.conn.execute("SELECT title, done FROM tasks WHERE id = ?", (task.id,)).fetchone()
        assert row == ("renamed", 1)


def test_applying_a_batch_twice_or_reordered_changes_nothing(pair: tuple[Store, Store]) -> None:
    a, b = pair
    task = a.tasks.add(Task("one", created_at=NOW))
    a.tasks.save(replace(task, title="two"))
    a.tasks.save(replace(task, title="three"))
    sealed = outgoing(a)
    assert deliver(list(reversed(sealed)), b) == 3
    before = b.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    assert deliver(sealed, b) == 0
    assert b.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    assert b.tasks.get(task.id).title == "three"


def test_concurrent_journal_edits_keep_both_texts_until_resolved(pair: tuple[Store, Store]) -> None:
    a, b = pair
    entry = a.journal.add(JournalEntry("morning", created_at=NOW))
    deliver(outgoing(a), b)
    a.journal.save(a.journal.get(entry.id).edit("morning, written on the laptop", NOW))
    b.journal.save(b.journal.get(entry.id).edit("morning, written on the desktop", NOW))
    from_a, from_b = outgoing(a), outgoing(b)
    deliver(from_a, b)
    deliver(from_b, a)
    texts = {a.journal.get(entry.id).text, *(c.text for c in journal_conflicts(a, entry.id))}
    assert texts == {"morning, written on the laptop", "morning, written on the desktop"}
    assert journal_conflicts(a) == journal_conflicts(b)
    resolve_journal_conflict(a, entry.id, "both: laptop and desktop")
    deliver(outgoing(a), b)
    for store in (a, b):
        assert store.journal.get(entry.id).text == "both: laptop and desktop"
        assert journal_conflicts(store) == []


def test_a_sequential_journal_edit_is_no_conflict(pair: tuple[Store, Store]) -> None:
    a, b = pair
    entry = a.journal.add(JournalEntry("first", created_at=NOW))
    deliver(outgoing(a), b)
    b.journal.save(b.journal.get(entry.id).edit("second", NOW))
    deliver(outgoing(b), a)
    assert a.journal.get(entry.id).text == "second"
    assert journal_conflicts(a) == []


def test_a_change_under_another_key_is_set_aside_and_the_rest_of_the_batch_applies(
    pair: tuple[Store, Store],
) -> None:
    a, b = pair
    a.tasks.add(Task("written under a foreign key", created_at=NOW))
    foreign = outgoing(a, key=SyncKey.from_phrase(new_recovery_phrase()))
    a.tasks.add(Task("written under ours", created_at=NOW))
    opened = open_batch([*foreign, *outgoing(a)], KEY)
    assert [reason for _, reason in opened.set_aside] == ["does not decrypt with the account's sync key"]
    apply_remote(b, opened.changes)
    assert [t.title for t in b.tasks.list()] == ["written under ours"]
    with pytest.raises(SyncKeyError, match="recovery phrase"):  # one change on its own still says why
        open_sealed(foreign[0], KEY)


def test_a_change_from_hours_in_the_future_is_refused(pair: tuple[Store, Store]) -> None:
    a, b = pair
    skew(a, 120)
    a.tasks.add(Task("from the future", created_at=NOW))
    with pytest.raises(SyncClockError, match="minutes in this device's future"):
        deliver(outgoing(a), b)
    assert b.tasks.count() == 0


def test_a_checkin_that_arrives_before_its_habit_waits_for_it(pair: tuple[Store, Store]) -> None:
    from nargis_desktop.domain.habits import CheckIn, Habit

    a, b = pair
    habit = a.habits.add(Habit("walk", NOW.date(), created_at=NOW))
    checkin = a.checkins.add(CheckIn(habit.id, NOW.date(), created_at=NOW, value=1.0))
    sealed = outgoing(a)
    deliver(sealed[1:], b)
    assert b.checkins.count() == 0
    deliver(sealed[:1], b)
    assert b.checkins.get(checkin.id).habit_id == habit.id


def test_the_same_phrase_gives_the_same_key_in_any_spelling() -> None:
    phrase = new_recovery_phrase()
    sealed = SyncKey.from_phrase(phrase).encrypt(b"hello", b"aad")
    assert SyncKey.from_phrase(phrase.lower().replace("-", " ")).decrypt(sealed, b"aad") == b"hello"
