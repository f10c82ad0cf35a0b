"""Random interleavings of local and sheet edits, faults and cut-off runs (property test and benchmark).

Titles are unique and never edited, so "lost" and "duplicated" can be told from the titles
alone: every title added and not deleted by a step must be there exactly once, in the store
and in the sheet.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from nargis_desktop.app import Profile, sheets_sync
from nargis_desktop.errors import NargisError
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from nargis_desktop.sync.sheets.engine import SheetsSync
from nargis_desktop.sync.sheets.layout import STANDARD_KINDS
from nargis_desktop.sync.sheets.settings import SheetsSettings
from tests.moments import NOW
from tests.sheets.agreement import differences
from tests.sheets.fake_sheets import FakeSheetsServer, Faults

STEPS = (
    "local-add",
    "local-bulk-add",
    "local-edit",
    "local-delete",
    "sheet-add",
    "sheet-edit",
    "sheet-delete",
    "sheet-sort",
    "sync",
)
CRASH_POINTS = (None, None, "read", "wrote-0", "wrote-1", "wrote-4", "before-local")
SHEET_COLUMNS = {3: ("2026-12-01", "2026-12-24", "", "12/31/2026"), 4: ("high", "low", "", "m"), 5: ("TRUE", "FALSE")}
MAX_SETTLING_RUNS = 4
ROWS_PER_WRITE = 3


class CutOffError(Exception):
    """The run was cut off here (a crash, a closed laptop)."""


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    runs: int = 0
    failed_runs: int = 0
    max_writes_per_minute: int = 0


def play(fake: FakeSheetsServer, clock: FakeClock, steps: list[tuple[str, int, int]], key: bytes) -> Outcome:
    """Play `steps` (name, a, b: two small random numbers) on a fresh store and spreadsheet, then check."""
    fake.spreadsheets.clear()
    fake.reset_log()
    fake.faults = Faults()
    fake.edits_before.clear()
    outcome = Outcome()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "store.db", key)
        try:
            profile = Profile(paths=None, store=store, key=key, data=PersonalData(store))  # type: ignore[arg-type]
            sync = sheets_sync(
                profile,
                secret_store=NoSecretStore(),
                endpoint=fake.base_url,
                now=lambda: NOW + timedelta(seconds=clock.t),
                clock=clock,
                sleep=clock.sleep,
                # Few rows per request: many writes per run, so the budget and cut-offs between writes matter.
                settings=SheetsSettings(rows_per_write=ROWS_PER_WRITE),
            )
            sync.connect()
            _play_steps(fake, clock, sync, profile, steps, outcome)
        finally:
            store.close()
    outcome.max_writes_per_minute = fake.max_writes_in_any_minute()
    return outcome


def _play_steps(
    fake: FakeSheetsServer,
    clock: FakeClock,
    sync: SheetsSync,
    profile: Profile,
    steps: list[tuple[str, int, int]],
    outcome: Outcome,
) -> None:
    data, store = profile.data, profile.store
    added: set[str] = set()
    deleted: set[str] = set()
    counter = 0
    for name, a, b in steps:
        clock.t += a  # people do not act all in the same second
        tasks = store.tasks.list()
        rows = fake.values("Tasks")[1:]
        if name in ("local-add", "local-bulk-add"):
            for _ in range(1 if name == "local-add" else 5 + b):
                counter += 1
                data.add_task(f"local {counter}", NOW)
                added.add(f"local {counter}")
        elif name == "local-edit" and tasks:
            task = tasks[a % len(tasks)]
            changes: dict[str, Any] = [
                {"notes": f"note {b}"},
                {"priority": ["high", "low", "none"][b % 3]},
                {"due": NOW.date() + timedelta(days=b)},
            ][a % 3]
            if "priority" in changes:
                from nargis_desktop.domain.tasks import Priority

                changes["priority"] = Priority(changes["priority"])
            data.edit_task(task, **changes)
        elif name == "local-delete" and tasks:
            task = tasks[a % len(tasks)]
            store.tasks.delete(task.id)
            deleted.add(task.title)
        elif name == "sheet-add":
            counter += 1
            fake.append_row("Tasks", ["", f"sheet {counter}", "2026-12-0" + str(1 + b % 9)])
            added.add(f"sheet {counter}")
        elif name == "sheet-edit" and rows:
            column = 3 + b % 3
            choices = SHEET_COLUMNS[column]
            fake.set_cell("Tasks", 2 + a % len(rows), column, choices[(a + b) % len(choices)])
        elif name == "sheet-delete" and rows:
            number = 2 + a % len(rows)
            deleted.add(fake.values("Tasks")[number - 1][1])
            fake.delete_row("Tasks", number)
        elif name == "sheet-sort":
            fake.sort_rows("Tasks", key=lambda row: row[1:3] if b % 2 else row[2:4])
        elif name == "sync":
            _faulty_sync(fake, sync, a, b, outcome)
    _settle(fake, sync, outcome)
    outcome.problems += differences(fake, store, STANDARD_KINDS)
    titles = Counter(t.title for t in store.tasks.list())
    outcome.problems += [f"{t!r} is in the store {n} times" for t, n in titles.items() if n > 1]
    outcome.problems += [f"{t!r} was lost" for t in sorted(added - deleted - set(titles))]
    outcome.problems += [f"{t!r} came from nowhere" for t in sorted(set(titles) - added)]


def _faulty_sync(fake: FakeSheetsServer, sync: SheetsSync, a: int, b: int, outcome: Outcome) -> None:
    rng = random.Random(a * 1000 + b)
    fake.faults = Faults(
        share_429=rng.choice((0.0, 0.1, 0.3)),
        share_500=rng.choice((0.0, 0.1)),
        share_dropped=rng.choice((0.0, 0.0, 0.15)),
        rng=rng,
    )
    crash_at = CRASH_POINTS[b % len(CRASH_POINTS)]
    if a % 3 == 0:  # another person edits a cell or adds a row while this run is under way
        fake.edits_before.setdefault(fake.requests_seen + 1 + b % 3, []).append(_other_person(b))

    def checkpoint(step: str) -> None:
        if step == crash_at:
            raise CutOffError(step)

    sync.checkpoint = checkpoint
    outcome.runs += 1
    try:
        sync.run()
    except (NargisError, CutOffError):
        outcome.failed_runs += 1
    finally:
        sync.checkpoint = lambda _step: None
        fake.faults = Faults()


def _other_person(b: int) -> Any:
    def edit(fake: FakeSheetsServer) -> None:
        rows = fake.values("Tasks")
        if b % 2 and len(rows) > 1:
            fake.set_cell("Tasks", 2 + b % (len(rows) - 1), 4, ["high", "low", ""][b % 3])
        # Adding a row while a run is under way is covered by "sheet-add" between runs: a title
        # added here would not be tracked as added.

    return edit


def _settle(fake: FakeSheetsServer, sync: SheetsSync, outcome: Outcome) -> None:
    """Runs without faults until one has nothing left to do, as the person's next syncs would."""
    fake.edits_before.clear()
    for _ in range(MAX_SETTLING_RUNS):
        outcome.runs += 1
        result = sync.run()
        if result.rows_written == 0 and result.applied_here == 0:
            return
    outcome.problems.append(f"still not settled after {MAX_SETTLING_RUNS} clean runs")
