"""A server that holds under abuse (issue 18, findings 4-8), over real HTTP on SQLite and PostgreSQL:
rate limits per account and per real address, a bounded password-hashing pool, strict text,
a quota and a device cap, live streams that end with their session, and refreshes that race."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests

from nargis_desktop.domain.tasks import Task
from nargis_desktop.errors import SyncError
from nargis_desktop.sync.crypto import new_recovery_phrase
from nargis_sync_server.errors import ApiError
from nargis_sync_server.limits import HashingPool, client_address
from nargis_sync_server.settings import ServerSettings
from tests.moments import NOW
from tests.sync.devices import PASSWORD, Device, new_email
from tests.sync.servers import running_server, settings_for


def server_with(database_url: str, **changes: Any) -> Any:
    return running_server(replace(settings_for(database_url), **changes))


def login(url: str, email: str, password: str = PASSWORD, forwarded_for: str | None = None) -> requests.Response:
    body = {"email": email, "password": password, "device_id": uuid.uuid4().hex[:16]}
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return requests.post(f"{url}/v1/sessions", json=body, headers=headers, timeout=10)


def test_one_address_trying_many_accounts_is_limited_and_a_forged_forwarded_for_does_not_help(
    database_url: str,
) -> None:
    with server_with(database_url, address_attempts_per_minute=3) as server:
        codes = [login(server.url, new_email(), forwarded_for=f"10.0.0.{n}").status_code for n in range(4)]
    assert codes == [401, 401, 401, 429]  # the header came from no trusted proxy: one address


def test_behind_a_trusted_proxy_each_real_address_has_its_own_limit(database_url: str) -> None:
    with server_with(database_url, address_attempts_per_minute=2, trusted_proxies="127.0.0.1") as server:
        first = [login(server.url, new_email(), forwarded_for="203.0.113.7").status_code for _ in range(3)]
        # What the client wrote in front of the proxy's entry is not believed: the proxy's entry counts.
        spoofed = login(server.url, new_email(), forwarded_for="198.51.100.1, 203.0.113.7").status_code
        other = login(server.url, new_email(), forwarded_for="203.0.113.8").status_code
    assert first == [401, 401, 429] and spoofed == 429 and other == 401


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(
    database_url: str, tmp_path: Path
) -> None:
    with server_with(database_url, login_attempts_per_minute=3, trusted_proxies="127.0.0.1") as server:
        owner = Device.create(tmp_path / "owner.db")
        email = new_email()
        try:
            owner.join(server.url, email, new_recovery_phrase(), register=True)
        finally:
            owner.close()
        guesses = [login(server.url, email, "wrong password", "203.0.113.66").status_code for _ in range(4)]
        assert guesses == [401, 401, 401, 429]
        assert login(server.url, email, PASSWORD, "192.0.2.10").status_code == 200


def test_the_real_address_is_read_from_the_right_of_forwarded_for() -> None:
    proxies = ServerSettings(trusted_proxies="127.0.0.1, 10.0.0.0/8").proxy_networks()
    assert client_address("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.1.2.3", proxies) == "203.0.113.5"
    assert client_address("192.0.2.1", "203.0.113.5", proxies) == "192.0.2.1"  # not from a proxy
    assert client_address("127.0.0.1", "not-an-address", proxies) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.5", ()) == "127.0.0.1"  # off by default
    with pytest.raises(ValueError):
        ServerSettings(trusted_proxies="10.0.0.0/33")


def test_the_hashing_pool_refuses_at_once_when_its_queue_is_full() -> None:
    pool = HashingPool(workers=1, queue=0)
    inside, release = threading.Event(), threading.Event()

    def slow() -> int:
        inside.set()
        release.wait(10)
        return 1

    with ThreadPoolExecutor(1) as runner:
        running = runner.submit(pool.run, slow)
        assert inside.wait(10)
        with pytest.raises(ApiError) as busy:
            pool.run(lambda: 2)
        assert (busy.value.status, busy.value.code) == (503, "busy")
        release.set()
        assert running.result(10) == 1
    assert pool.run(lambda: 3) == 3  # free again


def test_a_login_flood_gets_429_or_503_never_500_and_the_owner_still_syncs(database_url: str, tmp_path: Path) -> None:
    with server_with(database_url, password_hash_workers=1, password_hash_queue=1) as server:
        owner = Device.create(tmp_path / "owner.db")
        try:
            owner.join(server.url, new_email(), new_recovery_phrase(), register=True)
            with ThreadPoolExecutor(16) as flood:
                codes = set(flood.map(lambda _: login(server.url, new_email()).status_code, range(64)))
            assert codes <= {401, 429, 503} and 500 not in codes
            owner.store.tasks.add(Task("still here", NOW))
            owner.sync()
        finally:
            owner.close()


@pytest.mark.parametrize("field", ["email", "device_name", "key_check", "password"], ids=lambda f: f"nul-in-{f}")
def test_nul_and_control_characters_are_refused_with_422(database_url: str, field: str) -> None:
    body = {
        "email": new_email(),
        "password": PASSWORD,
        "device_id": uuid.uuid4().hex[:16],
        "device_name": "laptop",
        "key_check": "A" * 40,
    }
    with server_with(database_url) as server:
        for bad in ("a\x00b", "a\x1b]0;owned\x07b"):
            poisoned = {**body, field: bad + body[field]}
            for path in ("/v1/accounts", "/v1/sessions"):
                if path == "/v1/sessions":
                    poisoned.pop("key_check", None)
                    if field == "key_check":
                        continue
                response = requests.post(server.url + path, json=poisoned, timeout=10)
                if field == "password" and "\x1b" in bad:
                    assert response.status_code != 500  # a password may hold any printable thing
                    continue
                assert response.status_code == 422, (path, field, response.text)
                assert response.json()["code"] == "invalid-request"


def test_a_device_cap_and_a_storage_quota_answer_in_plain_words(database_url: str, tmp_path: Path) -> None:
    with server_with(database_url, max_devices_per_account=2, max_account_bytes=40_000) as server:
        devices = [Device.create(tmp_path / f"d{n}.db") for n in range(3)]
        try:
            email, phrase = new_email(), new_recovery_phrase()
            devices[0].join(server.url, email, phrase, register=True)
            devices[1].join(server.url, email, phrase)
            with pytest.raises(SyncError, match="most it may have"):
                devices[2].join(server.url, email, phrase)
            assert devices[0].service is not None
            devices[0].service.backend.revoke(devices[1].store.device_id)  # type: ignore[attr-defined]
            devices[2].join(server.url, email, phrase)  # a removed device frees its place

            devices[0].store.tasks.add_many([Task(f"t{n}", NOW, notes="n" * 1000) for n in range(60)])
            with pytest.raises(SyncError, match="over its limit of") as full:
                devices[0].sync()
            assert full.value.code == "sync-quota-exceeded"
        finally:
            for device in devices:
                device.close()


@pytest.fixture
def two_devices(tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    laptop, desktop = Device.create(tmp_path / "laptop.db"), Device.create(tmp_path / "desktop.db")
    yield laptop, desktop
    laptop.close()
    desktop.close()


@pytest.mark.parametrize("how", ["logout", "revoke"])
def test_a_live_stream_ends_with_its_session(database_url: str, two_devices: tuple[Device, Device], how: str) -> None:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    laptop, desktop = two_devices
    with server_with(database_url) as server:
        email, phrase = new_email(), new_recovery_phrase()
        laptop.join(server.url, email, phrase, register=True)
        desktop.join(server.url, email, phrase)
        assert laptop.service is not None and desktop.service is not None
        token = desktop.service.backend.session.access_token  # type: ignore[attr-defined]
        live = server.url.replace("http", "ws", 1) + "/v1/live"
        with connect(live, additional_headers={"Authorization": f"Bearer {token}"}) as stream:
            json.loads(stream.recv(timeout=5))
            if how == "logout":
                desktop.service.backend.logout()  # type: ignore[attr-defined]
            else:
                laptop.service.backend.revoke(desktop.store.device_id)  # type: ignore[attr-defined]
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    stream.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_two_refreshes_with_one_token_within_the_grace_window_keep_the_session(
    database_url: str, tmp_path: Path
) -> None:
    with server_with(database_url) as server:
        device = Device.create(tmp_path / "d.db")
        try:
            device.join(server.url, new_email(), new_recovery_phrase(), register=True)
            assert device.service is not None
            token = device.service.backend.session.refresh_token  # type: ignore[attr-defined]
            answers = [
                requests.post(f"{server.url}/v1/sessions/refresh", json={"refresh_token": token}, timeout=10)
                for _ in range(2)
            ]
            assert [a.status_code for a in answers] == [200, 200]
            fresh = answers[1].json()["access_token"]
            assert (
                requests.get(
                    f"{server.url}/v1/devices", headers={"Authorization": f"Bearer {fresh}"}, timeout=10
                ).status_code
                == 200
            )
        finally:
            device.close()


def test_memory_comes_back_down_after_a_login_flood(database_url: str) -> None:
    """Production Argon2 cost (19 MiB a hash) and 16 attackers at once: the server's memory stays near
    where it started (it grew by ~19 MiB per request thread and stayed there, ~900 MB in all)."""
    from tests.sync.servers import server_process

    settings = replace(
        ServerSettings(database_url=database_url),
        trusted_proxies="127.0.0.1",  # the flood comes from many addresses, so rate limits do not stop it
        address_attempts_per_minute=1_000_000,
        account_attempts_per_minute=1_000_000,
        login_attempts_per_minute=1_000_000,
    )
    with server_process(settings) as server:
        assert server.pid is not None
        login(server.url, new_email(), forwarded_for="192.0.2.1")  # one hash: the baseline includes it
        before = _rss_mb(server.pid)
        with ThreadPoolExecutor(16) as flood:
            codes = list(
                flood.map(
                    lambda n: login(server.url, new_email(), forwarded_for=f"198.51.100.{n % 250}").status_code,
                    range(160),
                )
            )
        after = _rss_mb(server.pid)
    assert set(codes) <= {401, 503} and 401 in codes
    assert after - before < 100, f"RSS grew from {before:.0f} MB to {after:.0f} MB"


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024
