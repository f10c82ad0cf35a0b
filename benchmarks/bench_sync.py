"""Sync figures: 10,000 changes pushed and pulled (SQLite and PostgreSQL servers), change-to-other-device
latency through two server processes on one PostgreSQL, and push throughput with 50 devices.

Run: .venv/bin/python -m benchmarks.bench_sync   (prints a table; takes ~1 minute; needs the
PostgreSQL server binaries, as the sync tests do)
"""

from __future__ import annotations

import secrets
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

import requests

from nargis_desktop.domain.tasks import Task
from nargis_desktop.sync.background import LiveListener
from nargis_desktop.sync.crypto import SyncKey, new_recovery_phrase
from tests.sync.devices import PASSWORD, Device, new_email
from tests.sync.servers import RunningServer, postgres_cluster, server_process, settings_for

NOW = datetime(2026, 11, 25, 9, 30)
CHANGES = 10_000
LATENCY_RUNS = 30
DEVICES = 50
THROUGHPUT_S = 10.0


@contextmanager
def devices(count: int, url: str, root: Path) -> Iterator[list[Device]]:
    key, email = SyncKey.from_phrase(new_recovery_phrase()), new_email()
    made = [Device.create(root / f"{uuid.uuid4().hex}.db") for _ in range(count)]
    try:
        for i, device in enumerate(made):
            device.join(url, email, key, register=i == 0)
        yield made
    finally:
        for device in made:
            device.close()


def bench_bulk(server: RunningServer, root: Path) -> tuple[float, float]:
    with devices(2, server.url, root) as (laptop, desktop):
        laptop.store.tasks.add_many([Task(f"task {i}", NOW) for i in range(CHANGES)])
        started = time.perf_counter()
        laptop.sync()
        pushed = time.perf_counter() - started
        started = time.perf_counter()
        desktop.sync()
        pulled = time.perf_counter() - started
        assert desktop.store.tasks.count() == CHANGES
    return pushed, pulled


def bench_latency(listen_on: RunningServer, push_to: RunningServer, root: Path) -> list[float]:
    with devices(2, push_to.url, root) as (laptop, desktop):
        news = threading.Event()
        backend = desktop.service.backend  # type: ignore[union-attr]
        live_url = listen_on.url.replace("http", "ws", 1) + "/v1/live"
        listener = LiveListener(live_url, lambda: backend.session.access_token, news.set)
        listener.start()
        news.wait(10)  # the cursor sent on connect
        timings = []
        for i in range(LATENCY_RUNS):
            news.clear()
            laptop.store.tasks.add(Task(f"ping {i}", NOW))
            started = time.perf_counter()
            laptop.sync()
            if news.wait(5):
                timings.append(time.perf_counter() - started)
        listener.stop()
    return timings


def bench_throughput(servers: list[RunningServer]) -> tuple[float, float, int]:
    """50 devices (one account each, spread over `servers`) push batches of 5 sealed changes as fast
    as the server answers."""
    key = SyncKey(secrets.token_bytes(32))
    sessions = []
    for n in range(DEVICES):
        server = servers[n % len(servers)]
        device_id = secrets.token_hex(8)
        body = {"email": new_email(), "password": PASSWORD, "device_id": device_id, "key_check": key.key_check()}
        token = requests.post(f"{server.url}/v1/accounts", json=body, timeout=30).json()["access_token"]
        sessions.append((server.url, device_id, token))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + THROUGHPUT_S

    def run(url: str, device_id: str, token: str) -> None:
        nonlocal errors
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        seq = 0
        while time.perf_counter() < deadline:
            hlc = f"{time.time_ns() // 1_000_000:013d}-000000-{device_id}"
            changes = []
            for _ in range(5):
                seq += 1
                changes.append(
                    {
                        "change_id": f"{device_id}-{seq}",
                        "device_id": device_id,
                        "hlc": hlc,
                        "ciphertext": key.encrypt(b'{"e":"task"}', b"x"),
                    }
                )
            started = time.perf_counter()
            response = http.post(
                f"{url}/v1/changes", json={"batch_id": uuid.uuid4().hex, "changes": changes}, timeout=30
            )
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += response.status_code != 200

    threads = [threading.Thread(target=run, args=session) for session in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / wall, latencies[int(len(latencies) * 0.99)], errors


def main() -> None:
    rows: list[tuple[str, str]] = []
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nargis-bench-sync-")))
        sqlite = stack.enter_context(server_process(settings_for(f"sqlite:///{root / 'sync.db'}")))
        pushed, pulled = bench_bulk(sqlite, root)
        rows.append((f"{CHANGES:,} changes, SQLite server: push / pull", f"{pushed:.2f} s / {pulled:.2f} s"))
        cluster = stack.enter_context(postgres_cluster())
        url = cluster.create_database()
        first = stack.enter_context(server_process(settings_for(url)))
        second = stack.enter_context(server_process(settings_for(url)))
        pushed, pulled = bench_bulk(first, root)
        rows.append((f"{CHANGES:,} changes, PostgreSQL server: push / pull", f"{pushed:.2f} s / {pulled:.2f} s"))
        timings = bench_latency(first, second, root)
        p50 = statistics.median(timings) * 1000
        p95 = sorted(timings)[int(len(timings) * 0.95)] * 1000
        rows.append(
            (
                f"change -> other device, 2 processes on PostgreSQL (n={len(timings)})",
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
            )
        )
        for label, servers in (("1 process", [first]), ("2 processes", [first, second])):
            rate, p99, errors = bench_throughput(servers)
            rows.append(
                (
                    f"{DEVICES} devices pushing 5-change batches, PostgreSQL, {label}",
                    f"{rate:.0f} req/s, p99 {p99 * 1000:.0f} ms, {errors} errors",
                )
            )
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
