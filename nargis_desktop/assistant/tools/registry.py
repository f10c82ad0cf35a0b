"""The one registry: each tool once, with its kind. The kind decides everything else — a question
may only run READ tools, DESTRUCTIVE ones wait for a "yes", the others can be undone under their
label — so there is no second table to keep in step."""

from __future__ import annotations

from nargis_desktop.assistant.tools.answers import (
    all_habits,
    day_agenda,
    habit_on_day,
    journal_on_day,
    next_time,
    task_progress,
    task_status,
    weekly_review,
)
from nargis_desktop.assistant.tools.base import CHANGE, CREATE, DESTRUCTIVE, READ, Tool
from nargis_desktop.assistant.tools.edits import change_repeat, move_reminder
from nargis_desktop.assistant.tools.habits import add_habit, check_habit, habit_streak, list_habits
from nargis_desktop.assistant.tools.journal import add_journal, search_journal, summarize_week
from nargis_desktop.assistant.tools.reminders import (
    add_reminder,
    cancel_reminder,
    chat,
    list_reminders,
    snooze_reminder,
)
from nargis_desktop.assistant.tools.tasks import (
    add_task,
    complete_all_tasks,
    complete_task,
    delete_task,
    edit_task,
    list_tasks,
)

_ENTRIES = (
    # Tasks
    Tool(
        "add_task",
        CREATE,
        ("title", "when", "repeat", "priority"),
        ("title",),
        "add a task",
        add_task,
        "adding that task",
    ),
    Tool("complete_task", CHANGE, ("task",), ("task",), "mark a task done", complete_task, "completing that task"),
    Tool("delete_task", DESTRUCTIVE, ("task",), ("task",), "delete a task", delete_task, "deleting that task"),
    Tool(
        "edit_task",
        CHANGE,
        ("task", "when", "by", "title", "priority"),
        ("task",),
        "change a task, or push it back by an amount",
        edit_task,
        "that change",
    ),
    Tool("list_tasks", READ, ("when",), (), "list tasks (today, tomorrow, overdue, all)", list_tasks),
    Tool(
        "complete_all_tasks",
        DESTRUCTIVE,
        ("scope",),
        (),
        "complete many tasks",
        complete_all_tasks,
        "completing those tasks",
    ),
    Tool("task_status", READ, ("task",), ("task",), "whether a task is done", task_status),
    Tool("task_progress", READ, (), (), "how many tasks were finished this week", task_progress),
    # Habits
    Tool("add_habit", CREATE, ("name", "schedule", "done_on"), ("name",), "start a habit", add_habit, "the new habit"),
    Tool("check_habit", CHANGE, ("habit", "day"), ("habit",), "check in a habit", check_habit, "that check-in"),
    Tool("habit_streak", READ, ("habit",), ("habit",), "tell a habit's streak", habit_streak),
    Tool("list_habits", READ, (), (), "habits still to do today", list_habits),
    Tool("all_habits", READ, (), (), "the habits being tracked", all_habits),
    Tool("habit_on_day", READ, ("habit", "day"), ("habit",), "whether a habit was done on a day", habit_on_day),
    # Journal
    Tool(
        "add_journal", CREATE, ("text", "mood"), ("text",), "write a journal entry", add_journal, "that journal entry"
    ),
    Tool("search_journal", READ, ("query", "when"), ("query",), "find what was written about", search_journal),
    Tool("summarize_week", READ, (), (), "summarize the week's journal", summarize_week),
    Tool("journal_on_day", READ, ("when",), (), "what was written on a day", journal_on_day),
    # Reminders
    Tool(
        "add_reminder", CREATE, ("text", "when", "repeat"), ("text",), "set a reminder", add_reminder, "that reminder"
    ),
    Tool("snooze_reminder", CHANGE, ("reminder", "minutes"), (), "snooze a reminder", snooze_reminder, "the snooze"),
    Tool(
        "cancel_reminder",
        DESTRUCTIVE,
        ("reminder",),
        ("reminder",),
        "cancel a reminder",
        cancel_reminder,
        "cancelling that reminder",
    ),
    Tool(
        "move_reminder",
        CHANGE,
        ("reminder", "when", "by"),
        (),
        "move a reminder or push it back",
        move_reminder,
        "moving that reminder",
    ),
    Tool("list_reminders", READ, ("when",), (), "list reminders", list_reminders),
    # Across kinds
    Tool(
        "change_repeat",
        CHANGE,
        ("item", "repeat"),
        ("item", "repeat"),
        "change how often a task, reminder or habit repeats",
        change_repeat,
        "that change",
    ),
    Tool("next_time", READ, ("item",), (), "when a task, reminder or habit next comes up", next_time),
    Tool("day_agenda", READ, ("when",), (), "what is planned on a day", day_agenda),
    Tool("weekly_review", READ, (), (), "a short review of the week", weekly_review),
    Tool("chat", READ, ("topic",), (), "answer thanks, hello or help", chat),
)
TOOLS: dict[str, Tool] = {tool.name: tool for tool in _ENTRIES}
READ_TOOLS = frozenset(name for name, tool in TOOLS.items() if not tool.writes)
CONFIRMING_TOOLS = frozenset(name for name, tool in TOOLS.items() if tool.asks_first)


def describe_for_prompt() -> str:
    return "\n".join(f"- {t.name}({', '.join(t.params)}): {t.description}" for t in TOOLS.values())
