"""Items as one readable line each; ids shown as the first 8 characters (enough to refer back)."""

from __future__ import annotations

import re
from datetime import date, datetime

from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.domain.recurrence_words import describe_rule
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.streaks import Streak
from nargis_desktop.domain.tasks import Priority, Task

SHORT_ID = 8
# Terminal control sequences (CSI such as colours and cursor moves, OSC such as window titles and
# hyperlinks, other ESC codes) and control characters other than newline and tab. Text a person or
# another device wrote must never drive the terminal it is printed on.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, ended by BEL or ST (or not at all)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b.?"  # any other escape
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def printable(text: str) -> str:
    """`text` without terminal control sequences, safe to print."""
    return _CONTROL.sub("", text)


def short(item_id: str) -> str:
    return item_id[:SHORT_ID]


def when(value: date | datetime | None, now: datetime) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    delta = (day - now.date()).days
    names = {-1: "yesterday", 0: "today", 1: "tomorrow"}
    label = names.get(delta) or (day.strftime("%a %d %b") if abs(delta) < 180 else day.isoformat())
    if isinstance(value, datetime):
        label += value.strftime(" %H:%M")
    return label


def task_line(task: Task, now: datetime) -> str:
    parts = [short(task.id), "[x]" if task.done else "[ ]", task.title]
    if task.due is not None:
        parts.append(("OVERDUE " if task.is_overdue(now) else "due ") + when(task.due, now))
    if task.priority is not Priority.NONE:
        parts.append(f"!{task.priority.value}")
    parts += [f"#{tag}" for tag in task.tags]
    if task.recurrence:
        parts.append(f"(repeats {describe_rule(task.recurrence)})")
    return printable("  ".join(parts))


def habit_line(habit: Habit, streak: Streak) -> str:
    target = f"  target {habit.target:g}{(' ' + habit.unit) if habit.unit else ''}" if habit.target else ""
    line = f"{short(habit.id)}  {habit.name}  [{habit.schedule.in_words}]{target}  streak {streak.describe()}"
    return printable(line)


def reminder_line(reminder: Reminder, now: datetime) -> str:
    parts = [short(reminder.id), "[x]" if reminder.done else "[ ]", reminder.text, "at " + when(reminder.at, now)]
    if reminder.snoozed_until:
        parts.append("snoozed until " + when(reminder.snoozed_until, now))
    if reminder.recurrence:
        parts.append(f"(repeats {describe_rule(reminder.recurrence)})")
    return printable("  ".join(parts))


def journal_line(entry: JournalEntry) -> str:
    mood = f"  mood {entry.mood}/5" if entry.mood else ""
    edited = f"  (edited {len(entry.history)}x)" if entry.history else ""
    return printable(f"{short(entry.id)}  {entry.created_at:%Y-%m-%d %H:%M}  {entry.title}{mood}{edited}")
