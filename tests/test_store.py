from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.errors import NotAStoreError, StoreError, WrongKeyError
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.backup import export_copy
from nargis_desktop.store.connection import connect
from nargis_desktop.store.database import Store
from nargis_desktop.store.migrations import LATEST_VERSION, migrate, schema_version
from nargis_desktop.store.restore import restore
from tests.moments import NOW

SECRET = "my very private diary line about Sara"


def test_items_survive_closing_and_reopening(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    with Store.open(path, key) as store:
        task = store.tasks.add(Task("Buy milk", NOW, due=date(2026, 11, 26), priority=Priority.HIGH, tags=("home",)))
    with Store.open(path, key) as store:
        assert store.tasks.get(task.id) == task


def test_a_wrong_key_is_refused_and_the_file_is_untouched(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    with Store.open(path, key) as store:
        store.tasks.add(Task("Buy milk", NOW))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.read_bytes()
    with pytest.raises(WrongKeyError, match="wrong key"):
        Store.open(path, secrets.token_bytes(32))
    assert path.read_bytes() == before


def test_the_file_holds_no_plaintext(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    with Store.open(path, key) as store:
        PersonalData(store).add_journal(SECRET, NOW)
        wal = Path(str(path) + "-wal")
        on_disk = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert SECRET.encode() not in on_disk
    assert b"SQLite format 3" not in on_disk[:16]


def test_a_plain_sqlite_file_is_named_as_not_a_store(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "plain.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(NotAStoreError, match="plain, unencrypted SQLite"):
        Store.open(path, key)


def test_a_text_file_is_named_as_not_a_store(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(NotAStoreError, match=str(path)):
        Store.open(path, key)


def test_a_damaged_store_is_reported_not_crashed(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    with Store.open(path, key) as store:
        store.tasks.add_many([Task(f"t{i}", NOW) for i in range(2000)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(path.read_bytes())
    raw[4096 * 3 + 100 : 4096 * 3 + 200] = bytes(100)  # scribble over a page in the middle
    path.write_bytes(bytes(raw))
    with Store.open(path, key) as store:
        problems = store.integrity_problems()
    assert any("HMAC" in p or "hmac" in p or "malformed" in p for p in problems), problems


def test_every_write_lands_in_the_change_log_with_a_clock(store: Store) -> None:
    data = PersonalData(store)
    task = data.add_task("Call mom", NOW)
    data.edit_task(task, title="Call mom and dad")
    store.tasks.delete(task.id)
    rows = store.conn.execute("SELECT entity, entity_id, fields, hlc, device_id FROM changes ORDER BY seq").fetchall()
    assert [json.loads(r[2]).get("title") for r in rows] == ["Call mom", "Call mom and dad", None]
    assert json.loads(rows[2][2])["deleted_at"]
    assert [r[3] for r in rows] == sorted(r[3] for r in rows)
    assert {r[4] for r in rows} == {store.device_id}


def test_an_edit_records_only_the_fields_that_changed(store: Store) -> None:
    data = PersonalData(store)
    task = data.add_task("Call mom", NOW)
    data.edit_task(task, priority=Priority.HIGH)
    last = store.conn.execute("SELECT fields FROM changes ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert json.loads(last) == {"priority": "high"}


def test_deleted_items_are_kept_as_tombstones_but_not_listed(store: Store) -> None:
    task = store.tasks.add(Task("Old", NOW))
    store.tasks.delete(task.id)
    assert store.tasks.list() == []
    assert store.conn.execute("SELECT deleted_at FROM tasks WHERE id = ?", (task.id,)).fetchone()[0]


def test_the_clock_keeps_increasing_after_reopening(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    with Store.open(path, key) as store:
        store.tasks.add(Task("a", NOW))
        first = store.conn.execute("SELECT max(hlc) FROM changes").fetchone()[0]
        device = store.device_id
    with Store.open(path, key) as store:
        store.tasks.add(Task("b", NOW))
        assert store.conn.execute("SELECT max(hlc) FROM changes").fetchone()[0] > first
        assert store.device_id == device


def test_an_older_store_is_backed_up_then_migrated(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    conn = connect(path, key)
    migrate(conn, target=1)
    conn.execute(
        "INSERT INTO tasks (id, title, created_at, updated_at) VALUES ('abcd1234', 'from v1', ?, ?)",
        (NOW.isoformat(), NOW.isoformat()),
    )
    conn.close()
    with Store.open(path, key) as store:
        assert schema_version(store.conn) == LATEST_VERSION
        assert store.tasks.get("abcd1234").title == "from v1"
        PersonalData(store).complete_task(store.tasks.get("abcd1234"), NOW)  # uses the v2 table
    backups = list((tmp_path / "backups").glob("before-migration-*.db"))
    assert len(backups) == 1
    with Store.open(backups[0], key) as old:
        assert old.tasks.get("abcd1234").title == "from v1"


def test_a_store_from_a_newer_nargis_is_refused(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    Store.open(path, key).close()
    conn = connect(path, key)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer Nargis"):
        Store.open(path, key)


def test_backup_and_restore_round_trip(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    store = Store.open(path, key)
    kept_task = store.tasks.add(Task("keep me", NOW))
    export_copy(store.conn, tmp_path / "b.db", key)
    assert b"keep me" not in (tmp_path / "b.db").read_bytes()
    store.tasks.delete(kept_task.id)
    store.tasks.add(Task("added after the backup", NOW))
    replaced = restore(store, tmp_path / "b.db", key)
    with Store.open(path, key) as restored:
        assert [t.title for t in restored.tasks.list()] == ["keep me"]
    with Store.open(replaced, key) as before_restore:
        assert [t.title for t in before_restore.tasks.list()] == ["added after the backup"]


def test_restoring_a_backup_made_with_another_key_changes_nothing(tmp_path: Path, key: bytes) -> None:
    other = Store.open(tmp_path / "other.db", secrets.token_bytes(32))
    other.close()
    store = Store.open(tmp_path / "s.db", key)
    store.tasks.add(Task("mine", NOW))
    with pytest.raises(WrongKeyError):
        restore(store, tmp_path / "other.db", key)
    assert [t.title for t in store.tasks.list()] == ["mine"]
    store.close()
