"""The server's guarantees over real HTTP: scoping to the token's user, strict input, tokens, limits."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from typing import Any

import pytest
import requests

from nargis_desktop.domain.tasks import Task
from nargis_desktop.errors import SyncAuthError, SyncKeyError
from nargis_desktop.store.sync_state import Change, get_value, pending_changes
from nargis_desktop.sync.crypto import new_recovery_phrase
from nargis_desktop.sync.merge import seal
from nargis_desktop.sync.service import status
from tests.moments import NOW
from tests.sync.devices import PASSWORD, Device, new_email
from tests.sync.servers import RunningServer, running_server


def bearer(device: Device) -> dict[str, str]:
    assert device.service is not None
    return {"Authorization": f"Bearer {device.service.backend.session.access_token}"}  # type: ignore[attr-defined]


def with_task(device: Device, title: str) -> None:
    device.store.tasks.add(Task(title, created_at=NOW))
    device.sync()


def two_people(server: RunningServer, make_device: Any) -> tuple[Device, Device]:
    alice, bob = make_device("alice"), make_device("bob")
    alice.join(server.url, new_email(), new_recovery_phrase(), register=True)
    bob.join(server.url, new_email(), new_recovery_phrase(), register=True)
    with_task(alice, "alice's task")
    with_task(bob, "bob's task")
    return alice, bob


def test_a_person_cannot_read_overwrite_or_enumerate_anothers_data(server: RunningServer, make_device: Any) -> None:
    alice, alice_phone, bob = make_device("alice"), make_device("alice-phone"), make_device("bob")
    alice_email, phrase = new_email(), new_recovery_phrase()
    alice.join(server.url, alice_email, phrase, register=True)
    alice_phone.join(server.url, alice_email, phrase)
    bob.join(server.url, new_email(), new_recovery_phrase(), register=True)
    with_task(alice, "alice's task")
    with_task(bob, "bob's task")
    url = server.url
    # Read: pulling from the very start shows her phone only her own changes, none of Bob's.
    pulled = requests.get(f"{url}/v1/changes", params={"after": 0}, headers=bearer(alice_phone), timeout=10).json()
    assert {c["change"]["device_id"] for c in pulled["changes"]} == {alice.store.device_id}
    # Enumerate: the device list holds only hers.
    devices = requests.get(f"{url}/v1/devices", headers=bearer(alice), timeout=10).json()["devices"]
    assert {d["device_id"] for d in devices} == {alice.store.device_id, alice_phone.store.device_id}
    # Overwrite: pushing under Bob's device id and change ids is refused.
    assert bob.service is not None
    hlc = f"{time.time_ns() // 1_000_000:013d}-000000-{bob.store.device_id}"
    forged = seal(
        Change(f"{bob.store.device_id}-1", "task", "x" * 32, {"title": "forged"}, hlc, bob.store.device_id),
        bob.service.key,
    )
    response = requests.post(
        f"{url}/v1/changes",
        json={"batch_id": uuid.uuid4().hex, "changes": [forged.model_dump()]},
        headers=bearer(alice),
        timeout=10,
    )
    assert response.status_code == 403 and response.json()["code"] == "device-mismatch"
    # Live news: Bob's push wakes none of her devices; her own push does.
    from websockets.sync.client import connect as ws_connect

    with ws_connect(url.replace("http", "ws", 1) + "/v1/live", additional_headers=bearer(alice)) as stream:
        first = json.loads(stream.recv(timeout=5))["cursor"]
        with_task(bob, "bob again")
        with_task(alice_phone, "from her phone")
        assert json.loads(stream.recv(timeout=5))["cursor"] > first  # the first news is hers, not Bob's
    # Revoke: Bob's device is "not found" for her, and keeps working for him.
    response = requests.delete(f"{url}/v1/devices/{bob.store.device_id}", headers=bearer(alice), timeout=10)
    assert response.status_code == 404
    with_task(bob, "still syncing")
    # The live stream without a token says nothing.
    from websockets.exceptions import InvalidStatus, WebSocketException
    from websockets.sync.client import connect

    with pytest.raises((InvalidStatus, WebSocketException)), connect(url.replace("http", "ws") + "/v1/live") as ws:
        ws.recv(timeout=5)
    # Bob's new device sees exactly his two tasks.
    bob_tablet = make_device("bob-tablet")
    bob_tablet.join(url, bob.service.backend.url and bob_email(bob), bob.service.key)
    bob_tablet.sync()
    assert sorted(t.title for t in bob_tablet.store.tasks.list()) == ["bob again", "bob's task", "still syncing"]


def bob_email(device: Device) -> str:
    return get_value(device.store, "email") or ""


def test_malformed_oversized_and_reused_batches_are_refused_and_nothing_is_stored(
    sqlite_server: RunningServer, make_device: Any
) -> None:
    device = make_device("laptop")
    device.join(sqlite_server.url, new_email(), new_recovery_phrase(), register=True)
    device.store.tasks.add(Task("x", created_at=NOW))
    assert device.service is not None
    sealed = [seal(c, device.service.key).model_dump() for _, c in pending_changes(device.store, 10)]
    url, headers = f"{sqlite_server.url}/v1/changes", bearer(device)

    def push(body: Any, **kwargs: Any) -> requests.Response:
        return requests.post(url, json=body, headers=headers, timeout=10, **kwargs)

    batch_id = uuid.uuid4().hex
    assert push({"batch_id": batch_id, "changes": sealed, "extra": 1}).status_code == 422
    assert push({"batch_id": batch_id, "changes": [{**sealed[0], "plaintext": "hi"}]}).status_code == 422
    assert push({"batch_id": batch_id, "changes": sealed * 501}).status_code in (413, 422)
    too_big = requests.post(url, data=b"x" * (sqlite_server.settings.max_body_bytes + 1), headers=headers, timeout=10)
    assert too_big.status_code == 413 and too_big.json()["code"] == "body-too-large"
    assert push({"batch_id": batch_id, "changes": sealed}).json()["stored"] == 1  # the refused ones left nothing
    replayed = push({"batch_id": batch_id, "changes": sealed})  # a retry: same id, same content
    assert replayed.status_code == 200 and replayed.json() == {**replayed.json(), "stored": 0, "duplicates": 1}
    device.store.tasks.add(Task("y", created_at=NOW))
    other = [seal(c, device.service.key).model_dump() for _, c in pending_changes(device.store, 10)]
    reused = push({"batch_id": batch_id, "changes": other})
    assert reused.status_code == 409 and reused.json()["code"] == "batch-id-reused"
    after = push({"batch_id": uuid.uuid4().hex, "changes": other}).json()
    assert (after["stored"], after["duplicates"]) == (1, 1)  # the refused batch stored nothing


def test_a_reused_refresh_token_ends_the_whole_session(tmp_path: Any, make_device: Any) -> None:
    from tests.sync.servers import settings_for

    settings = replace(settings_for(f"sqlite:///{tmp_path / 's.db'}"), refresh_grace_s=0)  # no race allowance
    with running_server(settings) as server:
        device = make_device("laptop")
        device.join(server.url, new_email(), new_recovery_phrase(), register=True)
        backend = device.service.backend  # type: ignore[union-attr]
        stolen = backend.session.refresh_token
        backend._refresh()  # the device rotates its tokens as usual
        again = requests.post(f"{server.url}/v1/sessions/refresh", json={"refresh_token": stolen}, timeout=10)
        assert again.status_code == 401 and again.json()["code"] == "refresh-reused"
        response = requests.get(f"{server.url}/v1/devices", headers=bearer(device), timeout=10)
        assert response.status_code == 401  # the family died with the reuse, the new tokens too


def test_a_revoked_device_stops_and_says_why(sqlite_server: RunningServer, make_device: Any) -> None:
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email, phrase = new_email(), new_recovery_phrase()
    laptop.join(sqlite_server.url, email, phrase, register=True)
    desktop.join(sqlite_server.url, email, phrase)
    gone = requests.delete(
        f"{sqlite_server.url}/v1/devices/{desktop.store.device_id}", headers=bearer(laptop), timeout=10
    )
    assert gone.status_code == 204
    desktop.store.tasks.add(Task("written after removal", created_at=NOW))
    with pytest.raises(SyncAuthError, match="removed from the account"):
        desktop.sync()
    assert status(desktop.store).describe().startswith("stopped: the server refused this device")
    assert status(desktop.store).pending == 1


def test_joining_with_the_wrong_phrase_is_refused_and_stores_nothing(
    sqlite_server: RunningServer, make_device: Any
) -> None:
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email = new_email()
    laptop.join(sqlite_server.url, email, new_recovery_phrase(), register=True)
    with pytest.raises(SyncKeyError, match="recovery phrase"):
        desktop.join(sqlite_server.url, email, new_recovery_phrase())
    assert get_value(desktop.store, "sync_key") is None


def test_login_attempts_are_rate_limited(tmp_path: Any, make_device: Any) -> None:
    from tests.sync.servers import TEST_SETTINGS

    settings = replace(TEST_SETTINGS, database_url=f"sqlite:///{tmp_path / 's.db'}", login_attempts_per_minute=3)
    with running_server(settings) as server:
        body = {"email": "x@example.org", "password": PASSWORD, "device_id": "0123456789abcdef"}
        codes = [requests.post(f"{server.url}/v1/sessions", json=body, timeout=10).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_pushes_are_rate_limited_per_person(tmp_path: Any, make_device: Any) -> None:
    from tests.sync.servers import TEST_SETTINGS

    settings = replace(TEST_SETTINGS, database_url=f"sqlite:///{tmp_path / 's.db'}", pushes_per_minute=2)
    with running_server(settings) as server:
        device = make_device("laptop")
        device.join(server.url, new_email(), new_recovery_phrase(), register=True)
        assert device.service is not None
        codes = []
        for n in range(3):
            device.store.tasks.add(Task(f"task {n}", created_at=NOW))
            sealed = [seal(c, device.service.key).model_dump() for _, c in pending_changes(device.store, 1)[-1:]]
            body = {"batch_id": uuid.uuid4().hex, "changes": sealed}
            codes.append(
                requests.post(f"{server.url}/v1/changes", json=body, headers=bearer(device), timeout=10).status_code
            )
    assert codes == [200, 200, 429]


def test_the_session_goes_to_the_keyring_when_there_is_one(
    sqlite_server: RunningServer, make_device: Any, memory_keyring: Any
) -> None:
    from nargis_desktop.secrets import KeyringSecretStore
    from nargis_desktop.sync import account

    device = make_device("laptop")
    vault = account.SessionVault(device.store, KeyringSecretStore())
    account.join(device.store, vault, sqlite_server.url, new_email(), PASSWORD, new_recovery_phrase(), register=True)
    assert get_value(device.store, "session") is None
    assert any("refresh_token" in value for value in memory_keyring.entries.values())
    assert vault.load() is not None
