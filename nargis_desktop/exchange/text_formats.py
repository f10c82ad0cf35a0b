"""CSV (one file per kind, in a folder), Markdown (one readable page) and iCalendar exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nargis_desktop.domain.plurals import count
from nargis_desktop.domain.recurrence_words import describe_rule
from nargis_desktop.exchange.json_format import FIELD_MAPS, KINDS, Snapshot, snapshot_to_json


def write_csv_folder(snapshot: Snapshot, folder: Path, exported_at: datetime) -> list[Path]:
    data = snapshot_to_json(snapshot, exported_at)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        target = folder / f"{kind}.csv"
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELD_MAPS[kind].csv_columns, extrasaction="ignore")
        writer.writeheader()
        for item in data[kind]:
            writer.writerow({k: _cell(v) for k, v in item.items()})
        target.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(target)
    return written


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if all(isinstance(v, str) for v in value) else json.dumps(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def to_markdown(snapshot: Snapshot, exported_at: datetime) -> str:
    lines = [f"# Nargis export, {exported_at:%d %B %Y %H:%M}", "", "## Tasks", ""]
    for task in snapshot.tasks:
        extras = [
            f"due {_md_when(task.due)}" if task.due else "",
            task.priority.value if task.priority.value != "none" else "",
            " ".join(f"#{t}" for t in task.tags),
            f"repeats {describe_rule(task.recurrence)}" if task.recurrence else "",
        ]
        suffix = " — " + ", ".join(e for e in extras if e) if any(extras) else ""
        lines.append(f"- [{'x' if task.done else ' '}] {task.title}{suffix}")
    lines += ["", "## Habits", ""]
    for habit in snapshot.habits:
        days = sorted(c.day for c in snapshot.checkins if c.habit_id == habit.id)
        lines.append(
            f"- **{habit.name}** ({habit.schedule.in_words}): {count(len(days), 'check-in')}"
            + (f", last {days[-1]}" if days else "")
        )
    lines += ["", "## Reminders", ""]
    for reminder in snapshot.reminders:
        lines.append(
            f"- [{'x' if reminder.done else ' '}] {reminder.text} — {_md_when(reminder.at)}"
            + (f", repeats {describe_rule(reminder.recurrence)}" if reminder.recurrence else "")
        )
    lines += ["", "## Journal", ""]
    for entry in sorted(snapshot.journal, key=lambda e: e.created_at):
        mood = f" (mood {entry.mood}/5)" if entry.mood else ""
        lines += [f"### {entry.created_at:%A %d %B %Y, %H:%M}{mood}", "", entry.text, ""]
    return "\n".join(lines).rstrip() + "\n"


def _md_when(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if value else ""


def to_ics(snapshot: Snapshot, exported_at: datetime) -> bytes:
    """Tasks as VTODOs, reminders as VEVENTs with an alarm; repeats carried as RRULEs."""
    from icalendar import Alarm, Calendar, Event, Todo, vRecur

    calendar = Calendar()
    calendar.add("prodid", "-//Nargis//nargis_desktop//EN")
    calendar.add("version", "2.0")
    for task in snapshot.tasks:
        todo = Todo()
        todo.add("uid", f"{task.id}@nargis")
        todo.add("dtstamp", exported_at)
        todo.add("summary", task.title)
        if task.notes:
            todo.add("description", task.notes)
        if task.due is not None:
            todo.add("due", task.due)
        todo.add("priority", {"high": 1, "medium": 5, "low": 9, "none": 0}[task.priority.value])
        todo.add("status", "COMPLETED" if task.done else "NEEDS-ACTION")
        if task.tags:
            todo.add("categories", list(task.tags))
        if task.recurrence:
            todo.add("rrule", vRecur.from_ical(task.recurrence))
        calendar.add_component(todo)
    for reminder in snapshot.reminders:
        if reminder.done:
            continue
        event = Event()
        event.add("uid", f"{reminder.id}@nargis")
        event.add("dtstamp", exported_at)
        event.add("summary", reminder.text)
        event.add("dtstart", reminder.at)
        if reminder.recurrence:
            event.add("rrule", vRecur.from_ical(reminder.recurrence))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder.text)
        alarm.add("trigger", timedelta(0))  # at the event's start
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
