"""Sync that cannot get stuck or split (issue 18, findings 1-3), against a real server on SQLite and
PostgreSQL: poison changes are set aside, a restored or copied store continues as a new device,
large items sync, and a push that fails does not stop the pull."""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests

from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.tasks import Task
from nargis_desktop.errors import InputError, SyncAuthError, SyncProtocolError
from nargis_desktop.store.backup import export_copy
from nargis_desktop.store.database import Store
from nargis_desktop.store.repository import MAX_ITEM_BYTES
from nargis_desktop.store.restore import restore
from nargis_desktop.store.sync_state import Change, get_value, pending_count, set_aside_by_device
from nargis_desktop.sync.crypto import SyncKey, new_recovery_phrase
from nargis_desktop.sync.merge import seal
from nargis_desktop.sync.service import status
from tests.moments import NOW
from tests.sync.devices import PASSWORD, Device, new_email
from tests.sync.servers import RunningServer, running_server


def titles(device: Device) -> list[str]:
    return sorted(t.title for t in device.store.tasks.list())


def laptop_and_desktop(server: RunningServer, make_device: Any) -> tuple[Device, Device, str, str]:
    """Two devices joined to one new account: laptop, desktop, the e-mail and the recovery phrase."""
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email, phrase = new_email(), new_recovery_phrase()
    laptop.join(server.url, email, phrase, register=True)
    desktop.join(server.url, email, phrase)
    return laptop, desktop, email, phrase


def intruder_session(server: RunningServer, email: str) -> tuple[str, dict[str, str]]:
    """Someone with the account password (not the recovery phrase) logs in as a new device."""
    device_id = uuid.uuid4().hex[:16]
    body = {"email": email, "password": PASSWORD, "device_id": device_id, "device_name": "intruder"}
    tokens = requests.post(f"{server.url}/v1/sessions", json=body, timeout=10).json()
    return device_id, {"Authorization": f"Bearer {tokens['access_token']}"}


def push_raw(server: RunningServer, headers: dict[str, str], changes: list[dict[str, str]]) -> requests.Response:
    body = {"batch_id": uuid.uuid4().hex, "changes": changes}
    return requests.post(f"{server.url}/v1/changes", json=body, headers=headers, timeout=10)


def hlc_for(device_id: str, counter: int = 0) -> str:
    return f"{time.time_ns() // 1_000_000:013d}-{counter:06d}-{device_id}"


def test_a_poison_change_is_set_aside_reported_and_its_device_can_be_removed(
    server: RunningServer, make_device: Any
) -> None:
    laptop, desktop, email, phrase = laptop_and_desktop(server, make_device)
    laptop.store.tasks.add(Task("before the poison", created_at=NOW))
    laptop.sync()
    intruder, headers = intruder_session(server, email)
    garbage = {"change_id": f"{intruder}-1", "device_id": intruder, "hlc": hlc_for(intruder), "ciphertext": "A" * 64}
    # Also well encrypted but not a Nargis change (a newer or broken device): set aside the same way.
    key = SyncKey.from_phrase(phrase)
    odd = seal(Change(f"{intruder}-2", "spaceship", "x" * 32, {"name": "?"}, hlc_for(intruder, 1), intruder), key)
    assert push_raw(server, headers, [garbage, odd.model_dump()]).status_code == 200
    laptop.store.tasks.add(Task("after the poison", created_at=NOW))
    laptop.sync()

    desktop.sync()  # the page holds both good changes and the two bad ones: the good ones apply
    assert titles(desktop) == ["after the poison", "before the poison"]
    report = status(desktop.store)
    assert report.set_aside_count == 2 and [g.device_id for g in report.set_aside] == [intruder]
    assert f"2 changes from device {intruder} could not be used" in report.describe()
    assert int(get_value(desktop.store, "pull_cursor") or 0) > 0
    desktop.sync()  # the cursor moved on: the bad changes are not read again
    assert set_aside_by_device(desktop.store)[0].count == 2

    newcomer = make_device("newcomer")  # joins with the right phrase and is not stopped either
    newcomer.join(server.url, email, phrase)
    newcomer.sync()
    assert titles(newcomer) == ["after the poison", "before the poison"]

    assert desktop.service is not None
    desktop.service.backend.revoke(intruder)  # type: ignore[attr-defined]
    refused = push_raw(server, headers, [{**garbage, "change_id": f"{intruder}-3"}])
    assert refused.status_code == 401 and refused.json()["code"] == "device-revoked"


