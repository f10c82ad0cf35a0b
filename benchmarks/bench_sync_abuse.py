"""Issue 18 figures: convergence runs with restores, concurrent syncs and poison changes (divergence
must be 0); a login flood (p99 pull latency of the owner during it, the server's RSS before, at the
peak and after); the largest journal entry that syncs.

Run: .venv/bin/python -m benchmarks.bench_sync_abuse [--runs 40] [--flood-s 20]
(needs the PostgreSQL server binaries for the PostgreSQL convergence runs, as the sync tests do).
The machine is shared and noisy: quote medians and read the p99 as an order of magnitude.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.errors import InputError
from nargis_desktop.store.repository import MAX_ITEM_BYTES
from nargis_desktop.sync.crypto import SyncKey, new_recovery_phrase
from nargis_sync_server.settings import ServerSettings
from tests.sync.devices import Device, new_email
from tests.sync.servers import postgres_available, postgres_cluster, server_process, settings_for

NOW = datetime(2026, 11, 25, 9, 30)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_convergence(runs: int) -> None:
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    from tests.sync.test_convergence import STEPS, Convergence

    for kind in ("sqlite", "postgresql"):
        if kind == "postgresql" and not postgres_available():
            print("convergence on postgresql: skipped (no PostgreSQL binaries)")
            continue
        with (
            tempfile.TemporaryDirectory() as root,
            _database(kind, Path(root)) as url,
            server_process(settings_for(url)) as server,
        ):
            Convergence.server = server
            Convergence.checked_runs = 0
            Convergence.counts = dict.fromkeys(Convergence.counts, 0)
            started = time.perf_counter()
            run_state_machine_as_test(
                Convergence,
                settings=settings(
                    max_examples=runs,
                    stateful_step_count=STEPS,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                ),
            )
            took = time.perf_counter() - started
        counts = Convergence.counts
        print(
            f"convergence on {kind}: {Convergence.checked_runs} runs x 3 devices x up to {STEPS} operations, "
            f"faults: {counts['restores']} restores, {counts['concurrent']} concurrent syncs, "
            f"{counts['poison']} poison changes; {counts['lost']} writes dropped by restores as chosen; "
            f"divergence 0 (every run converged), {took:.0f} s"
        )


@contextmanager
def _database(kind: str, root: Path) -> Iterator[str]:
    """A database URL for one kind of server, removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{root / 'server.db'}"
        return
    with postgres_cluster() as cluster:
        yield cluster.create_database()


