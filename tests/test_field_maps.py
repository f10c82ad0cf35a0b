"""Each kind of item has one field map; the store, the JSON and CSV exports, the import and the Sheets
layout all follow it, so a field added in one place only shows up here as a failure."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.journal import JournalEntry, Revision
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task
from nargis_desktop.exchange.json_format import FIELD_MAPS, Snapshot, snapshot_to_json
from nargis_desktop.exchange.json_import import read_snapshot
from nargis_desktop.exchange.text_formats import write_csv_folder
from nargis_desktop.store import codecs, fields
from nargis_desktop.store.database import Store
from nargis_desktop.store.fields import ENTITIES, Entity
from nargis_desktop.sync.sheets.cells import FALSE
from nargis_desktop.sync.sheets.layout import Kind, Lookups, kinds
from tests.moments import NOW

LATER = NOW + timedelta(hours=1)

# One item of each kind with every field away from its default, so each round trip below carries
# every field (a new field must be set here too: see the first test).
TASK = Task(
    title="Call mom",
    created_at=NOW,
    id="task1",
    notes="ring twice",
    due=datetime(2026, 11, 26, 17, 0),
    priority=Priority.HIGH,
    recurrence="FREQ=WEEKLY",
    tags=("family", "phone"),
    done=True,
    completed_at=LATER,
)
HABIT = Habit(
    name="Run",
    start=date(2026, 11, 1),
    created_at=NOW,
    id="habit1",
    schedule=Schedule.parse("3 times per week"),
    target=5.5,
    unit="km",
    archived=True,
)
CHECKIN = CheckIn(habit_id="habit1", day=date(2026, 11, 20), created_at=NOW, id="checkin1", value=4.5, note="windy")
JOURNAL = JournalEntry(text="Second draft", created_at=NOW, id="entry1", mood=4, history=(Revision("First", LATER),))
REMINDER = Reminder(
    text="Stretch",
    at=datetime(2026, 11, 25, 18, 0),
    created_at=NOW,
    id="reminder1",
    recurrence="FREQ=DAILY",
    snoozed_until=datetime(2026, 11, 25, 18, 10),
    done=True,
)
COMPLETION = TaskCompletion(task_id="task1", due=date(2026, 11, 24), completed_at=LATER, created_at=NOW, id="done1")
EXAMPLES: dict[str, Any] = {
    "task": TASK,
    "habit": HABIT,
    "checkin": CHECKIN,
    "journal": JOURNAL,
    "reminder": REMINDER,
    "completion": COMPLETION,
}
SNAPSHOT = Snapshot(
    tasks=[TASK], habits=[HABIT], checkins=[CHECKIN], journal=[JOURNAL], reminders=[REMINDER], completions=[COMPLETION]
)
BY_ENTITY = {entity.name: entity for entity in ENTITIES}


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.name)
def test_every_field_of_an_item_is_named_once_in_its_map(entity: Entity[Any]) -> None:
    attributes = [f.name for f in dataclasses.fields(entity.make)]
    mapped = [f.attr for f in entity.fields]
    assert sorted(mapped) == sorted(attributes), f"{entity.name}: the map and {entity.make.__name__} differ"
    for names in (entity.columns, [f.json_key for f in entity.fields], [f.sheet.header for f in entity.in_sheet]):
        assert len(set(names)) == len(names), f"{entity.name}: a name is used twice: {names}"
    positions = [f.sheet.position for f in entity.in_sheet]
    assert positions == list(range(1, len(positions) + 1)), f"{entity.name}: Sheets positions {positions}"
    assert set(entity.csv_columns) <= {f.json_key for f in entity.exported}
    example = EXAMPLES[entity.name]
    assert isinstance(example, entity.make)
    for field in dataclasses.fields(example):
        assert getattr(example, field.name) != _default(field), f"the {entity.name} example leaves {field.name} unset"


def test_each_table_of_the_store_has_exactly_the_mapped_columns(store: Store) -> None:
    for entity in ENTITIES:
        rows = store.conn.execute(f"SELECT name FROM pragma_table_info('{entity.table}')").fetchall()
        bookkeeping = {"updated_at", "deleted_at"}
        assert {name for (name,) in rows} - bookkeeping == set(entity.columns), entity.table


def test_the_codecs_are_the_maps_and_an_item_comes_back_from_its_row_unchanged(store: Store) -> None:
    repositories = (store.habits, store.checkins, store.tasks, store.completions, store.journal, store.reminders)
    assert {r.codec.entity for r in repositories} == set(BY_ENTITY)
    for repository in repositories:
        codec = repository.codec
        entity = BY_ENTITY[codec.entity]
        assert (codec.table, codec.columns) == (entity.table, entity.columns)
        example = EXAMPLES[codec.entity]
        assert tuple(codec.to_row(example)) == entity.columns
        repository.add(example)
        assert repository.get(example.id) == example
    assert {c.entity for c in (codecs.TASKS, codecs.HABITS, codecs.CHECKINS)} == {"task", "habit", "checkin"}


def test_the_json_export_holds_exactly_the_exported_fields_and_imports_back(tmp_path: Path) -> None:
    exported = snapshot_to_json(SNAPSHOT, NOW)
    for kind, entity in FIELD_MAPS.items():
        (item,) = exported[kind]
        assert list(item) == [f.json_key for f in entity.exported], kind
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    assert read_snapshot(path, NOW) == SNAPSHOT


def test_the_csv_files_have_the_mapped_columns(tmp_path: Path) -> None:
    for written in write_csv_folder(SNAPSHOT, tmp_path, NOW):
        with written.open(encoding="utf-8", newline="") as file:
            header = next(csv.reader(file))
        assert tuple(header) == FIELD_MAPS[written.stem].csv_columns, written.name


@pytest.mark.parametrize("kind", kinds(include_journal=True), ids=lambda k: k.name)
def test_a_worksheet_has_a_column_per_mapped_field_and_reads_an_item_back_unchanged(kind: Kind) -> None:
    entity = BY_ENTITY[kind.entity]
    assert kind.field_map is entity
    assert kind.headers == ["id", *(f.sheet.header for f in entity.in_sheet), "sync status"]
    assert [c.editable for c in kind.columns] == [f.sheet.editable for f in entity.in_sheet]
    lookups = Lookups(habit_names={HABIT.id: HABIT.name}, habit_ids={HABIT.name.lower(): HABIT.id})
    item = EXAMPLES[kind.entity]
    shown = kind.render(item, lookups)
    typed = {c.header: c.check(shown[c.header], lookups) for c in kind.columns}
    assert typed == shown  # what the sheet shows is already canonical
    assert kind.build(typed, item, item.id, LATER, lookups) == item
    not_ticked = {**typed, **{c.header: FALSE for c in kind.columns if c.by_rule}}  # ticked moves a repeat on
    made = kind.build(not_ticked, None, "new1", LATER, lookups)
    for field in entity.in_sheet:
        if field.sheet and field.sheet.editable and not field.sheet.by_rule:
            assert getattr(made, field.attr) == getattr(item, field.attr), f"{kind.name}.{field.attr}"


def test_the_maps_name_each_kind_once() -> None:
    assert [e.name for e in ENTITIES] == ["task", "habit", "checkin", "journal", "reminder", "completion"]
    assert set(FIELD_MAPS.values()) == set(ENTITIES)
    assert fields.TASK.in_sheet[0].attr == "title"  # the first column a person sees, after the hidden id
