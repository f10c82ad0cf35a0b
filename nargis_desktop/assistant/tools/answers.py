"""Answers from the person's own data: read-only, so a question may run them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from nargis_desktop.assistant.speech import clock, listing, rule_words, when_words
from nargis_desktop.assistant.tools.base import Context, Outcome, past_day
from nargis_desktop.assistant.tools.reminders import second_person
from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Task, due_date


def _day(ctx: Context, said: str | None, *, past: bool = False) -> date:
    if past:
        return past_day(ctx, said)
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
    entries = [e for e in ctx.data.store.journal.list() if e.created_at.date() == day]
    when = when_words(day, ctx.now)
    if not entries:
        return Outcome(f"You didn't write anything {when}.")
    said = [f"at {clock(e.created_at)}: {e.text}" for e in entries[:3]]
    more = f" And {len(entries) - 3} more." if len(entries) > 3 else ""
    return Outcome(
        f"{when[0].upper() + when[1:]} you wrote " + "; ".join(said) + more, focus=("journal", entries[-1].id)
    )


def task_progress(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "How many tasks did I finish this week?" from the completions the store keeps."""
    report = ctx.data.insights.overview(ctx.now)["tasks"]
    week_start = ctx.now.date() - timedelta(days=ctx.now.weekday())
    done_this_week = sum(report["completed_per_day"][-(ctx.now.date() - week_start).days - 1 :])
    on_time = report["on_time_rate"]
    tail = f" {on_time:.0%} of the dated ones were on time." if on_time is not None else ""
    task_word = "task" if done_this_week == 1 else "tasks"
    return Outcome(f"You finished {done_this_week} {task_word} this week.{tail}")


def weekly_review(ctx: Context, args: dict[str, str]) -> Outcome:
    """A short spoken review: tasks done, the habit doing best and the one to watch, journaling."""
    report = ctx.data.insights.overview(ctx.now)
    finished = report["tasks"]["completed_last_7_days"]
    parts = [f"In the last seven days you finished {finished} {'task' if finished == 1 else 'tasks'}"]
    habits = sorted(report["habits"], key=lambda h: h["completion_rate"]["7_days"], reverse=True)
    if habits:
        best, worst = habits[0], habits[-1]
        parts.append(f"{best['habit']} went best, done {best['completion_rate']['7_days']:.0%} of the time")
        if worst is not best and worst["completion_rate"]["7_days"] < 0.5:
            parts.append(f"{worst['habit']} could use some love")
    entries = report["journal"]["entries_per_week"][-1]
    if entries:
        parts.append(f"you wrote {entries} journal {'entry' if entries == 1 else 'entries'}")
    overdue = report["tasks"]["overdue_now"]
    if overdue:
        parts.append("one task is overdue" if overdue == 1 else f"{overdue} tasks are overdue")
    return Outcome(". ".join(p[0].upper() + p[1:] for p in parts) + ".")


def next_time(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "When is my next dentist?": the next day a habit is due, a task's due date, a reminder's
    next time; with no name ("my next reminder"), the soonest of that kind."""
    said = (args.get("item") or "").strip()
    if said.lower() in {"", "reminder", "task", "thing", "appointment"}:
        return _soonest(ctx, "task" if said.lower() == "task" else "reminder")
    kind, item = ctx.item(said)
    if isinstance(item, Habit):
        return Outcome(_next_habit_day(ctx, item), focus=("habit", item.id))
    if isinstance(item, Task):
        if item.due is None:
            return Outcome(f"{item.title} has no date.", focus=("task", item.id))
        repeat = f", and then {rule_words(item.recurrence)}" if item.recurrence else ""
        return Outcome(f"{item.title} is due {when_words(item.due, ctx.now)}{repeat}.", focus=("task", item.id))
    assert isinstance(item, Reminder)
    moment = item.fires_at or item.at
    return Outcome(
        f"The reminder to {second_person(item.text)} goes off {when_words(moment, ctx.now)}.",
        focus=(kind, item.id),
    )


def _next_habit_day(ctx: Context, habit: Habit) -> str:
    today = ctx.now.date()
    done_today = ctx.data.store.checkins.on(habit.id, today)
    if habit.schedule.times_per_week:
        left = "" if not done_today else " You've done it today already."
        return f"{habit.name} is {habit.schedule.in_words}, on any days you like.{left}"
    if habit.schedule.is_scheduled(today, habit.start) and not done_today:
        return f"{habit.name} is due today."
    following = habit.schedule.next_day(habit.start, datetime.combine(today, datetime.max.time()))
    if following is None:
        return f"{habit.name} has no days coming up."
    return f"Your next {habit.name} is {when_words(following, ctx.now)}."


def _soonest(ctx: Context, kind: str) -> Outcome:
    if kind == "task":
        dated = [(due, t) for t in ctx.data.tasks() if (due := due_date(t.due)) is not None]
        if not dated:
            return Outcome("None of your tasks has a date.")
        due, task = min(dated, key=lambda pair: (pair[0], pair[1].title))
        return Outcome(f"Your next task is {task.title}, due {when_words(due, ctx.now)}.", focus=("task", task.id))
    coming = [r for r in ctx.data.reminders() if r.fires_at is not None]
    if not coming:
        return Outcome("You have no reminders coming up.")
    reminder = min(coming, key=lambda r: r.fires_at or r.at)
    moment = reminder.fires_at or reminder.at
    return Outcome(
        f"Your next reminder is to {second_person(reminder.text)} {when_words(moment, ctx.now)}.",
        focus=("reminder", reminder.id),
    )
