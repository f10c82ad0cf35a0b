"""The fast tests' wall time: `pytest -m "not slow"` as README's command runs it (issue 20: under 2 minutes).

Run: .venv/bin/python -m benchmarks.bench_tests [--runs 3] [--workers 2|0] [--all]
(prints each run's wall time with the load average before it, the median, and the 10 slowest tests;
--workers 0 runs in one process, --all runs the slow tests too). The machine is shared: quote the load.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run_once(workers: int, everything: bool) -> tuple[float, str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=10"]
    command += [] if everything else ["-m", "not slow"]
    command += ["-n", str(workers)] if workers else []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NARGIS_REQUIRE_POSTGRES": "1"}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"pytest failed (exit {done.returncode}):\n{done.stdout[-3000:]}")
    return wall, done.stdout


def slowest(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^\d+\.\d+s (call|setup|teardown) ", line)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers; 0 runs in one process")
    parser.add_argument("--all", action="store_true", help="the slow tests too")
    options = parser.parse_args()
    walls, output = [], ""
    for run in range(1, options.runs + 1):
        before = load_average()
        wall, output = run_once(options.workers, options.all)
        walls.append(wall)
        print(f"run {run}: {wall:6.1f} s   load average before: {before}   after: {load_average()}")
    summary = next((line for line in reversed(output.splitlines()) if " passed" in line), "")
    print(f"median: {statistics.median(walls):.1f} s over {len(walls)} runs ({summary.strip('= ')})")
    print("slowest tests of the last run:")
    for line in slowest(output):
        print("  " + line)


if __name__ == "__main__":
    main()
