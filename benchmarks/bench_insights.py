"""Insights figures over five years of data: 20 daily habits, 50,000 tasks, 3,000 journal entries.

Measures the in-memory DuckDB copy (load, every Insights-view metric, catch-up after one check-in),
the alternative it was chosen over (an encrypted DuckDB file, DuckDB >= 1.4 with httpfs for AES),
and journal search (embedding throughput with the bundled MiniLM, search latency over 3,000 entries).

Run: .venv/bin/python -m benchmarks.bench_insights   (~2-4 minutes on 2 cores, most of it embedding)
"""

from __future__ import annotations

import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from nargis_desktop.app import journal_search
from nargis_desktop.config import ProfilePaths
from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.tasks import Task
from nargis_desktop.services.insights import Insights
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.analytics import Analytics
from nargis_desktop.store.database import Store

NOW = datetime(2026, 11, 25, 20, 0)
YEARS_DAYS = 5 * 365
HABITS, TASKS, ENTRIES = 20, 50_000, 3_000
WORDS = [
    *("walk", "friends", "work", "tired", "happy", "rain", "garden", "sister"),
    *("coffee", "project", "meeting", "run", "book", "sleep", "music"),
]


def fill(store: Store) -> None:
    rng = random.Random(1)
    start = NOW.date() - timedelta(days=YEARS_DAYS)
    schedules = ["daily", "every weekday", "3 times per week", "daily"]
    habits = [
        Habit(f"habit {n}", start=start, created_at=NOW, schedule=Schedule.parse(schedules[n % 4]))
        for n in range(HABITS)
    ]
    store.habits.add_many(habits)
    checkins = [
        CheckIn(h.id, start + timedelta(days=d), NOW) for h in habits for d in range(YEARS_DAYS) if rng.random() < 0.85
    ]
    store.checkins.add_many(checkins)
    tasks, completions = [], []
    for n in range(TASKS):
        due = start + timedelta(days=rng.randrange(YEARS_DAYS + 30))
        done = due < NOW.date() and rng.random() < 0.93
        completed = datetime.combine(due + timedelta(days=rng.choice([-1, 0, 0, 0, 1, 3])), datetime.min.time())
        completed = completed.replace(hour=rng.randrange(7, 23))
        tasks.append(Task(f"task {n}", NOW, due=due, done=done, completed_at=completed if done else None))
        if done:
            completions.append(TaskCompletion(tasks[-1].id, due, completed, NOW))
    store.tasks.add_many(tasks)
    store.completions.add_many(completions)
    entries = [
        JournalEntry(
            " ".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 80))).capitalize() + ".",
            created_at=datetime.combine(start + timedelta(days=int(n * YEARS_DAYS / ENTRIES)), datetime.min.time()),
            mood=rng.choice([None, 2, 3, 4, 5]),
        )
        for n in range(ENTRIES)
    ]
    store.journal.add_many(entries)


