"""The tools the assistant can use: typed arguments validated from text, each backed by the store.

Both understanding paths hand in `ToolCall`s whose arguments are text; `validate` turns them
into typed values with the same date, repeat and matching code for both. Reading and creating
tools run at once; destructive or bulk tools return what they would do and wait for a "yes".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nargis_desktop.assistant.matching import Match, best_match
from nargis_desktop.assistant.speech import listing, rule_words, when_words
from nargis_desktop.assistant.when_phrases import split_when
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.recurrence_phrases import phrase_to_rule
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Priority, Task, due_date
from nargis_desktop.errors import InputError, NargisError
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store import codecs
from nargis_desktop.store.codecs import iso

if TYPE_CHECKING:
    from nargis_desktop.models.engines.base import LanguageModel

READ, CREATE, CHANGE, DESTRUCTIVE = "read", "create", "change", "destructive"
BULK_LIMIT = 3  # touching more items than this needs a "yes" first
DEFAULT_REMINDER_HOUR = 9


class ToolError(NargisError):
    """A tool cannot do what was asked; the message is said to the person."""

    code = "tool-failed"


@dataclass
class Outcome:
    reply: str
    focus: tuple[str, str] | None = None  # (kind, id) that "it"/"that" now refers to
    undo: list[dict[str, Any]] = field(default_factory=list)
    needs_confirmation: bool = False


@dataclass(frozen=True)
class Tool:
    name: str
    kind: str
    params: tuple[str, ...]
    required: tuple[str, ...]
    description: str
    run: Callable[[Context, dict[str, str]], Outcome]


class Context:
    """What a tool needs: the data, the moment, what "it" is, and whether it may do destructive things."""

    def __init__(
        self,
        data: PersonalData,
        now: datetime,
        focus: tuple[str, str] | None = None,
        confirmed: bool = False,
        language_model: Callable[[], LanguageModel | None] | None = None,
    ) -> None:
        self.data, self.now, self.focus, self.confirmed = data, now, focus, confirmed
        self.language_model = language_model  # loaded only by the tools that write prose

    # Argument parsing shared by both paths ----------------------------------------------
    def when(self, text: str | None, default_hour: int | None = None) -> tuple[date | datetime | None, str | None]:
        """The moment and repeat said; `default_hour` (reminders) gives a bare day its hour (domain/when.py)."""
        if not text or not text.strip():
            return None, None
        rest, said = split_when(text.lower(), self.now, default_hour=default_hour)
        if said is None or rest.strip(" ,.") not in {"", "due", "by", "on", "at", "for"}:
            from nargis_desktop.domain.when import parse_when

            try:
                return parse_when(text, self.now, default_hour=default_hour), None
            except DomainError as err:
                raise ToolError(f"I didn't understand the time {text!r}.") from err
        return said.at, said.rule

    def repeat(self, text: str | None) -> str | None:
        if not text:
            return None
        try:
            return phrase_to_rule(text)
        except DomainError as err:
            raise ToolError(f"I didn't understand how often: {text!r}.") from err

    def _pick(self, said: str | None, kind: str, candidates: list[tuple[str, str]]) -> Match | None:
        if not said or re.fullmatch(r"\s*(it|that|this|the last one|that one)\s*", said.lower()):
            if self.focus and self.focus[0] == kind:
                return Match(self.focus[1], "", 100)
            return None
        matches = best_match(said, candidates)
        if len(matches) > 1 and matches[0].score == matches[1].score and matches[0].name.lower() != said.lower():
            raise ToolError(f"Did you mean {listing([m.name for m in matches[:3]])}? Please say which one.")
        return matches[0] if matches else None

    def task(self, said: str | None, include_done: bool = False) -> Task:
        tasks = self.data.tasks(include_done=include_done)
        match = self._pick(said, "task", [(t.id, t.title) for t in tasks])
        if match is None:
            raise ToolError(f"I couldn't find a task called {said!r}." if said else "Which task?")
        return self.data.store.tasks.get(match.item_id)

    def habit(self, said: str | None) -> Habit:
        habits = self.data.store.habits.list("archived = 0")
        match = self._pick(said, "habit", [(h.id, h.name) for h in habits])
        if match is None:
            raise ToolError(
                f'You don\'t have a habit called {said!r} yet. Say "new habit {said}" to start one.'
                if said
                else "Which habit?"
            )
        return self.data.store.habits.get(match.item_id)

    def reminder(self, said: str | None) -> Reminder:
        reminders = self.data.reminders()
        if not said and not (self.focus and self.focus[0] == "reminder"):
            due = [r for r in reminders if r.is_due(self.now)]  # "snooze" alone: the one that just went off
            if due:
                return due[-1]
        match = self._pick(said, "reminder", [(r.id, r.text) for r in reminders])
        if match is None:
            raise ToolError(f"I couldn't find a reminder about {said!r}." if said else "Which reminder?")
        return self.data.store.reminders.get(match.item_id)


def _before(entity: str, item: Any) -> dict[str, Any]:
    codec: Any = {
        "task": codecs.TASKS,
        "habit": codecs.HABITS,
        "checkin": codecs.CHECKINS,
        "journal": codecs.JOURNAL,
        "reminder": codecs.REMINDERS,
    }[entity]
    return {"entity": entity, "id": item.id, "before": codec.to_row(item)}


def _created(entity: str, item_id: str) -> dict[str, Any]:
    return {"entity": entity, "id": item_id, "before": None}


def _guard(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except InputError as err:
        raise ToolError(err.message) from err


# Tasks -------------------------------------------------------------------------------------
def add_task(ctx: Context, args: dict[str, str]) -> Outcome:
    title = (args.get("title") or "").strip()
    if not title:
        raise ToolError("What's the task?")
    due, rule = ctx.when(args.get("when"))
    rule = ctx.repeat(args.get("repeat")) or rule
    if rule and due is None:
        due = ctx.now.date()
    priority = Priority.parse(args.get("priority")) if args.get("priority") else Priority.NONE
    task = _guard(
        lambda: ctx.data.add_task(title[0].upper() + title[1:], ctx.now, due=due, priority=priority, recurrence=rule)
    )
    parts = [f"Okay, added {task.title}"]  # "Okay," is heard at once, while the rest is made
    if due is not None:
        said = when_words(due, ctx.now)
        parts.append("for " + (said[3:] if said.startswith("on ") else said))
    if rule:
        parts.append(f"repeating {rule_words(rule)}")
    if priority is not Priority.NONE:
        parts.append(f"with {priority.value} priority")
    return Outcome(" ".join(parts) + ".", focus=("task", task.id), undo=[_created("task", task.id)])


_HABIT_DAY = (
    r"^(?P<name>.+?) (?:for |on )?(?P<day>today|yesterday|(?:last )?(?:mon|tues|wednes|thurs|fri|satur|sun)day)$"
)


def complete_task(ctx: Context, args: dict[str, str]) -> Outcome:
    try:
        task = ctx.task(args.get("task"))
    except ToolError:
        # "check off meditate": no such task, but a habit by that name is what was meant.
        if args.get("task") and ctx.data.store.habits.list("archived = 0"):
            # "tick off floss for yesterday": the day said after the habit is the check-in's day.
            said = re.match(_HABIT_DAY, args["task"], re.IGNORECASE)
            name, day = (said.group("name"), said.group("day")) if said else (args["task"], "today")
            try:
                ctx.habit(name)
            except ToolError:
                raise ToolError(f"I couldn't find a task called {args['task']!r}.") from None
            return check_habit(ctx, {"habit": name, "day": day})
        raise
    before = _before("task", task)
    done = _guard(lambda: ctx.data.complete_task(task, ctx.now))
    undo = [before, {"entity": "completion", "id": task.id, "before": iso(ctx.now)}]
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
    before = _before("task", task)
    ctx.data.store.tasks.delete(task.id)
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
        changes["title"] = args["title"].strip()
    if args.get("priority"):
        changes["priority"] = Priority.parse(args["priority"])
    if not changes:
        raise ToolError(f"What should I change about {task.title}?")
    before = _before("task", task)
    edited = _guard(lambda: ctx.data.edit_task(task, **changes))
    said = []
    if "due" in changes and edited.due is not None:
        said.append(f"moved to {when_words(edited.due, ctx.now, after_preposition=True)}")
    if "title" in changes:
        said.append(f"renamed to {edited.title}")
    if "priority" in changes:
        said.append(f"set to {edited.priority.value} priority")
    return Outcome(f"{task.title}: {listing(said) or 'updated'}.", focus=("task", task.id), undo=[before])


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
        undo += [_before("task", task), {"entity": "completion", "id": task.id, "before": iso(ctx.now)}]
        ctx.data.complete_task(task, ctx.now)
    return Outcome(f"Done: completed {len(tasks)} tasks.", undo=undo)


# Habits ------------------------------------------------------------------------------------
def add_habit(ctx: Context, args: dict[str, str]) -> Outcome:
    name = (args.get("name") or "").strip()
    if not name:
        raise ToolError("What should the habit be called?")
    schedule = args.get("schedule") or "daily"
    try:
        habit = _guard(lambda: ctx.data.add_habit(name[0].upper() + name[1:], ctx.now, schedule=schedule))
    except ToolError:
        raise
    return Outcome(
        f"Started a new habit: {habit.name}, {_schedule_words(habit)}.",
        focus=("habit", habit.id),
        undo=[_created("habit", habit.id)],
    )


def _schedule_words(habit: Habit) -> str:
    if habit.schedule.times_per_week:
        return f"{habit.schedule.times_per_week} times a week"
    return rule_words(habit.schedule.rule or "FREQ=DAILY")


def check_habit(ctx: Context, args: dict[str, str]) -> Outcome:
    habit = ctx.habit(args.get("habit"))
    day = _past_day(ctx, args.get("day"))
    existing = ctx.data.store.checkins.list("habit_id = ? AND day = ?", (habit.id, iso(day)))
    undo = [_before("checkin", existing[0])] if existing else []
    if day < habit.start:
        undo.append(_before("habit", habit))
    checkin = _guard(lambda: ctx.data.check_in(habit, day, ctx.now))
    if not existing:
        undo.append(_created("checkin", checkin.id))
    streak = ctx.data.streak(ctx.data.store.habits.get(habit.id), ctx.now.date())
    when = "today" if day == ctx.now.date() else when_words(day, ctx.now, after_preposition=True)
    tail = f" That's a {streak.current}-{streak.unit} streak." if streak.current > 1 else ""
    return Outcome(f"Checked off {habit.name} for {when}.{tail}", focus=("habit", habit.id), undo=undo)


def _past_day(ctx: Context, said: str | None) -> date:
    """The day a check-in is for: what was done is in the past ("on friday" is the one that passed)."""
    today = ctx.now.date()
    text = (said or "today").lower().strip()
    if re.fullmatch(r"(?:this |in the )?(?:morning|afternoon|evening)|tonight|today|now|earlier", text):
        return today
    if re.fullmatch(r"last night|yesterday|yesterday (?:morning|evening|afternoon)", text):
        return today - timedelta(days=1)
    from nargis_desktop.domain.when import parse_check_in_day  # the grammar `habit check --day` reads with

    return parse_check_in_day(text, ctx.now)


def habit_streak(ctx: Context, args: dict[str, str]) -> Outcome:
    habit = ctx.habit(args.get("habit"))
    streak = ctx.data.streak(habit, ctx.now.date())
    unit = streak.unit + ("" if streak.current == 1 else "s")
    best = f" Your best is {streak.best}." if streak.best > streak.current else ""
    if streak.current == 0:
        return Outcome(f"Your {habit.name} streak is at zero right now.{best}", focus=("habit", habit.id))
    return Outcome(f"Your {habit.name} streak is {streak.current} {unit}.{best}", focus=("habit", habit.id))


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


def list_habits(ctx: Context, args: dict[str, str]) -> Outcome:
    from nargis_desktop.services.agenda import today

    agenda = today(ctx.data.store, ctx.now)
    if not agenda.habits_to_check and not agenda.habits_done:
        return Outcome("You have no habits due today.")
    if not agenda.habits_to_check:
        return Outcome("All your habits are done for today. Well done!")
    return Outcome(f"Still to do today: {listing([h.name for h in agenda.habits_to_check])}.")


# Journal -----------------------------------------------------------------------------------
RELEVANT_SCORE = 0.25  # cosine of unrelated entries sits near 0.1; a shared name adds 0.15


def search_journal(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "What did I write about Sara last month?": search by meaning, within the period said."""
    from nargis_desktop.domain.periods import period
    from nargis_desktop.services.journal_summary import first_sentence

    query = args.get("query", "").strip(" ?.")
    if not query:
        raise ToolError("What should I look for in your journal?")
    when = args.get("when", "").strip()
    days = period(when, ctx.now.date()) if when else None
    if when and days is None:
        raise ToolError(f"I didn't understand the period {when!r}.")
    first, last = days or (None, None)
    hits = [
        hit
        for hit in ctx.data.journal_search().search(query, limit=3, first=first, last=last)
        if hit.score >= RELEVANT_SCORE
    ]
    span = f" {when}" if when else ""
    if not hits:
        return Outcome(f"I found nothing in your journal about {query}{span}.")
    top = hits[0].entry
    more = len(hits) - 1
    tail = f" I found {more} more {'entry' if more == 1 else 'entries'} too." if more else ""
    return Outcome(
        f"On {top.created_at:%A %d %B} you wrote: {first_sentence(top.text)}{tail}", focus=("journal", top.id)
    )


