"""DuckDB analytics: equal to the plain-Python reference on random data, caught up by the change log,
and never writing personal data to disk."""

from __future__ import annotations

import os
import tempfile
import time as time_module
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nargis_desktop.domain.insights import Completion, journal_stats, task_stats
from nargis_desktop.domain.streaks import done_days
from nargis_desktop.services.insights import Insights
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store import insight_queries
from nargis_desktop.store.analytics import Analytics
from nargis_desktop.store.codecs import parse_datetime, parse_iso
from nargis_desktop.store.database import Store

NOW = datetime(2026, 11, 25, 18, 30)
SCHEDULES = ("daily", "every weekday", "3 times per week", "every 2 days")

habit_spec = st.tuples(st.sampled_from(SCHEDULES), st.sampled_from([None, 5.0]), st.integers(10, 500))
checkin_spec = st.tuples(st.integers(0, 2), st.integers(0, 400), st.sampled_from([None, 2.0, 5.0, 8.0]))
task_spec = st.tuples(
    st.one_of(st.none(), st.integers(-60, 20)),  # due: days from today
    st.booleans(),  # the due has a time of day
    st.one_of(st.none(), st.integers(0, 400)),  # completed this many days ago
    st.integers(0, 23),  # hour of completion / due
)
journal_spec = st.tuples(
    st.integers(0, 60),
    st.integers(0, 23),
    st.sampled_from([None, 1, 2, 3, 4, 5]),
    st.text("ab ", min_size=1, max_size=30),
)


def fill(data: PersonalData, habits: list, checkins: list, tasks: list, entries: list) -> None:
    made = [
        data.add_habit(f"habit {i}", NOW, schedule=schedule, target=target, start=NOW.date() - timedelta(days=age))
        for i, (schedule, target, age) in enumerate(habits)
    ]
    for which, days_ago, value in checkins:
        if made:
            habit = data.store.habits.get(made[which % len(made)].id)
            data.check_in(habit, NOW.date() - timedelta(days=days_ago), NOW, value=value)
    for n, (due_in, timed, done_ago, hour) in enumerate(tasks):
        due = None
        if due_in is not None:
            day = NOW.date() + timedelta(days=due_in)
            due = datetime.combine(day, time(hour)) if timed else day
        task = data.add_task(f"task {n}", NOW - timedelta(days=500), due=due)
        if done_ago is not None:
            data.complete_task(task, datetime.combine(NOW.date() - timedelta(days=done_ago), time(hour, 15)))
    for days_ago, hour, mood, text in entries:
        if text.strip():
            data.add_journal(text, datetime.combine(NOW.date() - timedelta(days=days_ago), time(hour)), mood=mood)


def reference(store: Store) -> tuple[dict[str, set[date]], object, object]:
    checkins = store.checkins.list()
    done = {h.id: done_days(h, checkins) for h in store.habits.list()}
    completions = [
        Completion(parse_iso(due), parse_datetime(at))
        for due, at in store.conn.execute(
            "SELECT due, completed_at FROM task_completions WHERE deleted_at IS NULL AND completed_at >= ?",
            ((NOW - timedelta(days=365)).isoformat(),),
        )
    ]
    overdue = sum(1 for t in store.tasks.by_due() if t.is_overdue(NOW))
    return (
        {k: v for k, v in done.items() if v},
        task_stats(completions, overdue, NOW),
        journal_stats(store.journal.list(), NOW, weeks=8),
    )


