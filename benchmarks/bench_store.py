"""Foundation figures: bulk insert, open-and-list-today at 100k items, CLI cold start.

Run: .venv/bin/python -m benchmarks.bench_store   (prints a table; takes ~1 minute)
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.services.agenda import today
from nargis_desktop.store.database import Store

ITEMS = 100_000
NOW = datetime(2026, 11, 25, 9, 30)
NARGIS = str(Path(sys.executable).parent / "nargis")


def realistic_tasks() -> list[Task]:
    """Years of use: most tasks done in the past, 5% open and due over the next year, a few overdue."""
    tasks = []
    for i in range(ITEMS):
        if i % 20:
            due = NOW.date() - timedelta(days=1 + i % 1000)
            tasks.append(Task(f"task {i}", NOW, due=due, done=True, completed_at=NOW, tags=("bench",)))
        else:
            due = NOW.date() + timedelta(days=(i // 20) % 365 - (1 if i % 1000 == 0 else 0) * 3)
            tasks.append(Task(f"task {i}", NOW, due=due, priority=Priority.MEDIUM, tags=("bench",)))
    return tasks


def bench_insert(path: Path, key: bytes) -> float:
    tasks = realistic_tasks()
    with Store.open(path, key) as store:
        started = time.perf_counter()
        store.tasks.add_many(tasks)
        return time.perf_counter() - started


def bench_open_today(path: Path, key: bytes, runs: int = 7) -> tuple[float, int]:
    timings, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        with Store.open(path, key) as store:
            agenda = today(store, NOW)
        timings.append(time.perf_counter() - started)
        count = len(agenda.tasks)
    return statistics.median(timings), count


def bench_cli_cold_start(home: Path, env: dict[str, str], runs: int = 9) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([NARGIS, "task", "list"], env=env, check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    results: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as folder:
        key = secrets.token_bytes(32)
        path = Path(folder) / "bench.db"
        results["insert_100k_tasks_s"] = round(bench_insert(path, key), 3)
        seconds, due = bench_open_today(path, key)
        results["open_and_today_100k_ms"] = round(seconds * 1000, 1)
        results["today_tasks_listed"] = due

        base = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
        home = Path(folder) / "home"
        env_pass = {
            **base,
            "NARGIS_HOME": str(home),
            "NARGIS_PASSPHRASE": "bench",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        subprocess.run([NARGIS, "task", "add", "warm up"], env=env_pass, check=True, capture_output=True)
        results["cli_task_list_passphrase_ms"] = round(bench_cli_cold_start(home, env_pass) * 1000, 1)

        home2 = Path(folder) / "home2"
        env_ring = {
            **base,
            "NARGIS_HOME": str(home2),
            "PYTHONPATH": str(Path(__file__).parent.parent),
            "PYTHON_KEYRING_BACKEND": "benchmarks.env_keyring.FileKeyringForBenchmarks",
            "BENCH_KEYRING_FILE": str(Path(folder) / "keyring.json"),
        }
        subprocess.run([NARGIS, "task", "add", "warm up"], env=env_ring, check=True, capture_output=True)
        results["cli_task_list_keyring_ms"] = round(bench_cli_cold_start(home2, env_ring) * 1000, 1)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        results["python_bare_start_ms"] = round((time.perf_counter() - started) * 1000, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