def summarize_week(ctx: Context, args: dict[str, str]) -> Outcome:
    from nargis_desktop.services.journal_summary import summarize_week as summarize

    # By meaning, without the language model: the reply comes in well under a second.
    summary = summarize(ctx.data.store, ctx.now, None, ctx.data.journal_embedder())
    focus = ("journal", summary.sources[-1].id) if summary.sources else None
    return Outcome(summary.spoken(), focus=focus)


def add_journal(ctx: Context, args: dict[str, str]) -> Outcome:
    text = (args.get("text") or "").strip()
    if not text:
        raise ToolError("What would you like to write?")
    mood = None
    if args.get("mood"):
        from nargis_desktop.domain.journal import parse_mood

        try:
            mood = parse_mood(args["mood"])
        except DomainError:
            mood = None
    entry = _guard(lambda: ctx.data.add_journal(text[0].upper() + text[1:], ctx.now, mood=mood))
    return Outcome("Saved to your journal.", focus=("journal", entry.id), undo=[_created("journal", entry.id)])


# Reminders ---------------------------------------------------------------------------------
def add_reminder(ctx: Context, args: dict[str, str]) -> Outcome:
    text = (args.get("text") or "").strip()
    if not text:
        raise ToolError("What should I remind you about?")
    at, rule = ctx.when(args.get("when"), default_hour=DEFAULT_REMINDER_HOUR)
    rule = ctx.repeat(args.get("repeat")) or rule
    if at is None and rule is None:
        raise ToolError("When should I remind you?")
    moment = _first_time(ctx, at, rule)
    reminder = _guard(lambda: ctx.data.add_reminder(text, moment, ctx.now, recurrence=rule))
    repeat = f", {rule_words(rule)}" if rule else ""
    return Outcome(
        f"Okay, I'll remind you to {_second_person(text)} {when_words(moment, ctx.now)}{repeat}.",
        focus=("reminder", reminder.id),
        undo=[_created("reminder", reminder.id)],
    )