def bench_login_flood(flood_s: float, threads: int) -> None:
    """Production Argon2 cost; the flood comes from many addresses through a trusted proxy, so the
    per-address limit does not stop it and the hashing pool is what holds."""
    with tempfile.TemporaryDirectory() as root:
        settings = replace(
            ServerSettings(database_url=f"sqlite:///{Path(root) / 'server.db'}"),
            trusted_proxies="127.0.0.1",
            address_attempts_per_minute=1_000_000,
            account_attempts_per_minute=1_000_000,
            login_attempts_per_minute=1_000_000,
        )
        with server_process(settings) as server:
            assert server.pid is not None
            owner = Device.create(Path(root) / "owner.db")
            try:
                owner.join(server.url, new_email(), SyncKey.from_phrase(new_recovery_phrase()), register=True)
                assert owner.service is not None
                backend = owner.service.backend
                quiet = [_timed_pull(backend) for _ in range(100)]
                baseline = rss_mb(server.pid)
                peak = [baseline]
                # The attackers run in processes of their own, so the owner's timings here measure the
                # server, not this process's threads fighting over the GIL.
                context = multiprocessing.get_context("spawn")
                answers = context.Queue()
                attackers = [
                    context.Process(target=_attack, args=(server.url, flood_s, threads // 2, answers)) for _ in range(2)
                ]
                for attacker in attackers:
                    attacker.start()
                during: list[float] = []
                ends = time.monotonic() + flood_s
                while time.monotonic() < ends:
                    during.append(_timed_pull(backend))
                    peak[0] = max(peak[0], rss_mb(server.pid))
                codes: dict[int, int] = {}
                for _ in attackers:
                    for code, count in answers.get(timeout=flood_s + 120).items():
                        codes[code] = codes.get(code, 0) + count
                for attacker in attackers:
                    attacker.join(30)
                idle_until = time.monotonic() + 5
                while time.monotonic() < idle_until:  # the server idles; memory must come back down
                    _timed_pull(backend)
                after = rss_mb(server.pid)
            finally:
                owner.close()
    quiet_ms, during_ms = sorted(quiet), sorted(during)
    print(
        f"login flood ({threads} threads, {flood_s:.0f} s, Argon2id 19 MiB, 1 hashing worker): "
        f"answers {dict(sorted(codes.items()))}; "
        f"owner's pull p50/p99 {statistics.median(quiet_ms):.1f}/{_p99(quiet_ms):.1f} ms quiet, "
        f"{statistics.median(during_ms):.1f}/{_p99(during_ms):.1f} ms during ({len(during_ms)} pulls); "
        f"server RSS {baseline:.0f} MB before, {peak[0]:.0f} MB peak, {after:.0f} MB after"
    )


def _attack(url: str, seconds: float, threads: int, answers: Any) -> None:
    """Logins with made-up e-mails from made-up addresses (a trusted proxy forwards them)."""
    codes: dict[int, int] = {}
    lock = threading.Lock()
    ends = time.monotonic() + seconds

    def one_thread() -> None:
        with requests.Session() as http:
            while time.monotonic() < ends:
                body = {"email": new_email(), "password": "guess-guess", "device_id": uuid.uuid4().hex[:16]}
                address = f"198.51.{random.randrange(256)}.{random.randrange(256)}"
                try:
                    code = http.post(
                        f"{url}/v1/sessions", json=body, headers={"X-Forwarded-For": address}, timeout=30
                    ).status_code
                except requests.RequestException:
                    code = -1
                with lock:
                    codes[code] = codes.get(code, 0) + 1

    with ThreadPoolExecutor(threads) as pool:
        for _ in range(threads):
            pool.submit(one_thread)
    answers.put(codes)


def _timed_pull(backend: object) -> float:
    started = time.perf_counter()
    backend.pull(0, 100)  # type: ignore[attr-defined]
    return (time.perf_counter() - started) * 1000


def _p99(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def bench_largest_entry() -> None:
    with (
        tempfile.TemporaryDirectory() as root,
        server_process(settings_for(f"sqlite:///{Path(root) / 's.db'}")) as server,
    ):
        laptop, desktop = Device.create(Path(root) / "a.db"), Device.create(Path(root) / "b.db")
        try:
            email, key = new_email(), SyncKey.from_phrase(new_recovery_phrase())
            laptop.join(server.url, email, key, register=True)
            desktop.join(server.url, email, key)
            largest = 0
            for size in (49 * 1024, 60 * 1024, 256 * 1024, MAX_ITEM_BYTES - 1024):
                entry = laptop.store.journal.add(JournalEntry("x" * size, created_at=NOW))
                laptop.sync()
                desktop.sync()
                if desktop.store.journal.get(entry.id).text == entry.text:
                    largest = size
            try:
                laptop.store.journal.add(JournalEntry("x" * (MAX_ITEM_BYTES + 1), created_at=NOW))
                refused = "accepted (wrong)"
            except InputError as err:
                refused = f"refused when written: {err.message}"
        finally:
            laptop.close()
            desktop.close()
    limit_kb = MAX_ITEM_BYTES // 1024
    print(f"largest journal entry synced: {largest // 1024} KB (limit {limit_kb} KB); one over it: {refused}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40, help="convergence runs per server database")
    parser.add_argument("--flood-s", type=float, default=20.0)
    parser.add_argument("--flood-threads", type=int, default=32)
    parser.add_argument("--only", choices=["convergence", "flood", "entry"])
    args = parser.parse_args()
    logging.getLogger("nargis_desktop").setLevel(logging.ERROR)  # each set-aside change is a warning
    if args.only in (None, "entry"):
        bench_largest_entry()
    if args.only in (None, "flood"):
        bench_login_flood(args.flood_s, args.flood_threads)
    if args.only in (None, "convergence"):
        bench_convergence(args.runs)


if __name__ == "__main__":
    main()
