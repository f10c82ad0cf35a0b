"""A repeating task's completion history travels between devices, and so does undoing one."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nargis_desktop.assistant.tools import undo
from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.codecs import iso
from nargis_desktop.store.connection import connect
from nargis_desktop.store.database import Store
from nargis_desktop.store.migrations import migrate
from nargis_desktop.store.sync_state import apply_remote, pending_changes, pending_count
from nargis_desktop.sync.crypto import new_recovery_phrase
from tests.moments import NOW
from tests.sync.devices import Device, new_email


def _pair(server_url: str, make_device: Any) -> tuple[Device, Device]:
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email, phrase = new_email(), new_recovery_phrase()
    laptop.join(server_url, email, phrase, register=True)
    desktop.join(server_url, email, phrase)
    return laptop, desktop


def test_a_completion_on_the_laptop_counts_in_the_desktops_insights_and_its_undo_too(server, make_device) -> None:
    laptop, desktop = _pair(server.url, make_device)
    on_laptop, on_desktop = PersonalData(laptop.store), PersonalData(desktop.store)
    task = on_laptop.add_task("water plants", NOW, due=date(2026, 11, 25), recurrence="FREQ=DAILY")
    laptop.sync()
    desktop.sync()
    assert on_desktop.insights.overview(NOW)["tasks"]["completed_last_7_days"] == 0  # the copy is loaded now

    on_laptop.complete_task(task, NOW)
    laptop.sync()
    desktop.sync()
    (completion,) = desktop.store.completions.list()
    assert (completion.task_id, completion.due, completion.completed_at) == (task.id, date(2026, 11, 25), NOW)
    assert desktop.store.tasks.get(task.id).due == date(2026, 11, 26)  # rolled on, in step with its history
    stats = on_desktop.insights.overview(NOW)["tasks"]  # refreshed from the change log, not reloaded
    assert stats["completed_last_7_days"] == 1
    assert stats["on_time_rate"] == 1.0

    undo(on_laptop, [{"entity": "completion", "id": task.id, "before": iso(NOW)}])
    assert laptop.store.completions.count() == 0
    laptop.sync()
    desktop.sync()
    assert desktop.store.completions.count() == 0
    assert desktop.store.completions.ids(deleted=True) == {completion.id}  # a tombstone, as for every item
    assert on_desktop.insights.overview(NOW)["tasks"]["completed_last_7_days"] == 0
    assert pending_count(desktop.store) == 0


def test_a_completion_that_arrives_before_its_task_waits_for_it(tmp_path: Path) -> None:
    laptop = Store.open(tmp_path / "laptop.db", secrets.token_bytes(32))
    desktop = Store.open(tmp_path / "desktop.db", secrets.token_bytes(32))
    try:
        task = PersonalData(laptop).add_task("pay rent", NOW, recurrence="FREQ=MONTHLY")
        PersonalData(laptop).complete_task(task, NOW)
        changes = [change for _, change in pending_changes(laptop, 100)]
        completions = [c for c in changes if c.entity == "completion"]
        insights = PersonalData(desktop).insights
        apply_remote(desktop, completions)  # the foreign key would refuse it: it waits in the log
        assert desktop.completions.count() == 0
        assert insights.overview(NOW)["tasks"]["completed_last_7_days"] == 0
        apply_remote(desktop, [c for c in changes if c.entity != "completion"])
        assert [c.task_id for c in desktop.completions.list()] == [task.id]
        assert insights.overview(NOW)["tasks"]["completed_last_7_days"] == 1  # its log entry was read long ago
        insights.close()
    finally:
        laptop.close()
        desktop.close()


def test_a_check_in_that_arrives_before_its_habit_counts_once_the_habit_is_there(tmp_path: Path) -> None:
    laptop = Store.open(tmp_path / "laptop.db", secrets.token_bytes(32))
    desktop = Store.open(tmp_path / "desktop.db", secrets.token_bytes(32))
    try:
        habit = PersonalData(laptop).add_habit("Meditate", NOW)
        PersonalData(laptop).check_in(habit, NOW.date(), NOW)
        changes = [change for _, change in pending_changes(laptop, 100)]
        insights = PersonalData(desktop).insights
        apply_remote(desktop, [c for c in changes if c.entity == "checkin"])  # waits in the log for its habit
        assert insights.overview(NOW)["habits"] == []
        apply_remote(desktop, [c for c in changes if c.entity != "checkin"])
        (report,) = insights.overview(NOW)["habits"]
        assert report["days_done"] == 1 and report["streak"]["current"] == 1
        insights.close()
    finally:
        laptop.close()
        desktop.close()


def _store_of_schema_4(path: Path, key: bytes) -> tuple[str, list[tuple[str, str | None, str]]]:
    """A store as the previous Nargis left it: a task in the change log, its completions not."""
    device_id = secrets.token_hex(8)
    conn = connect(path, key)
    try:
        migrate(conn, target=4)
        task_fields = {
            "title": "stretch",
            "notes": "",
            "due": "2026-11-26",
            "priority": "none",
            "recurrence": "FREQ=DAILY",
            "tags": "[]",
            "done": 0,
            "completed_at": "2026-11-25T08:00:00",
            "created_at": "2026-11-01T08:00:00",
        }
        done = [("t1", "2026-11-24", "2026-11-24T08:00:00"), ("t1", "2026-11-25", "2026-11-25T08:00:00")]
        done.append(done[1])  # the same completion twice (a double click) must not clash on its id
        conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", (device_id,))
        conn.execute(
            f"INSERT INTO tasks (id, {', '.join(task_fields)}, updated_at) VALUES (?{', ?' * len(task_fields)}, ?)",
            ("t1", *task_fields.values(), "2026-11-25T08:00:00"),
        )
        conn.execute(
            "INSERT INTO changes (entity, entity_id, fields, hlc, device_id) VALUES ('task', 't1', ?, ?, ?)",
            (json.dumps(task_fields), f"1764057600000-000000-{device_id}", device_id),
        )
        conn.executemany("INSERT INTO task_completions (task_id, due, completed_at) VALUES (?, ?, ?)", done)
    finally:
        conn.close()
    return "t1", done


def test_an_older_store_keeps_its_completion_history_and_syncs_it(sqlite_server, make_device, tmp_path) -> None:
    key = secrets.token_bytes(32)
    task_id, done = _store_of_schema_4(tmp_path / "old.db", key)
    laptop = Device(Store.open(tmp_path / "old.db", key))
    try:
        history = sorted((c.task_id, iso(c.due), iso(c.completed_at)) for c in laptop.store.completions.list())
        assert history == sorted(done)
        assert len(laptop.store.completions.ids()) == 3
        logged = laptop.store.conn.execute("SELECT count(*) FROM changes WHERE entity = 'completion'").fetchone()[0]
        assert logged == 3
        desktop = make_device("desktop")
        email, phrase = new_email(), new_recovery_phrase()
        laptop.join(sqlite_server.url, email, phrase, register=True)
        desktop.join(sqlite_server.url, email, phrase)
        laptop.sync()
        desktop.sync()
        assert desktop.store.completions.ids() == laptop.store.completions.ids()
        stats = PersonalData(desktop.store).insights.overview(datetime(2026, 11, 25, 12))["tasks"]
        assert stats["completed_last_7_days"] == 3
        assert desktop.store.tasks.get(task_id).title == "stretch"
    finally:
        laptop.close()


def test_the_same_old_store_migrated_on_two_devices_gives_the_same_ids(tmp_path: Path) -> None:
    """A backup restored on a second device: its history must not arrive twice after the first sync."""
    ids = []
    for name in ("a", "b"):
        key = secrets.token_bytes(32)
        _store_of_schema_4(tmp_path / f"{name}.db", key)
        with Store.open(tmp_path / f"{name}.db", key) as store:
            ids.append(store.completions.ids())
    assert ids[0] == ids[1] and len(ids[0]) == 3


def test_an_import_file_without_completions_is_still_accepted(tmp_path: Path) -> None:
    from nargis_desktop.exchange.json_format import Snapshot, snapshot_to_json
    from nargis_desktop.exchange.json_import import read_snapshot, write_snapshot

    with Store.open(tmp_path / "a.db", secrets.token_bytes(32)) as store:
        data = PersonalData(store)
        data.complete_task(data.add_task("floss", NOW, recurrence="FREQ=DAILY"), NOW)
        exported = snapshot_to_json(Snapshot.of(store), NOW)
    assert [c["completed_at"] for c in exported["completions"]] == [iso(NOW)]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    older = tmp_path / "older.json"
    older.write_text(json.dumps({k: v for k, v in exported.items() if k != "completions"}))
    with Store.open(tmp_path / "b.db", secrets.token_bytes(32)) as store:
        write_snapshot(store, read_snapshot(older, NOW))
        assert store.tasks.count() == 1 and store.completions.count() == 0
        write_snapshot(store, read_snapshot(path, NOW))
        assert [c.completed_at for c in store.completions.list()] == [NOW]


def test_a_completion_of_a_task_missing_from_the_file_is_refused(tmp_path: Path) -> None:
    import pytest

    from nargis_desktop.errors import ImportFileError
    from nargis_desktop.exchange.json_import import read_snapshot

    path = tmp_path / "bad.json"
    completion = TaskCompletion("nope", None, NOW, NOW)
    path.write_text(
        json.dumps({"tasks": [], "completions": [{"id": completion.id, "task_id": "nope", "completed_at": iso(NOW)}]})
    )
    with pytest.raises(ImportFileError, match=r"completions\[0\]\.task_id: no task"):
        read_snapshot(path, NOW)
