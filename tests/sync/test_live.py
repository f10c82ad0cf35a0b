"""Live updates: a device hears of another device's push within a second, across server processes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.domain.tasks import Task
from nargis_desktop.sync.background import BackgroundSyncer, LiveListener
from nargis_desktop.sync.crypto import new_recovery_phrase
from tests.moments import NOW
from tests.sync.devices import Device, new_email
from tests.sync.servers import server_process, settings_for


def _listen(device: Device, url: str, news: threading.Event) -> LiveListener:
    backend = device.service.backend  # type: ignore[union-attr]
    listener = LiveListener(url.replace("http", "ws", 1) + "/v1/live", lambda: backend.session.access_token, news.set)
    listener.start()
    return listener


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_another_device_hears_of_a_push_within_a_second(
    database: str, tmp_path: Path, make_device: Any, request: pytest.FixtureRequest
) -> None:
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'sync.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    settings = settings_for(url)
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email, phrase = new_email(), new_recovery_phrase()
    with server_process(settings) as first:
        # With PostgreSQL the desktop listens on one process and the laptop pushes to another.
        second_ctx = server_process(settings) if database == "postgresql" else None
        second = second_ctx.__enter__() if second_ctx else first
        try:
            laptop.join(second.url, email, phrase, register=True)
            desktop.join(first.url, email, phrase)
            news = threading.Event()
            listener = _listen(desktop, first.url, news)
            assert news.wait(5), "the stream sends the current cursor on connect"
            news.clear()
            laptop.store.tasks.add(Task("from the laptop", created_at=NOW))
            started = time.monotonic()
            laptop.sync()
            assert news.wait(1.0), "no news within a second"
            elapsed = time.monotonic() - started
            listener.stop()
            desktop.sync()
            assert desktop.store.tasks.count() == 1
            assert elapsed < 1.0
        finally:
            if second_ctx:
                second_ctx.__exit__(None, None, None)


def test_the_background_syncer_backs_off_offline_and_syncs_when_woken(make_device: Any) -> None:
    calls: list[float] = []
    done = threading.Event()

    def flaky_sync() -> None:
        from nargis_desktop.errors import SyncOfflineError

        calls.append(time.monotonic())
        if len(calls) < 3:
            raise SyncOfflineError("down")
        done.set()

    from nargis_desktop.sync.background import BackgroundSettings

    syncer = BackgroundSyncer(flaky_sync, BackgroundSettings(interval_s=60, first_backoff_s=0.05, max_backoff_s=0.2))
    syncer.start()
    assert done.wait(5)
    assert syncer.synced.wait(5)
    syncer.stop()
    assert syncer.last_error is None and len(calls) == 3
    assert calls[2] - calls[1] >= calls[1] - calls[0]  # the wait grows


def test_the_background_syncer_stops_for_good_when_the_device_is_revoked() -> None:
    from nargis_desktop.errors import SyncAuthError

    def revoked() -> None:
        raise SyncAuthError("this device was removed from the account")

    syncer = BackgroundSyncer(revoked)
    syncer.start()
    syncer.join(5)
    assert syncer.stopped_because == "this device was removed from the account"


def test_the_app_background_sync_brings_another_devices_change_without_being_asked(
    sqlite_server: Any, make_device: Any, tmp_path: Path
) -> None:
    import secrets

    from nargis_desktop.app import Profile, background_sync
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.services.personal_data import PersonalData
    from nargis_desktop.store.database import Store
    from nargis_desktop.sync.background import BackgroundSettings

    paths = ProfilePaths(data_dir=tmp_path / "data", config_dir=tmp_path / "config", cache_dir=tmp_path / "cache")
    paths.ensure()
    key = secrets.token_bytes(32)
    store = Store.open(paths.store_file, key)
    desktop = Device(store)
    laptop = make_device("laptop")
    email, phrase = new_email(), new_recovery_phrase()
    laptop.join(sqlite_server.url, email, phrase, register=True)
    desktop.join(sqlite_server.url, email, phrase)
    background = background_sync(Profile(paths, store, key, PersonalData(store)), NoSecretStore())
    background.syncer.settings = BackgroundSettings(interval_s=3600)  # only the live stream can wake it
    background.start()
    try:
        assert background.syncer.synced.wait(10)  # the first sync, at start
        background.syncer.synced.clear()
        laptop.store.tasks.add(Task("from the laptop", created_at=NOW))
        laptop.sync()
        deadline = time.monotonic() + 10
        while not store.tasks.list():  # each wake-up is one sync; the one after the push brings the task
            assert background.syncer.synced.wait(max(0.0, deadline - time.monotonic())), "no sync after the push"
            background.syncer.synced.clear()
        assert [t.title for t in store.tasks.list()] == ["from the laptop"]
    finally:
        background.stop()
        store.close()
