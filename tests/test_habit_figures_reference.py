"""Habit figures agree with the data: the real paths against a plain reference model (tests/helpers).

Random habits, schedules and histories — including check-ins from before the habit was
created (imported history) — go into a real SQLCipher store; the figures read back through
DuckDB (`stats --json`, the app) and through the store (the CLI's `habit` lines, the
assistant's replies) must equal the model's: streak, best streak, 7/30/365-day rates, score.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.services.insights import Insights
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from tests.helpers.habit_reference import Figures, PlainSchedule, figures

TODAY = date(2026, 11, 25)

schedules = st.one_of(
    st.builds(PlainSchedule, kind=st.just("daily"), interval=st.integers(1, 4)),
    st.builds(
        PlainSchedule,
        kind=st.just("weekly"),
        interval=st.integers(1, 3),
        weekdays=st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s))),
    ),
    st.builds(PlainSchedule, kind=st.just("monthly"), month_day=st.sampled_from([1, 5, 15, 28, -1])),
    st.builds(PlainSchedule, kind=st.just("per_week"), per_week=st.integers(1, 7)),
)


@st.composite
def habits(draw: st.DrawFn) -> dict[str, object]:
    created_days_ago = draw(st.integers(0, 400))
    start_offset = draw(st.integers(-60, 10))  # an explicit start before (or a little after) creation
    history = draw(st.sets(st.integers(0, 500), max_size=120))  # days ago; may reach before creation
    target = draw(st.one_of(st.none(), st.sampled_from([1.0, 5.0, 8.0])))
    values = draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from([0.5, 3.0, 8.0, 10.0])), min_size=len(history), max_size=len(history)
        )
    )
    today = TODAY + timedelta(days=draw(st.integers(0, 6)))  # any weekday
    created = today - timedelta(days=created_days_ago)
    return {
        "schedule": draw(schedules),
        "created": created,
        "start": created + timedelta(days=start_offset),
        "checkins": [(today - timedelta(days=n), v) for n, v in zip(sorted(history), values, strict=True)],
        "target": target,
        "today": today,
    }


@pytest.fixture
def store(tmp_path: Path, key: bytes) -> Iterator[Store]:
    opened = Store.open(tmp_path / "reference.db", key)
    yield opened
    opened.close()


@pytest.fixture
def insights(store: Store) -> Iterator[Insights]:
    """One for all examples, as the app keeps one: each report catches up through the change log."""
    kept = Insights(store)
    yield kept
    kept.close()


def put(store: Store, example: dict[str, object], number: int) -> Habit:
    """The habit and its history written as an import leaves them: check-ins before creation kept as they are."""
    schedule = example["schedule"]
    assert isinstance(schedule, PlainSchedule)
    created = example["created"]
    assert isinstance(created, date)
    habit = Habit(
        name=f"Habit {number}",
        start=example["start"],  # type: ignore[arg-type]
        created_at=datetime.combine(created, datetime.min.time()),
        schedule=Schedule.parse(schedule.text()),
        target=example["target"],  # type: ignore[arg-type]
    )
    with store.transaction():
        store.habits.add(habit)
        for day, value in example["checkins"]:  # type: ignore[attr-defined]
            store.checkins.add(CheckIn(habit.id, day, habit.created_at, value=value))
    return habit


def expected(example: dict[str, object]) -> Figures:
    return figures(
        example["schedule"],  # type: ignore[arg-type]
        example["start"],  # type: ignore[arg-type]
        example["created"],  # type: ignore[arg-type]
        example["checkins"],  # type: ignore[arg-type]
        example["target"],  # type: ignore[arg-type]
        example["today"],  # type: ignore[arg-type]
    )


def differences(model: Figures, report: dict[str, object], streak_line: tuple[int, int, str]) -> list[str]:
    found = []
    streak = report["streak"]
    assert isinstance(streak, dict)
    if (streak["current"], streak["best"], streak["unit"]) != (model.streak, model.best, model.unit):
        found.append(f"DuckDB streak {streak} != model {model.streak}/{model.best} {model.unit}")
    if streak_line != (model.streak, model.best, model.unit):
        found.append(f"store streak {streak_line} != model {model.streak}/{model.best} {model.unit}")
    rates = report["completion_rate"]
    assert isinstance(rates, dict)
    for days, rate in model.rates.items():
        if abs(rates[f"{days}_days"] - rate) > 1e-4:
            found.append(f"{days}-day rate {rates[f'{days}_days']} != model {rate}")
    score = report["score"]
    assert isinstance(score, float)
    if abs(score - model.score) > 2e-4:
        found.append(f"score {score} != model {model.score}")
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(example=habits())
def test_streaks_rates_and_scores_match_the_plain_model(
    store: Store, insights: Insights, example: dict[str, object]
) -> None:
    number = store.habits.count() + 1
    habit = put(store, example, number)
    today = example["today"]
    assert isinstance(today, date)
    now = datetime.combine(today, datetime.min.time()).replace(hour=12)
    report = insights.habit_report(habit, now)
    line = PersonalData(store).streak(habit, today)
    found = differences(expected(example), report, (line.current, line.best, line.unit))
    assert not found, f"{example}: " + "; ".join(found)


def test_an_imported_daily_habit_keeps_its_history_and_its_figures_agree(tmp_path: Path) -> None:
    """The issue's case: check-ins on six of the last seven days, imported into a new profile."""
    import os
    import subprocess
    import sys

    nargis = str(Path(sys.executable).parent / "nargis")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(tmp_path / "home"),
        NARGIS_PASSPHRASE="pw",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    days = [TODAY - timedelta(days=n) for n in (1, 2, 3, 4, 5, 7)]
    snapshot = {
        "habits": [{"id": "h" * 32, "name": "Stretch", "schedule": "FREQ=DAILY"}],
        "checkins": [{"id": f"{n:032d}", "habit": "Stretch", "date": d.isoformat()} for n, d in enumerate(days)],
    }
    (tmp_path / "in.json").write_text(json.dumps(snapshot))

    def run(*args: str) -> str:
        done = subprocess.run([nargis, *args], capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("import", str(tmp_path / "in.json"), "--now", "2026-11-25T10:00")
    report = json.loads(run("stats", "--json", "--now", "2026-11-25T10:00"))["habits"][0]
    assert report["streak"] == {"current": 5, "best": 5, "unit": "day"}
    assert report["completion_rate"]["7_days"] == round(6 / 7, 4)
    assert report["effective_start"] == days[-1].isoformat()
    assert "streak 5 days (best 5)" in run("habit", "list", "--now", "2026-11-25T10:00")
    checked = run("habit", "check", "stretch", "--day", "yesterday", "--now", "2026-11-25T10:00")
    assert "streak 5 days" in checked
    detail = run("stats", "habit", "stretch", "--now", "2026-11-25T10:00")
    assert "every day" in detail and "FREQ" not in detail and "5 days" in detail
