"""Insights view figures: the read on the store worker (cold and warm) and the fill on the main thread.

A year of data: 8 habits checked most days, 1,000 completed tasks, 500 journal entries with moods.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_insights_view
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from nargis_desktop.app import open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.services.personal_data import PersonalData

NOW = datetime(2026, 11, 25, 9, 30)
SCHEDULES = ("daily", "weekdays", "mon,wed,fri", "3 times per week")


def seed(data: PersonalData, rng: random.Random) -> None:
    today = NOW.date()
    for n in range(8):
        habit = data.add_habit(
            f"Habit {n}", NOW - timedelta(days=365), schedule=SCHEDULES[n % 4], start=today - timedelta(days=365)
        )
        for days_ago in range(1, 366):
            if rng.random() < 0.7:
                data.check_in(habit, today - timedelta(days=days_ago), NOW)
    for n in range(1000):
        done_at = NOW - timedelta(hours=rng.randint(1, 24 * 365))
        task = data.add_task(f"Task {n}", done_at - timedelta(days=2), due=(done_at + timedelta(days=1)).date())
        data.complete_task(task, done_at)
    for n in range(500):
        data.add_journal(f"Entry {n}: a calm walk, then a long tiring day.", NOW - timedelta(hours=17 * n), mood=3)


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return round((time.perf_counter() - started) * 1000, 1)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.services.insight_series import insights_view
    from nargis_desktop.ui.insights_page import InsightsPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="nargis-bench-") as folder:
        root = Path(folder)
        paths = ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache")
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "bench")
        seed(profile.data, random.Random(1))
        views = []
        cold = timed(lambda: views.append(insights_view(profile.data, NOW)))
        warm = sorted(timed(lambda: views.append(insights_view(profile.data, NOW))) for _ in range(5))[2]
        page = InsightsPage(profile, lambda: NOW)
        page.resize(800, 900)
        fills = sorted(timed(lambda: page.fill(views[-1])) for _ in range(5))
        profile.close()
    del app
    figures = {"read_cold_ms": cold, "read_warm_median_ms": warm, "fill_median_ms": fills[2]}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
