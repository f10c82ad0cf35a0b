"""Google Sheets sync figures, against the fake Sheets server on 127.0.0.1 with the real gspread client.

- the initial upload of 5,000 tasks: write requests used, most writes in any minute (budget < 60);
- a steady-state sync with nothing changed: read and write requests;
- 1,000 random fault-injected interleavings (local and sheet edits, 429/500/dropped connections,
  edits by another person mid-run, runs cut off at any step): runs that diverged.

Run: PYTHONPATH=. .venv/bin/python -m benchmarks.bench_sheets [--interleavings N]   (~4 minutes, 2 cores)
"""

from __future__ import annotations

import argparse
import random
import secrets
import tempfile
import time
from datetime import datetime
from pathlib import Path

from nargis_desktop.app import Profile, sheets_sync
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from nargis_desktop.sync.sheets.layout import STANDARD_KINDS
from nargis_desktop.sync.sheets.settings import SheetsSettings
from tests.sheets.agreement import differences
from tests.sheets.fake_sheets import FakeSheetsServer
from tests.sheets.interleavings import STEPS, FakeClock, play

NOW = datetime(2026, 11, 25, 9, 30)
TASKS = 5_000


def bench_upload_and_steady_state(rows_per_write: int = SheetsSettings().rows_per_write) -> dict[str, object]:
    clock = FakeClock()
    with FakeSheetsServer(clock=clock) as fake, tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "store.db", secrets.token_bytes(32))
        try:
            store.tasks.add_many(
                [Task(f"task {i}", NOW, priority=Priority.MEDIUM, tags=("bench",)) for i in range(TASKS)]
            )
            profile = Profile(paths=None, store=store, key=b"", data=PersonalData(store))  # type: ignore[arg-type]
            sync = sheets_sync(
                profile,
                secret_store=NoSecretStore(),
                endpoint=fake.base_url,
                now=lambda: NOW,
                clock=clock,
                sleep=clock.sleep,
                settings=SheetsSettings(rows_per_write=rows_per_write),
            )
            sync.connect()
            connect_writes = fake.writes()
            fake.reset_log()
            started = time.perf_counter()
            upload = sync.run()
            upload_s = time.perf_counter() - started
            assert differences(fake, store, STANDARD_KINDS) == []
            upload_writes, upload_reads = fake.writes(), fake.reads()
            most_per_minute, minutes = fake.max_writes_in_any_minute(), round(clock.t / 60, 1)
            fake.reset_log()
            started = time.perf_counter()
            sync.run()
            steady_s = time.perf_counter() - started
            return {
                "connect writes": connect_writes,
                "upload rows": upload.rows_written,
                "upload write requests": upload_writes,
                "upload read requests": upload_reads,
                "upload wall s": round(upload_s, 2),
                "upload most writes in any minute": most_per_minute,
                "upload minutes (budget clock)": minutes,
                "steady-state reads": fake.reads(),
                "steady-state writes": fake.writes(),
                "steady-state wall s": round(steady_s, 3),
            }
        finally:
            store.close()


def bench_interleavings(count: int, seed: int = 20261125) -> dict[str, object]:
    rng = random.Random(seed)
    clock = FakeClock()
    diverged: list[tuple[int, list[str]]] = []
    runs = failed = worst_minute = 0
    started = time.perf_counter()
    with FakeSheetsServer(clock=clock) as fake:
        for number in range(count):
            clock.t += 3600.0
            steps = [(rng.choice(STEPS), rng.randint(0, 50), rng.randint(0, 50)) for _ in range(rng.randint(1, 30))]
            outcome = play(fake, clock, steps, secrets.token_bytes(32))
            runs += outcome.runs
            failed += outcome.failed_runs
            worst_minute = max(worst_minute, outcome.max_writes_per_minute)
            if outcome.problems:
                diverged.append((number, outcome.problems[:3]))
    return {
        "interleavings": count,
        "sync runs": runs,
        "runs cut off by faults or crashes": failed,
        "diverged": len(diverged),
        "most writes in any minute": worst_minute,
        "wall s": round(time.perf_counter() - started, 1),
        "first divergences": diverged[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interleavings", type=int, default=1000)
    args = parser.parse_args()
    for title, figures in (
        (f"initial upload of {TASKS} tasks, then a sync with nothing changed", bench_upload_and_steady_state()),
        ("the same with 25 rows per request (stresses the write budget)", bench_upload_and_steady_state(25)),
        ("random fault-injected interleavings", bench_interleavings(args.interleavings)),
    ):
        print(title)
        for name, value in figures.items():
            print(f"  {name:36} {value}")


if __name__ == "__main__":
    main()
