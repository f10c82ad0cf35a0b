"""Habits: start one, check it off (for today or a past day), its streak, what is left today."""

from __future__ import annotations

from nargis_desktop.assistant.speech import listing, rule_words, when_words
from nargis_desktop.assistant.tools.base import Context, Outcome, ToolError, guarded, past_day
from nargis_desktop.assistant.undo import before_change, created
from nargis_desktop.domain.habits import Habit


def add_habit(ctx: Context, args: dict[str, str]) -> Outcome:
    name = (args.get("name") or "").strip()
    if not name:
        raise ToolError("What should the habit be called?")
    schedule = args.get("schedule") or "daily"
    done_on = past_day(ctx, args["done_on"]) if args.get("done_on") else None
    habit = guarded(lambda: ctx.data.add_habit(name[0].upper() + name[1:], ctx.now, schedule=schedule))
    undo = [created("habit", habit.id)]
    reply = f"Started a new habit: {habit.name}, {_schedule_words(habit)}."
    if done_on is not None:  # "I meditated today", for a habit not tracked yet, and a yes
        checkin = guarded(lambda: ctx.data.check_in(habit, done_on, ctx.now))
        undo.append(created("checkin", checkin.id))
        when = "today" if done_on == ctx.now.date() else when_words(done_on, ctx.now, after_preposition=True)
        reply = f"Started a new habit, {habit.name}, {_schedule_words(habit)}, and checked it off for {when}."
    return Outcome(reply, focus=("habit", habit.id), undo=undo)


def _schedule_words(habit: Habit) -> str:
    if habit.schedule.times_per_week:
        return f"{habit.schedule.times_per_week} times a week"
    return rule_words(habit.schedule.rule or "FREQ=DAILY")


def check_habit(ctx: Context, args: dict[str, str]) -> Outcome:
    habit = ctx.habit(args.get("habit"))
    day = past_day(ctx, args.get("day"))
    existing = ctx.data.store.checkins.on(habit.id, day)
    undo = [before_change(ctx.data, "checkin", existing[0].id)] if existing else []
    if day < habit.start:
        undo.append(before_change(ctx.data, "habit", habit.id))
    checkin = guarded(lambda: ctx.data.check_in(habit, day, ctx.now))
    if not existing:
        undo.append(created("checkin", checkin.id))
    streak = ctx.data.streak(ctx.data.store.habits.get(habit.id), ctx.now.date())
    when = "today" if day == ctx.now.date() else when_words(day, ctx.now, after_preposition=True)
    tail = f" That's a {streak.current}-{streak.unit} streak." if streak.current > 1 else ""
    return Outcome(f"Checked off {habit.name} for {when}.{tail}", focus=("habit", habit.id), undo=undo)


def habit_streak(ctx: Context, args: dict[str, str]) -> Outcome:
    habit = ctx.habit(args.get("habit"))
    streak = ctx.data.streak(habit, ctx.now.date())
    unit = streak.unit + ("" if streak.current == 1 else "s")
    best = f" Your best is {streak.best}." if streak.best > streak.current else ""
    if streak.current == 0:
        return Outcome(f"Your {habit.name} streak is at zero right now.{best}", focus=("habit", habit.id))
    return Outcome(f"Your {habit.name} streak is {streak.current} {unit}.{best}", focus=("habit", habit.id))


def list_habits(ctx: Context, args: dict[str, str]) -> Outcome:
    from nargis_desktop.services.agenda import today

    agenda = today(ctx.data.store, ctx.now)
    if not agenda.habits_to_check and not agenda.habits_done:
        return Outcome("You have no habits due today.")
    if not agenda.habits_to_check:
        return Outcome("All your habits are done for today. Well done!")
    return Outcome(f"Still to do today: {listing([h.name for h in agenda.habits_to_check])}.")