def test_a_change_that_decrypts_but_cannot_be_applied_is_set_aside(server: RunningServer, make_device: Any) -> None:
    laptop, desktop, email, phrase = laptop_and_desktop(server, make_device)
    task = laptop.store.tasks.add(Task("fine", created_at=NOW))
    laptop.sync()
    desktop.sync()
    row = laptop.store.conn.execute("SELECT fields FROM changes WHERE entity_id = ?", (task.id,)).fetchone()[0]
    import json

    fields = {**json.loads(row), "id": "y" * 32, "title": None}  # every column, but a title that cannot be NULL
    intruder, headers = intruder_session(server, email)
    bad = seal(
        Change(f"{intruder}-1", "task", "y" * 32, fields, hlc_for(intruder), intruder), SyncKey.from_phrase(phrase)
    )
    assert push_raw(server, headers, [bad.model_dump()]).status_code == 200
    laptop.store.tasks.add(Task("also fine", created_at=NOW))
    laptop.sync()
    desktop.sync()
    assert titles(desktop) == ["also fine", "fine"]
    assert status(desktop.store).set_aside_count == 1


def test_a_restored_backup_continues_as_a_new_device_and_the_devices_converge(
    server: RunningServer, make_device: Any, tmp_path: Path
) -> None:
    laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
    laptop.store.tasks.add(Task("in the backup", created_at=NOW))
    laptop.sync()
    backup = tmp_path / "laptop-backup.db"
    export_copy(laptop.store.conn, backup, laptop.key)
    laptop.store.tasks.add(Task("after the backup", created_at=NOW))
    laptop.sync()
    old_id = laptop.store.device_id

    restore(laptop.store, backup, laptop.key)
    laptop.resume()
    assert laptop.store.device_id != old_id
    laptop.store.tasks.add(Task("after the restore", created_at=NOW))  # its sequence number repeats
    laptop.sync()
    desktop.store.tasks.add(Task("from the desktop", created_at=NOW))
    desktop.sync()
    laptop.sync()
    expected = ["after the backup", "after the restore", "from the desktop", "in the backup"]
    assert titles(laptop) == titles(desktop) == expected
    assert pending_count(laptop.store) == 0
    restore(laptop.store, backup, laptop.key)  # a second restore of the same backup: again new
    laptop.resume()
    laptop.store.tasks.add(Task("after the second restore", created_at=NOW))
    laptop.sync()
    desktop.sync()
    assert titles(laptop) == titles(desktop) == sorted([*expected, "after the second restore"])


def test_a_restored_store_synced_by_two_processes_moves_the_session_once_and_both_push(
    server: RunningServer, make_device: Any, tmp_path: Path
) -> None:
    """The app and the command line both hold the restored store: the one that syncs second must
    use the session the first one moved to the new device, not the old device's tokens it loaded."""
    laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
    backup = tmp_path / "laptop-backup.db"
    export_copy(laptop.store.conn, backup, laptop.key)
    restore(laptop.store, backup, laptop.key)
    laptop.resume()
    app = laptop.another_process()
    try:
        app.resume()  # loads the old device's session, as the app did at start
        laptop.store.tasks.add(Task("from the command line", created_at=NOW))
        laptop.sync()  # moves the server session over to the new device id
        app.store.tasks.add(Task("from the app", created_at=NOW))
        app.sync()  # was: 403 device-mismatch, pushing the new id with the old device's tokens
        desktop.sync()
        assert titles(desktop) == ["from the app", "from the command line"]
    finally:
        app.close()