def _first_time(ctx: Context, at: date | datetime | None, rule: str | None) -> datetime:
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


def _second_person(text: str) -> str:
    swaps = {"my": "your", "me": "you", "i": "you", "myself": "yourself", "i'm": "you're", "mine": "yours"}
    return " ".join(swaps.get(w.lower(), w) for w in text.split())


def snooze_reminder(ctx: Context, args: dict[str, str]) -> Outcome:
    reminder = ctx.reminder(args.get("reminder"))
    try:
        minutes = float(args.get("minutes") or 10)
    except ValueError as err:
        raise ToolError(f"For how long? I didn't understand {args.get('minutes')!r}.") from err
    before = _before("reminder", reminder)
    snoozed = _guard(lambda: ctx.data.snooze_reminder(reminder, minutes, ctx.now))
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
            f"This cancels the reminder to {_second_person(reminder.text)}. Say yes to confirm.",
            needs_confirmation=True,
        )
    before = _before("reminder", reminder)
    ctx.data.store.reminders.delete(reminder.id)
    return Outcome(f"Cancelled the reminder to {_second_person(reminder.text)}.", undo=[before])


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
    said = [f"{_second_person(r.text)} {when_words(r.fires_at or r.at, ctx.now)}" for r in reminders]
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


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool("add_task", CREATE, ("title", "when", "repeat", "priority"), ("title",), "add a task", add_task),
        Tool("complete_task", CHANGE, ("task",), ("task",), "mark a task done", complete_task),
        Tool("delete_task", DESTRUCTIVE, ("task",), ("task",), "delete a task", delete_task),
        Tool("edit_task", CHANGE, ("task", "when", "title", "priority"), ("task",), "change a task", edit_task),
        Tool("list_tasks", READ, ("when",), (), "list tasks (today, tomorrow, overdue, all)", list_tasks),
        Tool("complete_all_tasks", DESTRUCTIVE, ("scope",), (), "complete many tasks", complete_all_tasks),
        Tool("add_habit", CREATE, ("name", "schedule"), ("name",), "start a habit", add_habit),
        Tool("check_habit", CHANGE, ("habit", "day"), ("habit",), "check in a habit", check_habit),
        Tool("habit_streak", READ, ("habit",), ("habit",), "tell a habit's streak", habit_streak),
        Tool("list_habits", READ, (), (), "habits still to do today", list_habits),
        Tool("task_progress", READ, (), (), "how many tasks were finished this week", task_progress),
        Tool("weekly_review", READ, (), (), "a short review of the week", weekly_review),
        Tool("add_journal", CREATE, ("text", "mood"), ("text",), "write a journal entry", add_journal),
        Tool("search_journal", READ, ("query", "when"), ("query",), "find what was written about", search_journal),
        Tool("summarize_week", READ, (), (), "summarize the week's journal", summarize_week),
        Tool("add_reminder", CREATE, ("text", "when", "repeat"), ("text",), "set a reminder", add_reminder),
        Tool("snooze_reminder", CHANGE, ("reminder", "minutes"), (), "snooze a reminder", snooze_reminder),
        Tool("cancel_reminder", DESTRUCTIVE, ("reminder",), ("reminder",), "cancel a reminder", cancel_reminder),
        Tool("list_reminders", READ, ("when",), (), "list reminders", list_reminders),
        Tool("chat", READ, ("topic",), (), "answer thanks, hello or help", chat),
    )
}


def undo(data: PersonalData, records: list[dict[str, Any]]) -> None:
    """Put back what one action changed: created items are (soft) deleted, changed ones restored."""
    repos = {
        "task": data.store.tasks,
        "habit": data.store.habits,
        "checkin": data.store.checkins,
        "journal": data.store.journal,
        "reminder": data.store.reminders,
    }
    with data.store.transaction():
        for record in reversed(records):
            if record["entity"] == "completion":  # named by task and time: records saved before completions had ids
                done = data.store.completions.list("task_id = ? AND completed_at = ?", (record["id"], record["before"]))
                for completion in done:
                    data.store.completions.delete(completion.id)  # a soft delete, so the undo syncs too
                continue
            repo: Any = repos[record["entity"]]
            if record["before"] is None:
                if record["id"] in repo.ids():
                    repo.delete(record["id"])
                continue
            if record["id"] in repo.ids(deleted=True):
                repo.undelete(record["id"])
            repo.save(repo.codec.from_row(record["before"]))


def describe_for_prompt() -> str:
    return "\n".join(f"- {t.name}({', '.join(t.params)}): {t.description}" for t in TOOLS.values())
