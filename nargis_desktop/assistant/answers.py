"""Answers from the person's own data (read-only), and moving a reminder; registered beside the
other tools with their kind, so the dialogue-act rule and undo treat them alike."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from nargis_desktop.assistant.speech import clock, listing, when_words
from nargis_desktop.assistant.tools import CHANGE, READ, Context, Outcome, Tool, ToolError, _before, _past_day
from nargis_desktop.domain.tasks import due_date


def _day(ctx: Context, said: str | None, *, past: bool = False) -> date:
    if past:
        return _past_day(ctx, said)
    value, _rule = ctx.when(said or "today")
    if isinstance(value, datetime):
        return value.date()
    return value or ctx.now.date()


def day_agenda(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "Is there anything on Friday?": the tasks due and the reminders set for that day."""
    day = _day(ctx, args.get("when"))
    tasks = [t.title for t in ctx.data.tasks() if t.due is not None and due_date(t.due) == day]
    reminders = [
        f"{r.text} at {clock(r.fires_at or r.at)}" for r in ctx.data.reminders() if (r.fires_at or r.at).date() == day
    ]
    said = when_words(day, ctx.now)
    if not tasks and not reminders:
        return Outcome(f"Nothing is planned {said}.")
    parts = []
    if tasks:
        parts.append(("one task: " if len(tasks) == 1 else f"{len(tasks)} tasks: ") + listing(tasks, limit=8))
    if reminders:
        count = "one reminder: " if len(reminders) == 1 else f"{len(reminders)} reminders: "
        parts.append(count + listing(reminders, limit=8))
    return Outcome(f"{said[0].upper() + said[1:]} you have " + "; and ".join(parts) + ".")


def habit_on_day(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "Did I meditate on Monday?": whether that day has a check-in; never logs one."""
    habit = ctx.habit(args.get("habit"))
    day = _day(ctx, args.get("day"), past=True)
    found = ctx.data.store.checkins.on(habit.id, day)
    when = when_words(day, ctx.now)
    if found:
        return Outcome(f"Yes, you checked off {habit.name} {when}.", focus=("habit", habit.id))
    return Outcome(f"No, {habit.name} isn't checked off {when}.", focus=("habit", habit.id))


def task_status(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "Is buy milk done?": the task's state, changed by nothing."""
    task = ctx.task(args.get("task"), include_done=True)
    if task.done:
        return Outcome(f"Yes, {task.title} is done.", focus=("task", task.id))
    due = f", due {when_words(task.due, ctx.now)}" if task.due is not None else ""
    return Outcome(f"No, {task.title} isn't done yet{due}.", focus=("task", task.id))


def all_habits(ctx: Context, args: dict[str, str]) -> Outcome:
    habits = [h.name for h in ctx.data.store.habits.active_oldest_first()]
    if not habits:
        return Outcome("You aren't tracking any habits yet.")
    count = "one habit" if len(habits) == 1 else f"{len(habits)} habits"
    return Outcome(f"You're tracking {count}: {listing(habits, limit=12)}.")


def journal_on_day(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "What did I write yesterday?": the entries of that day, each cited by its time."""
    day = _day(ctx, args.get("when"), past=True)
    entries = [e for e in ctx.data.store.journal.list(order="created_at") if e.created_at.date() == day]
    when = when_words(day, ctx.now)
    if not entries:
        return Outcome(f"You didn't write anything {when}.")
    said = [f"at {clock(e.created_at)}: {e.text}" for e in entries[:3]]
    more = f" And {len(entries) - 3} more." if len(entries) > 3 else ""
    return Outcome(
        f"{when[0].upper() + when[1:]} you wrote " + "; ".join(said) + more, focus=("journal", entries[-1].id)
    )


OFFSET = re.compile(r"^(?:by |for )?(?P<n>\d+(?:\.\d+)?) (?P<unit>minutes?|hours?|days?|weeks?)$", re.IGNORECASE)
UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}


def offset(text: str | None) -> timedelta | None:
    """ "an hour", "by 30 minutes", "2 days": how far to push something back."""
    said = re.sub(r"\ban? (minute|hour|day|week)\b", r"1 \1", (text or "").strip().lower())
    match = OFFSET.match(said)
    if not match:
        return None
    return float(match.group("n")) * UNITS[match.group("unit").rstrip("s")]


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
    before = _before("reminder", reminder)
    from dataclasses import replace

    moved = ctx.data.store.reminders.save(replace(reminder, at=moment, snoozed_until=None))
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


ANSWER_TOOLS = (
    Tool("day_agenda", READ, ("when",), (), "what is planned on a day", day_agenda),
    Tool("habit_on_day", READ, ("habit", "day"), ("habit",), "whether a habit was done on a day", habit_on_day),
    Tool("task_status", READ, ("task",), ("task",), "whether a task is done", task_status),
    Tool("all_habits", READ, (), (), "the habits being tracked", all_habits),
    Tool("journal_on_day", READ, ("when",), (), "what was written on a day", journal_on_day),
    Tool("move_reminder", CHANGE, ("reminder", "when", "by"), (), "move a reminder or push it back", move_reminder),
)