def test_a_restored_store_that_only_pulls_gets_back_what_it_pushed_after_the_backup(
    server: RunningServer, make_device: Any, tmp_path: Path
) -> None:
    """The server leaves out the caller's own changes: a pull made as the pre-restore device would
    step past the task pushed after the backup, and the restored store would never see it again."""
    laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
    laptop.store.tasks.add(Task("in the backup", created_at=NOW))
    laptop.sync()
    backup = tmp_path / "laptop-backup.db"
    export_copy(laptop.store.conn, backup, laptop.key)
    laptop.store.tasks.add(Task("after the backup", created_at=NOW))
    laptop.sync()
    desktop.store.tasks.add(Task("from the desktop", created_at=NOW))  # a change after the laptop's
    desktop.sync()
    restore(laptop.store, backup, laptop.key)
    service = laptop.resume()
    service.pull()  # a pull on its own, before any push has moved the session
    laptop.sync()
    assert titles(laptop) == ["after the backup", "from the desktop", "in the backup"]


def test_a_copied_store_is_noticed_by_the_server_and_continues_as_a_new_device(
    server: RunningServer, make_device: Any, tmp_path: Path
) -> None:
    laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
    laptop.store.tasks.add(Task("before the copy", created_at=NOW))
    laptop.sync()
    laptop.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy_path = tmp_path / "copy.db"
    shutil.copyfile(laptop.store.path, copy_path)  # type: ignore[arg-type]
    copy = Device.create(copy_path, laptop.key)
    copy.resume()
    try:
        laptop.store.tasks.add(Task("on the original", created_at=NOW))
        laptop.sync()
        copy.store.tasks.add(Task("on the copy", created_at=NOW))  # same device id, same next sequence
        copy.sync()  # the server refuses the clashing id; the copy continues as a new device
        assert copy.store.device_id != laptop.store.device_id
        for device in (laptop, desktop, copy):
            device.sync()
        expected = ["before the copy", "on the copy", "on the original"]
        assert titles(laptop) == titles(desktop) == titles(copy) == expected
    finally:
        copy.close()


def test_the_server_refuses_a_known_change_id_with_other_content(server: RunningServer, make_device: Any) -> None:
    laptop = make_device("laptop")
    email, phrase = new_email(), new_recovery_phrase()
    laptop.join(server.url, email, phrase, register=True)
    me, headers = intruder_session(server, email)
    key = SyncKey.from_phrase(phrase)
    first = seal(Change(f"{me}-1", "task", "z" * 32, {"title": "a"}, hlc_for(me), me), key).model_dump()
    assert push_raw(server, headers, [first]).json()["stored"] == 1
    retry = seal(Change(f"{me}-1", "task", "z" * 32, {"title": "a"}, first["hlc"], me), key).model_dump()
    assert push_raw(server, headers, [retry]).json()["duplicates"] == 1  # a retry: same clock
    other = seal(Change(f"{me}-1", "task", "z" * 32, {"title": "b"}, hlc_for(me, 7), me), key).model_dump()
    clash = push_raw(server, headers, [other])
    assert clash.status_code == 409 and clash.json()["code"] == "change-id-conflict"


