"""A writer killed with SIGKILL at random moments loses no acknowledged write and no item is half-written."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from nargis_desktop.store.database import Store

KILLS = 50


def run_and_kill(path: Path, key: bytes, round_no: int, rng: random.Random) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.writer", str(path), key.hex(), str(round_no)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    acknowledged = []
    # Let it write a random number of items, then kill it wherever it is.
    for _ in range(rng.randint(0, 25)):
        acknowledged.append(child.stdout.readline().strip())
    child.kill()
    child.wait()
    # Lines already printed before the kill were acknowledged too.
    acknowledged += [line.strip() for line in child.stdout.read().splitlines() if line.strip()]
    return acknowledged


def test_sigkill_during_writes_loses_nothing_acknowledged(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "s.db"
    Store.open(path, key).close()
    rng = random.Random(1234)
    acknowledged: list[str] = []
    for round_no in range(KILLS):
        acknowledged += run_and_kill(path, key, round_no, rng)
    with Store.open(path, key) as store:
        assert store.integrity_problems() == []
        ids = store.tasks.ids()
        assert set(acknowledged) <= ids
        completions = {r[0] for r in store.conn.execute("SELECT task_id FROM task_completions")}
        assert completions == ids, "a task without its completion (or the reverse) was half-written"
        logged = {r[0] for r in store.conn.execute("SELECT entity_id FROM changes WHERE entity = 'task'")}
        assert logged == ids
        for (fields,) in store.conn.execute("SELECT fields FROM changes WHERE entity = 'task'"):
            json.loads(fields)
    assert len(acknowledged) > KILLS
