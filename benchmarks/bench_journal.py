"""Journal search and the week summary, cold from the command line (issue 16, item 5: ≤ 1 s).

A profile with a year of journal entries (one a day, the last week included) is made once and its
search index built; then each command runs as a fresh process, as a person would type it, with the
store key from the keyring (a file-backed keyring for the benchmark) and again with a passphrase
(Argon2id on every start). `nargis task list` runs in the same loop as the floor every command pays.

    python -m benchmarks.bench_journal [--runs 7] [--entries 365]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

NARGIS = str(Path(os.environ.get("VIRTUAL_ENV", Path(__file__).parent.parent / ".venv")) / "bin" / "nargis")
ROOT = Path(__file__).parent.parent
_PLACES = ("the park", "the office", "my sister's", "the gym", "the market", "the river", "home", "the library")
_FEELINGS = ("calm", "tired", "happy", "stressed", "grateful", "restless", "proud", "bored")
_THINGS = (
    "Went for a run at {p} and felt {f}.",
    "Long day at {p}; I felt {f} by the evening.",
    "Cooked dinner after a visit to {p}, feeling {f}.",
    "Read for an hour at {p}. Quite {f} today.",
    "Argued about money on the way to {p}, and stayed {f} for hours.",
)
COMMANDS = {
    "task_list": ["task", "list"],
    "journal_search": ["journal", "search", "an argument about money"],
    "journal_summary": ["journal", "summary"],
}


def make_profile(home: Path, env: dict[str, str], entries: int) -> None:
    subprocess.run([NARGIS, "task", "add", "warm up"], env=env, check=True, capture_output=True)
    script = f"""
import random
from datetime import datetime, timedelta
from nargis_desktop.app import open_profile
profile = open_profile()
rng = random.Random(16)
now = datetime.now()
for day in range({entries}):
    text = rng.choice({_THINGS!r}).format(p=rng.choice({_PLACES!r}), f=rng.choice({_FEELINGS!r}))
    profile.data.add_journal(text, now - timedelta(days=day, hours=1))
profile.data.journal_search().update()  # the index is built once, as the first search does
profile.close()
"""
    subprocess.run([str(Path(NARGIS).parent / "python"), "-c", script], env=env, check=True, cwd=ROOT)


def cold_runs(env: dict[str, str], runs: int) -> dict[str, float]:
    """Median wall time of each command as a fresh process, the commands interleaved run by run."""
    timings: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, args in COMMANDS.items():
            started = time.perf_counter()
            subprocess.run([NARGIS, *args], env=env, check=True, capture_output=True)
            timings[name].append(time.perf_counter() - started)
    return {f"{name}_ms": round(statistics.median(t) * 1000) for name, t in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=365)
    options = parser.parse_args()
    # An installed package has its bytecode compiled (pip and the bundle do it): so do we here.
    base = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_") and k != "PYTHONDONTWRITEBYTECODE"}
    results: dict[str, object] = {"entries": options.entries, "runs": options.runs}
    with tempfile.TemporaryDirectory() as folder:
        ring = {
            **base,
            "NARGIS_HOME": str(Path(folder) / "ring"),
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "benchmarks.env_keyring.FileKeyringForBenchmarks",
            "BENCH_KEYRING_FILE": str(Path(folder) / "keyring.json"),
        }
        passphrase = {
            **base,
            "NARGIS_HOME": str(Path(folder) / "pass"),
            "NARGIS_PASSPHRASE": "bench",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        for name, env in (("keyring", ring), ("passphrase", passphrase)):
            make_profile(Path(env["NARGIS_HOME"]), env, options.entries)
            results[name] = cold_runs(env, options.runs)
    results["load_average_1min"] = round(os.getloadavg()[0], 2)
    results["measured_at"] = datetime.now().isoformat(timespec="seconds")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