def test_a_large_journal_entry_syncs_and_one_over_the_limit_is_refused_when_written(
    server: RunningServer, make_device: Any
) -> None:
    laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
    sixty_kb = "a day by the sea. " * (60 * 1024 // 18)
    persian = "روزی کنار دریا " * (400 * 1024 // 30)  # two bytes a letter in UTF-8: about 400 KB
    small = laptop.store.journal.add(JournalEntry(sixty_kb, created_at=NOW))
    big = laptop.store.journal.add(JournalEntry(persian, created_at=NOW))
    laptop.sync()
    desktop.sync()
    assert desktop.store.journal.get(small.id).text == sixty_kb
    assert desktop.store.journal.get(big.id).text == persian
    with pytest.raises(InputError, match=f"at most {MAX_ITEM_BYTES:,} bytes") as refused:
        laptop.store.journal.add(JournalEntry("x" * (MAX_ITEM_BYTES + 1), created_at=NOW))
    assert refused.value.code == "item-too-large"
    assert pending_count(laptop.store) == 0  # nothing half-written


def test_many_large_notes_are_sent_in_batches_that_fit_the_server(
    server: RunningServer, make_device: Any, tmp_path: Path
) -> None:
    laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
    laptop.store.tasks.add_many([Task(f"task {n}", notes="n" * 9 * 1024, created_at=NOW) for n in range(500)])
    laptop.sync()
    desktop.sync()
    assert desktop.store.tasks.count() == 500


def test_a_server_with_a_small_body_limit_gets_smaller_batches_and_a_push_failure_does_not_stop_the_pull(
    tmp_path: Path, make_device: Any
) -> None:
    from tests.sync.servers import settings_for

    settings = replace(settings_for(f"sqlite:///{tmp_path / 'small.db'}"), max_body_bytes=64 * 1024)
    with running_server(settings) as server:
        laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
        laptop.store.tasks.add_many([Task(f"task {n}", notes="n" * 9 * 1024, created_at=NOW) for n in range(40)])
        laptop.sync()  # batches halve until they fit under 64 KB
        desktop.store.journal.add(JournalEntry("w" * 100 * 1024, created_at=NOW))  # over this server's limit
        with pytest.raises(SyncProtocolError, match="body-too-large") as failed:
            desktop.sync()
        assert desktop.store.tasks.count() == 40  # the pull ran although the push failed
        assert failed.value.code == "sync-body-too-large"
        shown = status(desktop.store).describe()
        assert "last try failed" in shown and "65536 bytes" in shown and "1 changes waiting" in shown


def test_a_revoked_device_is_told_and_keeps_its_changes(server: RunningServer, make_device: Any) -> None:
    laptop, desktop, _, _ = laptop_and_desktop(server, make_device)
    assert laptop.service is not None
    laptop.service.backend.revoke(desktop.store.device_id)  # type: ignore[attr-defined]
    desktop.store.tasks.add(Task("kept", created_at=NOW))
    with pytest.raises(SyncAuthError):
        desktop.sync()
    assert pending_count(desktop.store) == 1


def test_a_restore_keeps_the_keyring_session_of_a_store_that_logged_in_before_session_names(
    sqlite_server: RunningServer, make_device: Any, tmp_path: Path, memory_keyring: Any
) -> None:
    from nargis_desktop.app import Profile, sync_service
    from nargis_desktop.secrets import KeyringSecretStore
    from nargis_desktop.store.sync_state import set_values
    from nargis_desktop.sync import account

    laptop = make_device("laptop")
    vault = account.SessionVault(laptop.store, KeyringSecretStore())
    account.join(laptop.store, vault, sqlite_server.url, new_email(), PASSWORD, new_recovery_phrase(), register=True)
    set_values(laptop.store, {"session_name": None, "session_device": None})  # as an older Nargis left it
    laptop.store.tasks.add(Task("before", created_at=NOW))
    backup = tmp_path / "b.db"
    export_copy(laptop.store.conn, backup, laptop.key)
    restore(laptop.store, backup, laptop.key)
    assert laptop.store.path is not None
    laptop.store = Store.open(laptop.store.path, laptop.key)
    profile = Profile(None, laptop.store, laptop.key, None)  # type: ignore[arg-type]
    report = sync_service(profile, KeyringSecretStore()).sync_now()
    assert report.pushed == 1 and get_value(laptop.store, "session_device") == laptop.store.device_id
