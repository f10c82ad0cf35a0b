"""Reminders: set, snooze, cancel, list; and the chat tool (thanks, hello, help)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from nargis_desktop.assistant.speech import listing, rule_words, when_words
from nargis_desktop.assistant.tools.base import DEFAULT_REMINDER_HOUR, Context, Outcome, ToolError, guarded
from nargis_desktop.assistant.undo import before_change, created
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.when import refuse_past_reminder


def add_reminder(ctx: Context, args: dict[str, str]) -> Outcome:
    text = (args.get("text") or "").strip()
    if not text:
        raise ToolError("What should I remind you about?")
    at, rule = ctx.when(args.get("when"), default_hour=DEFAULT_REMINDER_HOUR)
    rule = ctx.repeat(args.get("repeat")) or rule
    if at is None and rule is None:
        raise ToolError("When should I remind you?")
    moment = first_time(ctx, at, rule)
    try:
        refuse_past_reminder(moment, ctx.now)
    except DomainError as err:  # "tonight at 8" said at 11 PM: ask for another time, don't just refuse
        passed = capitalized(when_words(moment, ctx.now))
        raise ToolError(f"{passed} has already passed. When should I remind you?") from err
    reminder = guarded(lambda: ctx.data.add_reminder(text, moment, ctx.now, recurrence=rule))
    repeat = f", {rule_words(rule)}" if rule else ""
    return Outcome(
        f"Okay, I'll remind you to {second_person(text)} {when_words(moment, ctx.now)}{repeat}.",
        focus=("reminder", reminder.id),
        undo=[created("reminder", reminder.id)],
    )


def capitalized(words: str) -> str:
    return words[:1].upper() + words[1:]


def first_time(ctx: Context, at: date | datetime | None, rule: str | None) -> datetime:
    """A moment in the future: a bare date gets 9 AM; a repeat starts at its first occurrence from then."""
    if isinstance(at, datetime):
        moment = at
    elif at is not None:
        moment = datetime.combine(at, datetime.min.time()).replace(hour=DEFAULT_REMINDER_HOUR)
    else:
        moment = ctx.now.replace(hour=DEFAULT_REMINDER_HOUR, minute=0, second=0, microsecond=0)
    if rule is not None:
        from nargis_desktop.domain.recurrence import next_occurrence

        if moment <= ctx.now:  # "every weekday at 7" said at 9:30: the series starts tomorrow
            moment += timedelta(days=1)
        first = next_occurrence(rule, moment, moment - timedelta(seconds=1))
        if first is not None:
            moment = first
    return moment


def second_person(text: str) -> str:
    swaps = {"my": "your", "me": "you", "i": "you", "myself": "yourself", "i'm": "you're", "mine": "yours"}
    return " ".join(swaps.get(w.lower(), w) for w in text.split())


def snooze_reminder(ctx: Context, args: dict[str, str]) -> Outcome:
    reminder = ctx.reminder(args.get("reminder"))
    try:
        minutes = float(args.get("minutes") or 10)
    except ValueError as err:
        raise ToolError(f"For how long? I didn't understand {args.get('minutes')!r}.") from err
    before = before_change(ctx.data, "reminder", reminder.id)
    snoozed = guarded(lambda: ctx.data.snooze_reminder(reminder, minutes, ctx.now))
    assert snoozed.snoozed_until is not None
    return Outcome(
        f"Snoozed {reminder.text} until {when_words(snoozed.snoozed_until, ctx.now, after_preposition=True)}.",
        focus=("reminder", reminder.id),
        undo=[before],
    )


def cancel_reminder(ctx: Context, args: dict[str, str]) -> Outcome:
    reminder = ctx.reminder(args.get("reminder"))
    if not ctx.confirmed:
        return Outcome(
            f"This cancels the reminder to {second_person(reminder.text)}. Say yes to confirm.",
            needs_confirmation=True,
        )
    before = before_change(ctx.data, "reminder", reminder.id)
    ctx.data.delete_reminder(reminder)
    return Outcome(f"Cancelled the reminder to {second_person(reminder.text)}.", undo=[before])


def list_reminders(ctx: Context, args: dict[str, str]) -> Outcome:
    scope = (args.get("when") or "").lower()
    reminders = ctx.data.reminders()
    label = ""
    if scope:
        at, _ = ctx.when(scope)
        day = at.date() if isinstance(at, datetime) else at
        if day is not None:
            reminders = [r for r in reminders if (r.fires_at or r.at).date() == day]
            label = " " + when_words(day, ctx.now)
    if not reminders:
        return Outcome(f"You have no reminders{label}.")
    said = [f"{second_person(r.text)} {when_words(r.fires_at or r.at, ctx.now)}" for r in reminders]
    count = "one reminder" if len(reminders) == 1 else f"{len(reminders)} reminders"
    return Outcome(f"You have {count}{label}: {listing(said)}.")


def chat(ctx: Context, args: dict[str, str]) -> Outcome:
    topic = (args.get("topic") or "").lower()
    if "thank" in topic:
        return Outcome("You're welcome.")
    if "hello" in topic or "greet" in topic:
        return Outcome("Hi! What can I do for you?")
    return Outcome(
        "I can add tasks, set reminders, check off habits, tell you your streaks and keep your journal. "
        'Try "remind me to call mom tomorrow at 5".'
    )
