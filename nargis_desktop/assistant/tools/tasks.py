"""Tasks: add, complete (or check off a habit of that name), delete, edit, list, complete many."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from nargis_desktop.assistant.speech import listing, rule_words, when_words
from nargis_desktop.assistant.tools.base import Context, Outcome, ToolError, guarded, offset
from nargis_desktop.assistant.tools.habits import check_habit
from nargis_desktop.assistant.undo import before_change, completed, created
from nargis_desktop.domain.tasks import Priority, Task, due_date


def as_title(said: str) -> str:
    """A task title starts with a capital, however it was said ("buy oat milk" → "Buy oat milk")."""
    return said[:1].upper() + said[1:]


def add_task(ctx: Context, args: dict[str, str]) -> Outcome:
    title = (args.get("title") or "").strip()
    if not title:
        raise ToolError("What's the task?")
    due, rule = ctx.when(args.get("when"))
    rule = ctx.repeat(args.get("repeat")) or rule
    if rule and due is None:
        due = ctx.now.date()
    priority = Priority.parse(args.get("priority")) if args.get("priority") else Priority.NONE
    task = guarded(lambda: ctx.data.add_task(as_title(title), ctx.now, due=due, priority=priority, recurrence=rule))
    parts = [f"Okay, added {task.title}"]  # "Okay," is heard at once, while the rest is made
    if due is not None:
        said = when_words(due, ctx.now)
        parts.append("for " + (said[3:] if said.startswith("on ") else said))
    if rule:
        parts.append(f"repeating {rule_words(rule)}")
    if priority is not Priority.NONE:
        parts.append(f"with {priority.value} priority")
    return Outcome(" ".join(parts) + ".", focus=("task", task.id), undo=[created("task", task.id)])


_HABIT_DAY = (
    r"^(?P<name>.+?) (?:for |on )?(?P<day>today|yesterday|(?:last )?(?:mon|tues|wednes|thurs|fri|satur|sun)day)$"
)


def complete_task(ctx: Context, args: dict[str, str]) -> Outcome:
    try:
        task = ctx.task(args.get("task"))
    except ToolError:
        # "check off meditate": no such task, but a habit by that name is what was meant.
        if args.get("task") and ctx.data.store.habits.active_oldest_first():
            # "tick off floss for yesterday": the day said after the habit is the check-in's day.
            said = re.match(_HABIT_DAY, args["task"], re.IGNORECASE)
            name, day = (said.group("name"), said.group("day")) if said else (args["task"], "today")
            try:
                ctx.habit(name)
            except ToolError:
                raise ToolError(f"I couldn't find a task called {args['task']!r}.") from None
            return check_habit(ctx, {"habit": name, "day": day})
        raise
    before = before_change(ctx.data, "task", task.id)
    done = guarded(lambda: ctx.data.complete_task(task, ctx.now))
    undo = [before, completed(task.id, ctx.now)]
    if not done.done and done.due is not None:
        return Outcome(
            f"Nice. {task.title} is done; next time is {when_words(done.due, ctx.now, after_preposition=True)}.",
            focus=("task", task.id),
            undo=undo,
        )
    return Outcome(f"Nice, {task.title} is done.", focus=("task", task.id), undo=undo)


def delete_task(ctx: Context, args: dict[str, str]) -> Outcome:
    task = ctx.task(args.get("task"), include_done=True)
    if not ctx.confirmed:
        return Outcome(f"This deletes the task {task.title}. Say yes to confirm.", needs_confirmation=True)
    before = before_change(ctx.data, "task", task.id)
    ctx.data.delete_task(task)
    return Outcome(f"Deleted {task.title}.", undo=[before])


def edit_task(ctx: Context, args: dict[str, str]) -> Outcome:
    task = ctx.task(args.get("task"))
    changes: dict[str, Any] = {}
    if args.get("when"):
        due, rule = ctx.when(args["when"])
        changes["due"] = due
        if rule:
            changes["recurrence"] = rule
    if args.get("title"):
        changes["title"] = as_title(args["title"].strip())
    if args.get("priority"):
        changes["priority"] = Priority.parse(args["priority"])
    if args.get("by"):
        changes["due"] = pushed_back(task, args["by"])
    if not changes:
        raise ToolError(f"What should I change about {task.title}?")
    before = before_change(ctx.data, "task", task.id)
    edited = guarded(lambda: ctx.data.edit_task(task, **changes))
    said = []
    if "due" in changes and edited.due is not None:
        said.append(f"moved to {when_words(edited.due, ctx.now, after_preposition=True)}")
    if "title" in changes:
        said.append(f"renamed to {edited.title}")
    if "priority" in changes:
        said.append(f"set to {edited.priority.value} priority")
    if "recurrence" in changes and edited.recurrence:
        said.append(f"repeating {rule_words(edited.recurrence)}")
    return Outcome(f"{task.title}: {listing(said) if said else 'updated'}.", focus=("task", task.id), undo=[before])


def pushed_back(task: Task, by: str) -> date | datetime:
    """The task's due moment `by` later ("two days", "a week", "3 hours")."""
    shift = offset(by)
    if shift is None:
        raise ToolError(f"How far should I push {task.title} back? I didn't understand {by!r}.")
    if task.due is None:
        raise ToolError(f"{task.title} has no date yet. When is it due?")
    if isinstance(task.due, datetime):
        return task.due + shift
    if shift < timedelta(days=1):
        raise ToolError(f"{task.title} is due on a day, not at a time. Push it back by days or weeks.")
    return task.due + timedelta(days=shift.days)


def _tasks_in(ctx: Context, scope: str | None) -> tuple[list[Task], str]:
    scope = (scope or "today").lower()
    tasks = ctx.data.tasks()
    today = ctx.now.date()
    if "overdue" in scope:
        return [t for t in tasks if t.is_overdue(ctx.now)], "overdue"
    if "all" in scope or "everything" in scope:
        return tasks, "on your list"
    if "week" in scope:
        end = today + timedelta(days=6 - today.weekday())
        return [t for t in tasks if t.is_due_by(end)], "due this week"
    if "tomorrow" in scope:
        day = today + timedelta(days=1)
        return [t for t in tasks if due_date(t.due) == day], "for tomorrow"
    return [t for t in tasks if t.is_due_by(today)], "for today"


def list_tasks(ctx: Context, args: dict[str, str]) -> Outcome:
    tasks, label = _tasks_in(ctx, args.get("when"))
    if not tasks:
        return Outcome(f"Nothing {label}." if label != "on your list" else "Your list is empty.")
    count = "one task" if len(tasks) == 1 else f"{len(tasks)} tasks"
    return Outcome(f"You have {count} {label}: {listing([t.title for t in tasks], limit=8)}.")


def complete_all_tasks(ctx: Context, args: dict[str, str]) -> Outcome:
    tasks, label = _tasks_in(ctx, args.get("scope") or "today")
    if not tasks:
        return Outcome(f"There's nothing {label} to complete.")
    if not ctx.confirmed:
        plural = "task" if len(tasks) == 1 else "tasks"
        return Outcome(f"This completes {len(tasks)} {plural} {label}. Say yes to confirm.", needs_confirmation=True)
    undo = []
    for task in tasks:
        undo += [before_change(ctx.data, "task", task.id), completed(task.id, ctx.now)]
        ctx.data.complete_task(task, ctx.now)
    return Outcome(f"Done: completed {len(tasks)} tasks.", undo=undo)
