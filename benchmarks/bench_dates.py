"""Dates and figures a person can trust: the phrase table per entry point, and the habit reference check.

1. Every phrase of tests/time_phrases.py at every reference clock, through the grammar, the CLI's
   `reminder add --at`, the assistant ("remind me to take my pills …") and the app's command box,
   and as a task's due date through `task add --due` and the assistant ("add a task to pay the
   bill …"): how many cases each entry point stores (or refuses) exactly as the grammar reads them.
2. Random habits, schedules and histories (with check-ins from before creation) written to a
   real store; the DuckDB figures and the store's streak compared with the plain reference model
   in tests/helpers/habit_reference.py: examples run and mismatches.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_dates [--examples 1000]
(~2 minutes on 2 cores; the machine is shared, so the timings are noisy: medians are quoted).
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.services.insights import Insights
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from tests.helpers.habit_reference import PlainSchedule
from tests.test_habit_figures_reference import differences, expected, put
from tests.test_time_entry_points import (
    due_reading,
    grammar,
    in_zone,
    newest_task_due,
    task_due_through_cli,
    through_assistant,
    through_cli,
)
from tests.time_phrases import CLOCKS, PHRASES


def phrase_table(profile: Profile) -> dict[str, Any]:
    entry_points: dict[str, Callable[[str, datetime], datetime | str]] = {
        "cli --at": lambda phrase, now: through_cli(profile, phrase, now),
    }
    assistant = Assistant(profile.data)
    entry_points["assistant"] = lambda phrase, now: through_assistant(
        lambda text: assistant.handle(text, now), profile, phrase
    )
    app = _app_window(profile)
    if app is not None:
        window, clock = app

        def through_app(phrase: str, now: datetime) -> datetime | str:
            clock[0] = now
            return through_assistant(window.act, profile, phrase)

        entry_points["app"] = through_app
    due_points: dict[str, Callable[[str, datetime], Any]] = {
        "cli --due": lambda phrase, now: task_due_through_cli(profile, phrase, now),
    }

    def task_through_assistant(phrase: str, now: datetime) -> Any:
        assistant.handle(f"add a task to pay the bill {phrase}", now)
        return newest_task_due(profile)

    due_points["assistant (task)"] = task_through_assistant
    agreed = dict.fromkeys([*entry_points, *due_points], 0)
    refused = 0
    parse_us: list[float] = []
    for _name, now, zone in CLOCKS:
        with in_zone(zone):
            for phrase in PHRASES:
                started = time.perf_counter()
                reading = grammar(phrase, now)
                parse_us.append((time.perf_counter() - started) * 1e6)
                refused += reading == "refused"
                for name, entry in entry_points.items():
                    agreed[name] += entry(phrase, now) == reading
                due = due_reading(phrase, now)
                for name, entry in due_points.items():
                    agreed[name] += entry(phrase, now) == due
    cases = len(PHRASES) * len(CLOCKS)
    return {
        "phrases": len(PHRASES),
        "clocks": len(CLOCKS),
        "cases": cases,
        "refused_by_the_grammar": refused,
        "agreement": {name: f"{count}/{cases} ({count / cases:.1%})" for name, count in agreed.items()},
        "grammar_parse_median_us": round(statistics.median(parse_us), 1),
    }


def _app_window(profile: Profile) -> tuple[Any, list[datetime]] | None:
    try:
        from PySide6.QtWidgets import QApplication

        from nargis_desktop.ui.main_window import MainWindow
    except ImportError:
        return None
    _app = QApplication.instance() or QApplication([])
    clock = [CLOCKS[0][1]]
    return MainWindow(profile, lambda: clock[0], Assistant(profile.data), None), clock


def random_example(rng: random.Random) -> dict[str, object]:
    kind = rng.choice(["daily", "weekly", "monthly", "per_week"])
    schedule = {
        "daily": lambda: PlainSchedule("daily", interval=rng.randint(1, 4)),
        "weekly": lambda: PlainSchedule(
            "weekly", interval=rng.randint(1, 3), weekdays=tuple(sorted(rng.sample(range(7), rng.randint(1, 7))))
        ),
        "monthly": lambda: PlainSchedule("monthly", month_day=rng.choice([1, 5, 15, 28, -1])),
        "per_week": lambda: PlainSchedule("per_week", per_week=rng.randint(1, 7)),
    }[kind]()
    today = date(2026, 11, 25) + timedelta(days=rng.randrange(7))
    created = today - timedelta(days=rng.randrange(401))
    history = sorted(rng.sample(range(501), rng.randrange(121)))
    target = rng.choice([None, None, 1.0, 5.0, 8.0])
    return {
        "schedule": schedule,
        "created": created,
        "start": created + timedelta(days=rng.randint(-60, 10)),
        "checkins": [(today - timedelta(days=n), rng.choice([None, 0.5, 3.0, 8.0, 10.0])) for n in history],
        "target": target,
        "today": today,
    }


def habit_reference(store: Store, examples: int) -> dict[str, Any]:
    rng = random.Random(16)
    mismatches: list[str] = []
    seconds: list[float] = []
    insights = Insights(store)  # one, as the app keeps: each report catches up through the change log
    for number in range(1, examples + 1):
        example = random_example(rng)
        habit = put(store, example, number)
        today = example["today"]
        assert isinstance(today, date)
        now = datetime.combine(today, datetime.min.time()).replace(hour=12)
        started = time.perf_counter()
        report = insights.habit_report(habit, now)
        line = PersonalData(store).streak(habit, today)
        seconds.append(time.perf_counter() - started)
        found = differences(expected(example), report, (line.current, line.best, line.unit))
        if found:
            mismatches.append(f"{example}: {found}")
    insights.close()
    return {
        "examples": examples,
        "mismatches": len(mismatches),
        "first_mismatches": mismatches[:3],
        "report_median_ms": round(statistics.median(seconds) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=1000, help="Random habits for the reference check.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache")
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _confirm: "pw")
        try:
            print("phrase table:", phrase_table(profile), flush=True)
        finally:
            profile.close()
        store = Store.open(root / "reference.db", secrets.token_bytes(32))
        try:
            print("habit reference:", habit_reference(store, args.examples))
        finally:
            store.close()


if __name__ == "__main__":
    main()