def timed(func: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def encrypted_file_alternative(analytics: Analytics, folder: Path) -> tuple[float, float]:
    """Copy the tables to an AES-encrypted DuckDB file, then time reopening it and one metric query."""
    import duckdb

    extensions = Path(duckdb.__file__).parent.parent / "duckdb_ext" / "extensions"
    path = folder / "analytics.duckdb"
    key = secrets.token_hex(32)
    db = duckdb.connect(config={"extension_directory": str(extensions), "autoinstall_known_extensions": False})
    db.execute("LOAD httpfs")  # DuckDB writes encrypted files only with OpenSSL's AES from httpfs
    db.execute(f"ATTACH '{path}' AS enc (ENCRYPTION_KEY '{key}')")
    for table in ("habit", "checkin", "task", "completion", "journal"):
        rows = analytics.db.execute(f"SELECT * FROM {table}").arrow()
        db.register("rows", rows)
        db.execute(f"CREATE TABLE enc.{table} AS SELECT * FROM rows")
        db.unregister("rows")
    db.close()

    def reopen() -> None:
        again = duckdb.connect(config={"extension_directory": str(extensions), "autoinstall_known_extensions": False})
        again.execute("LOAD httpfs")
        again.execute(f"ATTACH '{path}' AS enc (ENCRYPTION_KEY '{key}', READ_ONLY)")
        again.execute("SELECT habit_id, count(*) FROM enc.checkin GROUP BY habit_id").fetchall()
        again.close()

    return timed(reopen, 5)[0], path.stat().st_size / 2**20


def main() -> int:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        paths = ProfilePaths(folder / "data", folder / "config", folder / "cache")
        paths.ensure()
        key = secrets.token_bytes(32)
        store = Store.open(paths.store_file, key)
        started = time.perf_counter()
        fill(store)
        print(f"seeded 5 years in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows = {
            t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("checkins", "tasks", "journal")
        }

        load_ms, _ = timed(lambda: Analytics(store).close(), 3)
        insights = Insights(store)
        cold_started = time.perf_counter()
        insights.overview(NOW)
        cold_ms = (time.perf_counter() - cold_started) * 1000
        warm_ms, warm_max = timed(lambda: insights.overview(NOW), 9)

        data = PersonalData(store)
        habit = store.habits.list()[0]
        catch_up = []
        for n in range(9):
            day = date(2021, 1, 1) + timedelta(days=n * 3)
            data.check_in(habit, day, NOW, note="bench")
            catch_up.append(timed(insights.analytics, 1)[0])
        refresh_ms = statistics.median(catch_up)
        new_days = iter(date(2022, 3, 1) + timedelta(days=n) for n in range(100))  # each one a new check-in
        refresh_and_metrics_ms, _ = timed(
            lambda: (data.check_in(habit, next(new_days), NOW, value=1.0), insights.overview(NOW)), 5
        )

        file_open_ms, file_mib = encrypted_file_alternative(insights.analytics(), folder)

        search = journal_search(paths, store, key)
        embed_started = time.perf_counter()
        embedded = search.update()
        embed_s = time.perf_counter() - embed_started
        queries = ["an argument at work", "feeling happy with friends", "music and coffee", "tired after running"]
        search.search(queries[0])  # warm: the vectors table and the model's first call
        query_times = [timed(lambda q=q: search.search(q, limit=5), 3)[0] for q in queries]
        embedder = search._embedder()
        embed_query_ms = timed(lambda: embedder.embed(["feeling happy with friends"]), 7)[0] if embedder else 0.0
        search.close()
        store.close()

    print(f"data: {rows['checkins']:,} check-ins, {rows['tasks']:,} tasks, {rows['journal']:,} journal entries")
    print("| measure | target | measured |")
    print("|---|---|---|")
    print(f"| load the in-memory DuckDB copy from SQLCipher (once per session) | — | {load_ms:.0f} ms |")
    print(f"| all Insights-view metrics, first call (includes the load) | — | {cold_ms:.0f} ms |")
    print(f"| all Insights-view metrics, warm (median / max of 9) | < 150 ms | {warm_ms:.0f} / {warm_max:.0f} ms |")
    print(f"| catch-up after one new check-in (change log → DuckDB) | < 20 ms | {refresh_ms:.1f} ms |")
    print(f"| one new check-in written, caught up, all metrics recomputed | — | {refresh_and_metrics_ms:.0f} ms |")
    print(f"| alternative: reopen encrypted DuckDB file + one query | — | {file_open_ms:.0f} ms ({file_mib:.1f} MiB) |")
    print(
        f"| embedding throughput, MiniLM on this CPU | — | {embedded / embed_s:.0f} entries/s "
        f"({embedded} in {embed_s:.1f} s) |"
    )
    print(
        f"| journal search over {ENTRIES:,} entries (median per query, incl. embedding it) | < 50 ms "
        f"| {statistics.median(query_times):.1f} ms |"
    )
    print(f"| of which embedding the query | — | {embed_query_ms:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
