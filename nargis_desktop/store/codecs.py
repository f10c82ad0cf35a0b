"""How each kind of item becomes a row and back. Dates are ISO text, lists JSON."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.journal import JournalEntry, Revision
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task

T = TypeVar("T")
Row = dict[str, Any]


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def parse_iso(text: str | None) -> date | datetime | None:
    if text is None:
        return None
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def parse_datetime(text: str) -> datetime:
    value = parse_iso(text)
    assert isinstance(value, datetime), text
    return value


def parse_optional_datetime(text: str | None) -> datetime | None:
    return None if text is None else parse_datetime(text)


def parse_date(text: str) -> date:
    return date.fromisoformat(text[:10])


@dataclass(frozen=True)
class Codec(ABC, Generic[T]):
    entity: str
    table: str
    columns: tuple[str, ...]

    @abstractmethod
    def to_row(self, item: T) -> Row: ...

    @abstractmethod
    def from_row(self, row: Row) -> T: ...


class TaskCodec(Codec[Task]):
    def to_row(self, item: Task) -> Row:
        return {
            "id": item.id,
            "title": item.title,
            "notes": item.notes,
            "due": iso(item.due),
            "priority": item.priority.value,
            "recurrence": item.recurrence,
            "tags": json.dumps(list(item.tags)),
            "done": int(item.done),
            "completed_at": iso(item.completed_at),
            "created_at": iso(item.created_at),
        }

    def from_row(self, row: Row) -> Task:
        return Task(
            id=row["id"],
            title=row["title"],
            notes=row["notes"],
            due=parse_iso(row["due"]),
            priority=Priority(row["priority"]),
            recurrence=row["recurrence"],
            tags=tuple(json.loads(row["tags"])),
            done=bool(row["done"]),
            completed_at=parse_optional_datetime(row["completed_at"]),
            created_at=parse_datetime(row["created_at"]),
        )


class HabitCodec(Codec[Habit]):
    def to_row(self, item: Habit) -> Row:
        return {
            "id": item.id,
            "name": item.name,
            "schedule": item.schedule.text,
            "start": iso(item.start),
            "target": item.target,
            "unit": item.unit,
            "archived": int(item.archived),
            "created_at": iso(item.created_at),
        }

    def from_row(self, row: Row) -> Habit:
        return Habit(
            id=row["id"],
            name=row["name"],
            schedule=Schedule.parse(row["schedule"]),
            start=parse_date(row["start"]),
            target=row["target"],
            unit=row["unit"],
            archived=bool(row["archived"]),
            created_at=parse_datetime(row["created_at"]),
        )


class CheckInCodec(Codec[CheckIn]):
    def to_row(self, item: CheckIn) -> Row:
        return {
            "id": item.id,
            "habit_id": item.habit_id,
            "day": iso(item.day),
            "value": item.value,
            "note": item.note,
            "created_at": iso(item.created_at),
        }

    def from_row(self, row: Row) -> CheckIn:
        return CheckIn(
            id=row["id"],
            habit_id=row["habit_id"],
            day=parse_date(row["day"]),
            value=row["value"],
            note=row["note"],
            created_at=parse_datetime(row["created_at"]),
        )


class JournalCodec(Codec[JournalEntry]):
    def to_row(self, item: JournalEntry) -> Row:
        history = [{"text": r.text, "replaced_at": iso(r.replaced_at)} for r in item.history]
        return {
            "id": item.id,
            "text": item.text,
            "mood": item.mood,
            "history": json.dumps(history),
            "created_at": iso(item.created_at),
        }

    def from_row(self, row: Row) -> JournalEntry:
        history = tuple(Revision(r["text"], parse_datetime(r["replaced_at"])) for r in json.loads(row["history"]))
        return JournalEntry(
            id=row["id"],
            text=row["text"],
            mood=row["mood"],
            history=history,
            created_at=parse_datetime(row["created_at"]),
        )


class ReminderCodec(Codec[Reminder]):
    def to_row(self, item: Reminder) -> Row:
        return {
            "id": item.id,
            "text": item.text,
            "at": iso(item.at),
            "recurrence": item.recurrence,
            "snoozed_until": iso(item.snoozed_until),
            "done": int(item.done),
            "created_at": iso(item.created_at),
        }

    def from_row(self, row: Row) -> Reminder:
        return Reminder(
            id=row["id"],
            text=row["text"],
            at=parse_datetime(row["at"]),
            recurrence=row["recurrence"],
            snoozed_until=parse_optional_datetime(row["snoozed_until"]),
            done=bool(row["done"]),
            created_at=parse_datetime(row["created_at"]),
        )


class CompletionCodec(Codec[TaskCompletion]):
    def to_row(self, item: TaskCompletion) -> Row:
        return {
            "id": item.id,
            "task_id": item.task_id,
            "due": iso(item.due),
            "completed_at": iso(item.completed_at),
            "created_at": iso(item.created_at),
        }

    def from_row(self, row: Row) -> TaskCompletion:
        return TaskCompletion(
            id=row["id"],
            task_id=row["task_id"],
            due=parse_iso(row["due"]),
            completed_at=parse_datetime(row["completed_at"]),
            created_at=parse_datetime(row["created_at"]),
        )


def _columns(*names: str) -> tuple[str, ...]:
    return ("id", *names, "created_at")


TASKS = TaskCodec(
    "task", "tasks", _columns("title", "notes", "due", "priority", "recurrence", "tags", "done", "completed_at")
)
HABITS = HabitCodec("habit", "habits", _columns("name", "schedule", "start", "target", "unit", "archived"))
CHECKINS = CheckInCodec("checkin", "checkins", _columns("habit_id", "day", "value", "note"))
JOURNAL = JournalCodec("journal", "journal", _columns("text", "mood", "history"))
REMINDERS = ReminderCodec("reminder", "reminders", _columns("text", "at", "recurrence", "snoozed_until", "done"))
COMPLETIONS = CompletionCodec("completion", "task_completions", _columns("task_id", "due", "completed_at"))


def encode_fields(fields: Row) -> str:
    """A change's fields as the change log keeps them: compact, keys sorted (so equal means equal)."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))