def computed(analytics: Analytics) -> tuple[dict[str, set[date]], object, object]:
    return (
        dict(insight_queries.done_days(analytics)),
        insight_queries.task_stats(analytics, NOW),
        insight_queries.journal_stats(analytics, NOW, weeks=8),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.tuples(
        st.lists(habit_spec, max_size=3),
        st.lists(checkin_spec, max_size=40),
        st.lists(task_spec, max_size=25),
        st.lists(journal_spec, max_size=10),
    ),
    then=st.tuples(
        st.lists(checkin_spec, max_size=10),
        st.lists(task_spec, max_size=8),
        st.lists(journal_spec, max_size=4),
    ),
    delete_some=st.booleans(),
)
def test_duckdb_metrics_equal_the_python_reference_and_stay_equal_after_refreshes(
    tmp_path_factory: pytest.TempPathFactory, key: bytes, first: tuple, then: tuple, delete_some: bool
) -> None:
    store = Store.open(tmp_path_factory.mktemp("a") / "store.db", key)
    try:
        data = PersonalData(store)
        fill(data, *first)
        analytics = Analytics(store)
        assert computed(analytics) == reference(store)
        kept = Insights(store)  # lives through the changes below, caching per-habit numbers
        kept.overview(NOW)

        fill(data, [], *then)  # more check-ins, tasks and entries, caught up by `refresh`
        if delete_some:
            for habit in store.habits.list()[:1]:
                store.habits.delete(habit.id)  # a deleted habit's history leaves every metric
            for entry in store.journal.list()[:1]:
                store.journal.delete(entry.id)
            for completion in store.completions.list()[:1]:
                store.completions.delete(completion.id)  # an undone completion no longer counts
        analytics.refresh()
        assert computed(analytics) == reference(store)
        analytics.close()
        fresh = Insights(store)
        assert kept.overview(NOW) == fresh.overview(NOW)  # caught up, not stale
        kept.close()
        fresh.close()
    finally:
        store.close()


def test_empty_data_gives_zeros_and_no_data_never_errors(store: Store) -> None:
    report = Insights(store).overview(NOW)
    assert report["habits"] == []
    assert report["tasks"]["completed_last_7_days"] == 0
    assert report["tasks"]["on_time_rate"] is None
    assert report["tasks"]["completed_per_week"] == (0,) * 12
    assert report["journal"]["mood_per_week"] == (None,) * 4


def test_a_renamed_habit_keeps_its_history(store: Store) -> None:
    data = PersonalData(store)
    habit = data.add_habit("Run", NOW, start=NOW.date() - timedelta(days=10))
    for days_ago in range(5):
        data.check_in(habit, NOW.date() - timedelta(days=days_ago), NOW)
    insights = Insights(store)
    before = insights.overview(NOW)["habits"][0]
    data.store.habits.save(replace(data.store.habits.get(habit.id), name="Jog"))
    after = insights.overview(NOW)["habits"][0]
    assert after["habit"] == "Jog"
    assert {k: v for k, v in after.items() if k != "habit"} == {k: v for k, v in before.items() if k != "habit"}


def test_one_new_check_in_is_caught_up_without_reloading(store: Store) -> None:
    data = PersonalData(store)
    habit = data.add_habit("Read", NOW, start=NOW.date() - timedelta(days=3))
    insights = Insights(store)
    assert insights.overview(NOW)["habits"][0]["streak"]["current"] == 0
    analytics = insights.analytics()
    data.check_in(habit, NOW.date(), NOW)
    assert analytics.refresh() == 1
    assert insights.overview(NOW)["habits"][0]["streak"]["current"] == 1


CANARY = "zebra-canary-7f3a1c"


def _files_containing(folder: Path, needle: bytes, written_since: float = 0.0) -> list[Path]:
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            try:
                if path.stat().st_mtime >= written_since and needle in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def test_no_plaintext_journal_text_reaches_the_disk_during_analytics(
    tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nargis_desktop.services.journal_insights import JournalSearch
    from nargis_desktop.store.journal_index import JournalIndex

    monkeypatch.chdir(tmp_path)  # DuckDB's default spill folder is ./.tmp
    temp = Path(tempfile.gettempdir())
    started = time_module.time() - 1
    store = Store.open(tmp_path / "store.db", key)
    data = PersonalData(store)
    for n in range(200):
        data.add_journal(f"Entry {n} about the {CANARY} and a walk by the river", NOW - timedelta(hours=n), mood=3)
    Insights(store).overview(NOW)
    search = JournalSearch(store, JournalIndex(tmp_path / "journal-index.db", key), lambda: None, "none")
    assert search.search(CANARY, limit=3)  # keyword fallback without an embedder still finds them
    search.sentiment_per_week(NOW)
    search.close()
    store.close()
    assert _files_containing(tmp_path, CANARY.encode()) == []
    assert _files_containing(temp, CANARY.encode(), written_since=started) == []
