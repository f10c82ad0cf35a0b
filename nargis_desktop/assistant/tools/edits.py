"""Edits to what exists: move a reminder or push it back, push a task back by an amount, change
how often a task, reminder or habit repeats. Each keeps the item as it was, for undo."""

from __future__ import annotations

import re
from datetime import datetime

from nargis_desktop.assistant.speech import rule_words, when_words
from nargis_desktop.assistant.tools.base import Context, Outcome, ToolError, guarded, offset
from nargis_desktop.assistant.tools.reminders import first_time, second_person
from nargis_desktop.assistant.undo import before_change
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.habits import Habit, Schedule
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Task


def move_reminder(ctx: Context, args: dict[str, str]) -> Outcome:
    """Move a reminder to a new time or day, or push it back by an amount; undo puts it back."""
    reminder = ctx.reminder(args.get("reminder"))
    current = reminder.fires_at or reminder.at
    shift = offset(args.get("by"))
    hour = _bare_hour(args.get("when"), current)
    if shift is not None:
        moment = current + shift
    elif hour is not None:  # "no, make it seven": the same day, in the half of the day it was set for
        moment = current.replace(hour=hour[0], minute=hour[1], second=0, microsecond=0)
    else:
        value, _rule = ctx.when(args.get("when"))
        if value is None:
            raise ToolError(f"When should the reminder to {reminder.text} go off?")
        if isinstance(value, datetime):
            said_day = re.search(r"\d|noon|midnight|morning|evening|tonight|night", args.get("when") or "")
            moment = value if said_day else datetime.combine(value.date(), current.time())
            if not re.search(
                r"today|tomorrow|day|week|\d+(?:st|nd|rd|th)|month|next", (args.get("when") or "").lower()
            ):
                moment = datetime.combine(current.date(), value.time())  # "make it seven": same day, new time
        else:
            moment = datetime.combine(value, current.time())
    before = before_change(ctx.data, "reminder", reminder.id)
    moved = ctx.data.edit_reminder(reminder, reminder.text, moment)
    said = when_words(moment, ctx.now)
    return Outcome(
        f"Moved the reminder to {reminder.text} to {said.removeprefix('on ')}.",
        focus=("reminder", moved.id),
        undo=[before],
    )


BARE_CLOCK = re.compile(
    r"^(?:at )?(?P<h>\w+?)(?::(?P<m>[0-5]\d))?(?: (?P<mer>am|pm|a\.m\.|p\.m\.))?(?: o'clock)?$", re.IGNORECASE
)


def _bare_hour(said: str | None, current: datetime) -> tuple[int, int] | None:
    """ "seven", "7", "7:30", "7 pm" alone: a clock time; without am/pm, in the current half of the day."""
    from nargis_desktop.assistant.when_phrases import NUMBER_WORDS

    match = BARE_CLOCK.match((said or "").strip().lower())
    if not match:
        return None
    word = match.group("h")
    hour = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
    if hour is None or not 0 <= hour <= 23:
        return None
    minute = int(match.group("m") or 0)
    meridiem = (match.group("mer") or "").replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif not meridiem and hour < 12 and current.hour >= 12:
        hour += 12
    return hour, minute


def change_repeat(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "Make gym every weekday": a new repeat for a task, reminder or habit, whichever is named."""
    kind, item = ctx.item(args.get("item"))
    said = (args.get("repeat") or "").strip()
    if not said:
        raise ToolError("How often should it repeat?")
    before = before_change(ctx.data, kind, item.id)
    if isinstance(item, Habit):
        try:
            schedule = Schedule.parse(said)
        except DomainError as err:
            raise ToolError(f"I didn't understand how often: {said!r}.") from err
        saved = ctx.data.edit_habit(item, name=item.name, schedule=said)
        return Outcome(f"{item.name} is now {schedule.in_words}.", focus=("habit", saved.id), undo=[before])
    rule = ctx.repeat(said)
    assert rule is not None
    if isinstance(item, Task):
        due = item.due if item.due is not None else ctx.now.date()
        task = guarded(lambda: ctx.data.edit_task(item, recurrence=rule, due=due))
        return Outcome(f"{task.title} now repeats {rule_words(rule)}.", focus=("task", task.id), undo=[before])
    assert isinstance(item, Reminder)
    moment = first_time(ctx, item.fires_at or item.at, rule)
    reminder = ctx.data.repeat_reminder(item, rule, moment)
    return Outcome(
        f"The reminder to {second_person(item.text)} now goes off {rule_words(rule)}, "
        f"first {when_words(moment, ctx.now)}.",
        focus=("reminder", reminder.id),
        undo=[before],
    )
