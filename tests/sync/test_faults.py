"""Server down, server killed mid-push: changes stay queued, retries are idempotent, nothing is lost."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.domain.tasks import Task
from nargis_desktop.errors import SyncOfflineError
from nargis_desktop.store.sync_state import pending_changes, pending_count
from nargis_desktop.sync.crypto import new_recovery_phrase
from nargis_desktop.sync.merge import seal
from nargis_desktop.sync.service import status
from tests.moments import NOW
from tests.sync.devices import new_email
from tests.sync.servers import free_port, server_process, settings_for


def test_offline_changes_wait_and_a_retry_after_a_crash_stores_each_change_once(
    tmp_path: Path, make_device: Any
) -> None:
    settings, port = settings_for(f"sqlite:///{tmp_path / 'server.db'}"), free_port()
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email, phrase = new_email(), new_recovery_phrase()
    with server_process(settings, port) as server:
        laptop.join(server.url, email, phrase, register=True)
        desktop.join(server.url, email, phrase)
        laptop.store.tasks.add_many([Task(f"task {n}", created_at=NOW) for n in range(20)])
        # The push reaches the server, then the server dies before the device hears back.
        batch = pending_changes(laptop.store, 100)
        assert laptop.service is not None
        laptop.service.backend.push(uuid.uuid4().hex, [seal(c, laptop.service.key) for _, c in batch])
    # The server is down: nothing is lost, the device says what waits.
    laptop.store.tasks.add(Task("written offline", created_at=NOW))
    with pytest.raises(SyncOfflineError):
        laptop.sync()
    assert pending_count(laptop.store) == 21
    assert status(laptop.store).describe().startswith("offline, 21 changes waiting")
    with server_process(settings, port):
        laptop.sync()  # re-sends all 21; the server keeps the first 20 once
        desktop.sync()
    assert pending_count(laptop.store) == 0
    assert desktop.store.tasks.count() == 21
    assert desktop.store.conn.execute("SELECT count(*) FROM changes WHERE change_id IS NOT NULL").fetchone()[0] == 21
    assert status(laptop.store).state == "synced"
