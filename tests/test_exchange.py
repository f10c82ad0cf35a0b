from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from nargis_desktop.domain.tasks import Priority
from nargis_desktop.errors import ImportFileError
from nargis_desktop.exchange.json_format import Snapshot, snapshot_to_json
from nargis_desktop.exchange.json_import import read_snapshot, write_snapshot
from nargis_desktop.exchange.text_formats import to_ics, to_markdown, write_csv_folder
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from tests.moments import NOW


def fill(store: Store) -> None:
    data = PersonalData(store)
    data.add_task("Call mom", NOW, due=datetime(2026, 11, 26, 17, 0), priority=Priority.HIGH, tags=["family"])
    data.add_task("Water plants", NOW, due=date(2026, 11, 24), recurrence="FREQ=WEEKLY", notes="the ficus too")
    done = data.add_task("Old thing", NOW)
    data.complete_task(done, NOW)
    gone = data.add_task("Deleted thing", NOW)
    store.tasks.delete(gone.id)
    run = data.add_habit("Run", NOW, schedule="3 times per week", target=5, unit="km")
    for days in (1, 2, 4):
        data.check_in(run, NOW.date() - timedelta(days=days), NOW, value=5.5)
    entry = data.add_journal("First draft", NOW, mood=4)
    data.edit_journal(entry, "Second draft, with ünïcode ✓", NOW + timedelta(hours=1))
    data.add_reminder("Stretch", NOW + timedelta(minutes=20), NOW, recurrence="FREQ=DAILY")
    data.snooze_reminder(data.add_reminder("Bins out", NOW, NOW), 10, NOW)


def exported(store: Store) -> dict[str, object]:
    return snapshot_to_json(Snapshot.of(store), NOW)


def test_the_json_export_follows_the_contract(store: Store) -> None:
    fill(store)
    data = exported(store)
    assert {"tasks", "habits", "checkins", "journal", "reminders"} <= set(data)
    tasks = {t["title"]: t for t in data["tasks"]}  # type: ignore[attr-defined]
    assert "Deleted thing" not in tasks
    assert tasks["Call mom"]["due"] == "2026-11-26T17:00:00" and tasks["Call mom"]["priority"] == "high"
    assert tasks["Water plants"]["due"] == "2026-11-24" and tasks["Water plants"]["priority"] is None
    assert tasks["Water plants"]["recurrence"] == "FREQ=WEEKLY"
    assert tasks["Old thing"]["done"] is True
    assert data["checkins"][0]["habit"] == "Run"  # type: ignore[index]
    assert data["habits"][0]["schedule"] == "3 times per week"  # type: ignore[index]
    assert {"id", "text", "created_at", "mood"} <= set(data["journal"][0])  # type: ignore[index]
    assert {"id", "text", "at", "recurrence", "done"} <= set(data["reminders"][0])  # type: ignore[index]


def test_export_then_import_into_a_new_store_round_trips(tmp_path: Path, store: Store, key: bytes) -> None:
    fill(store)
    first = exported(store)
    (tmp_path / "export.json").write_text(json.dumps(first))
    with Store.open(tmp_path / "fresh.db", key) as fresh:
        write_snapshot(fresh, read_snapshot(tmp_path / "export.json", NOW))
        assert exported(fresh) == first


def test_importing_the_same_file_twice_adds_nothing(tmp_path: Path, store: Store) -> None:
    fill(store)
    first = exported(store)
    (tmp_path / "export.json").write_text(json.dumps(first))
    write_snapshot(store, read_snapshot(tmp_path / "export.json", NOW))
    assert exported(store) == first


def test_a_malformed_import_names_the_field_and_imports_nothing(tmp_path: Path, store: Store) -> None:
    bad = {
        "tasks": [{"id": "a" * 32, "title": "fine"}, {"id": "b" * 32, "title": "bad date", "due": "next blursday"}],
        "habits": [],
        "checkins": [{"id": "c" * 32, "habit": "Nope", "date": "2026-11-01"}],
        "journal": [],
        "reminders": [],
    }
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(ImportFileError) as caught:
        read_snapshot(tmp_path / "bad.json", NOW)
    assert "tasks[1].due" in caught.value.message and "checkins[0].habit" in caught.value.message
    assert store.tasks.count() == 0


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{\n  "tasks": [\n    {"id": 1,,}\n]}')
    with pytest.raises(ImportFileError, match="line 3"):
        read_snapshot(tmp_path / "broken.json", NOW)


def test_csv_markdown_and_ics_exports(tmp_path: Path, store: Store) -> None:
    fill(store)
    snapshot = Snapshot.of(store)
    files = write_csv_folder(snapshot, tmp_path / "csv", NOW)
    assert "Call mom" in (tmp_path / "csv" / "tasks.csv").read_text() and len(files) == 5
    markdown = to_markdown(snapshot, NOW)
    assert "- [ ] Call mom" in markdown and "Second draft" in markdown
    from icalendar import Calendar

    calendar = Calendar.from_ical(to_ics(snapshot, NOW))
    todos = [c for c in calendar.walk("VTODO")]
    events = [c for c in calendar.walk("VEVENT")]
    assert {str(t["summary"]) for t in todos} == {"Call mom", "Water plants", "Old thing"}
    assert any(e.get("rrule") for e in events)
