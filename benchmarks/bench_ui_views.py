"""The window under use: the longest main-thread stall while cycling every view, launch to window,
and Enter in quick add until the task is on screen.

Each run is a fresh process (`python -m benchmarks.bench_ui_views --drive …`) that prints one JSON
line, so a freeze is a timeout here rather than a hung benchmark; the freeze regression test in
tests/test_ui_freeze.py drives the same process under Xvfb with a window manager.

Run: .venv/bin/python -m benchmarks.bench_ui_views   (on Xvfb + openbox when both are installed,
else offscreen). The machine is shared: quote medians, and expect noise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

NOW = datetime(2026, 11, 25, 9, 30)
TARGET_STALL_MS = 100


def wait_until(done: Callable[[], bool], timeout_s: float) -> bool:
    """Run the Qt event loop until `done()` or the timeout (no processEvents() spinning)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    check = QTimer()
    check.timeout.connect(lambda: loop.quit() if done() or time.perf_counter() > deadline else None)
    check.start(2)
    loop.exec()
    check.stop()
    return done()


class PaintCounter:
    """Counts paint events reaching the window or any of its children: proof that it repaints."""

    def __init__(self, window: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        counter = self

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self.filter = Filter()
        window.stack.installEventFilter(self.filter)
        window.nav.viewport().installEventFilter(self.filter)


def drive(home: Path, cycles: int, seed_year: bool, spawned_at: float) -> dict[str, Any]:
    """In the driven process: open, show, cycle the views with Ctrl+1…7, then quick-add tasks."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.app import open_profile
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.main_window import VIEWS, MainWindow

    paths = ProfilePaths(data_dir=home / "data", config_dir=home / "config", cache_dir=home / "cache")
    if seed_year:
        from benchmarks.bench_insights_view import seed

        seeding = open_profile(paths, NoSecretStore(), prompt=lambda _c: "bench")
        seed(seeding.data, random.Random(1))
        seeding.close()
        return {"seeded": True}
    app = QApplication.instance() or QApplication([])
    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "bench")
    opened_at = time.time()
    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    paints = PaintCounter(window)
    window.show()
    today = window.pages["today"]
    wait_until(lambda: paints.count > 0 and not today.loading, 30)
    launch_ms = (time.time() - spawned_at) * 1000
    window_ms = (time.time() - opened_at) * 1000
    watchdog = window.features.watchdog
    watchdog.reset()
    switches, not_repainted = [], 0
    by_view: dict[str, list[float]] = {view: [] for view in VIEWS}
    warm_stall_ms = first_own_ms = 0.0
    for cycle in range(cycles):
        if cycle == 1:  # after every view was shown once (first imports, first reads)
            warm_stall_ms, watchdog.longest_ms = watchdog.longest_ms, 0.0
            first_own_ms, watchdog.longest_own_ms = watchdog.longest_own_ms, 0.0
        for index in [*range(1, len(VIEWS)), 0]:  # every view, back to Today: each switch changes the view
            before, started = paints.count, time.perf_counter()
            QTest.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
            page = window.pages[VIEWS[index]]
            if not wait_until(lambda p=page, b=before: not p.loading and paints.count > b, 20):  # type: ignore[misc]
                not_repainted += 1
            switches.append((time.perf_counter() - started) * 1000)
            by_view[VIEWS[index]].append(switches[-1])
    warm_stall_ms, cycling_stall_ms = watchdog.longest_ms, max(watchdog.longest_ms, warm_stall_ms)
    add_ms = []
    window.select("tasks")
    tasks = window.pages["tasks"]
    wait_until(lambda: not tasks.loading, 20)
    for n in range(7):
        title = f"Quick task {n}"
        tasks.quick.setText(f"{title} tomorrow")
        started = time.perf_counter()
        QTest.keyClick(tasks.quick, Qt.Key.Key_Return)
        shown = wait_until(
            lambda t=title: any(tasks.table.item(r, 0).text() == t for r in range(tasks.table.rowCount())),  # type: ignore[misc]
            10,
        )
        add_ms.append((time.perf_counter() - started) * 1000 if shown else float("inf"))
    window.close()
    profile.close()
    del app
    return {
        "platform": os.environ.get("QT_QPA_PLATFORM", "xcb"),
        "views_switched": len(switches),
        "not_repainted": not_repainted,
        "longest_stall_ms": round(cycling_stall_ms, 1),
        "longest_stall_after_first_round_ms": round(warm_stall_ms, 1),
        # the same, less the time the kernel kept the main thread waiting for a CPU (a busy machine)
        "longest_stall_less_cpu_wait_ms": round(max(watchdog.longest_own_ms, first_own_ms), 1),
        "stalls_over_250_ms": len(watchdog.stalls),
        "switch_median_ms": round(statistics.median(switches), 1),
        "switch_median_ms_by_view": {v: round(statistics.median(t), 1) for v, t in by_view.items() if t},
        "launch_to_window_ms": round(launch_ms, 1),  # process start to the Today view painted
        "window_to_today_shown_ms": round(window_ms, 1),
        "quick_add_median_ms": round(statistics.median(add_ms), 1),
        "quick_add_max_ms": round(max(add_ms), 1),
    }


@contextmanager
def x_display() -> Iterator[dict[str, str]]:
    """Xvfb with openbox (a real window manager, as a person's desktop has), else offscreen."""
    if shutil.which("Xvfb") is None:
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = f":{pipe.readline().strip()}"
    manager = None
    if shutil.which("openbox"):
        manager = subprocess.Popen(
            ["openbox"], env={**os.environ, "DISPLAY": display}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    try:
        yield {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait()


def run_driven(env_extra: dict[str, str], cycles: int, seed_year: bool, timeout_s: float) -> dict[str, Any]:
    """One driven process (after another one that seeds a year of data, if asked); a freeze shows
    as {"frozen": true} after `timeout_s`."""
    with tempfile.TemporaryDirectory(prefix="nargis-views-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_") and k != "QT_QPA_PLATFORM"}
        env.update(env_extra)
        command = [sys.executable, "-m", "benchmarks.bench_ui_views", "--drive", home, "--cycles", str(cycles)]
        steps = [[*command, "--year"]] if seed_year else []
        steps.append(command)
        figures: dict[str, Any] = {}
        for step in steps:
            try:
                result = subprocess.run(
                    [*step, "--spawned-at", str(time.time())],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=timeout_s,
                    check=False,
                    cwd=Path(__file__).resolve().parent.parent,
                )
            except subprocess.TimeoutExpired as err:
                return {"frozen": True, "stderr": (err.stderr or b"")[-3000:]}
            if result.returncode != 0:
                return {"failed": result.returncode, "stderr": result.stderr[-3000:]}
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            figures["stderr"] = result.stderr[-3000:]
        return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drive", type=Path, help="(internal) drive the window on the profile in this folder")
    parser.add_argument("--cycles", type=int, default=50, help="rounds through every view")
    parser.add_argument("--year", action="store_true", help="(internal, with --drive) seed a year of data and exit")
    parser.add_argument("--spawned-at", type=float, default=0.0, help="(internal) when the parent started this process")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes to take the median over")
    args = parser.parse_args()
    if args.drive is not None:
        print(json.dumps(drive(args.drive, args.cycles, args.year, args.spawned_at or time.time())))
        return
    with x_display() as env:
        runs = [run_driven(env, args.cycles, True, 900) for _ in range(args.runs)]
    for run in runs:
        run.pop("stderr", None)
    keys = (
        "longest_stall_ms",
        "longest_stall_less_cpu_wait_ms",
        "longest_stall_after_first_round_ms",
        "launch_to_window_ms",
        "quick_add_median_ms",
        "switch_median_ms",
    )
    summary = {f"median_{k}": statistics.median(r[k] for r in runs) for k in keys if all(k in r for r in runs)}
    load = dict(zip(("load_1_min", "load_5_min", "load_15_min"), os.getloadavg(), strict=True))
    print(json.dumps({"runs": runs, **summary, "target_stall_ms": TARGET_STALL_MS, **load}, indent=2))


if __name__ == "__main__":
    main()
