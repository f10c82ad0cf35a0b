"""The evaluation set: everyday utterances and the effect each must have on the exported data.

The base profile (harness.build_base) has tasks Buy milk (today), Call the bank (tomorrow), Write
report (overdue, high), Pay rent (monthly), Renew passport (no date), Email Sara about the trip
(today); habits Meditate, Run (3/week), Read, Drink water, Floss; reminders Stretch (today 11:00),
Team standup (weekdays 9:00), Take out the bins (tomorrow 19:00). Now is Wed 25 Nov 2026, 09:30.
"""

from __future__ import annotations

from typing import Any

from nargis_desktop.assistant.calls import NEEDS_CONFIRMATION, Turn
from tests.assistant.harness import Effect, Expectation


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, str) and isinstance(wanted, str):
        return value.strip().lower() == wanted.strip().lower()
    return bool(value == wanted)


def _only(effect: Effect, kind: str, *, allow: tuple[str, ...] = ()) -> bool:
    others = [k for k in effect.added if k != kind and k not in allow]
    return not any(effect.added[k] or effect.changed[k] or effect.removed[k] for k in others)


def added(kind: str, **fields: Any) -> Expectation:
    def check(effect: Effect, _turn: Turn) -> bool:
        items = effect.added[kind]
        return (
            len(items) == 1
            and all(_same(items[0].get(k), v) for k, v in fields.items())
            and not effect.changed[kind]
            and not effect.removed[kind]
            and _only(effect, kind)
        )

    return check


def task(title: str, due: str | None = None, **fields: Any) -> Expectation:
    return added("tasks", title=title, due=due, **fields)


def reminder(text: str, at: str, recurrence: str | None = None) -> Expectation:
    return added("reminders", text=text, at=at, recurrence=recurrence)


def checked(habit: str, day: str = "2026-11-25") -> Expectation:
    def check(effect: Effect, _turn: Turn) -> bool:
        items = effect.added["checkins"]
        return (
            len(items) == 1
            and _same(items[0]["habit"], habit)
            and items[0]["date"] == day
            and _only(effect, "checkins", allow=("habits",))
        )

    return check


def changed(kind: str, name: str, **fields: Any) -> Expectation:
    label = {"tasks": "title", "habits": "name", "reminders": "text"}[kind]

    def check(effect: Effect, _turn: Turn) -> bool:
        items = [new for old, new in effect.changed[kind] if _same(old[label], name)]
        return (
            len(items) == 1
            and all(_same(items[0].get(k), v) for k, v in fields.items())
            and len(effect.changed[kind]) == 1
            and _only(effect, kind)
        )

    return check


def nothing(*words: str) -> Expectation:
    """No data changed, and the reply says each of `words`."""

    def check(effect: Effect, turn: Turn) -> bool:
        return effect.empty and all(w.lower() in turn.reply.lower() for w in words)

    return check


def asks_confirmation(*words: str) -> Expectation:
    def check(effect: Effect, turn: Turn) -> bool:
        return (
            effect.empty
            and bool(turn.actions)
            and turn.actions[0].status == NEEDS_CONFIRMATION
            and all(w.lower() in turn.reply.lower() for w in words)
        )

    return check


TOMORROW_5PM = "2026-11-26T17:00:00"
CASES: list[tuple[str, Expectation]] = [
    # Reminders: times, days, relative, repeats, phrasing
    ("remind me to call mom tomorrow at 5", reminder("call mom", TOMORROW_5PM)),
    ("Remind me to call mom tomorrow at 5 pm", reminder("call mom", TOMORROW_5PM)),
    ("remind me to call mom at 5pm tomorrow", reminder("call mom", TOMORROW_5PM)),
    ("tomorrow at 5 remind me to call mom", reminder("call mom", TOMORROW_5PM)),
    ("hey nargis remind me to call mom tomorrow at five", reminder("call mom", TOMORROW_5PM)),
    ("please remind me to call mom tomorrow at 17:00", reminder("call mom", TOMORROW_5PM)),
    ("remind me to call mom tomorow at 5", reminder("call mom", TOMORROW_5PM)),
    ("Remind me to call mom tomorrow at 5.00 pm.", reminder("call mom", TOMORROW_5PM)),  # as whisper writes it
    ("can you remind me to call mom tomorrow at 5 p.m.", reminder("call mom", TOMORROW_5PM)),
    ("remind me to stretch in 20 minutes", reminder("stretch", "2026-11-25T09:50:00")),
    ("remind me to stretch in twenty minutes", reminder("stretch", "2026-11-25T09:50:00")),
    ("remind me in 2 hours to check the oven", reminder("check the oven", "2026-11-25T11:30:00")),
    ("remind me to check the oven in half an hour", reminder("check the oven", "2026-11-25T10:00:00")),
    ("remind me to move the car in an hour", reminder("move the car", "2026-11-25T10:30:00")),
    ("remind me to take my pills tonight", reminder("take my pills", "2026-11-25T20:00:00")),
    ("remind me to water the plants this evening", reminder("water the plants", "2026-11-25T18:00:00")),
    ("remind me to buy flowers at noon", reminder("buy flowers", "2026-11-25T12:00:00")),
    ("remind me about the dentist on friday at 10:30", reminder("the dentist", "2026-11-27T10:30:00")),
    ("remind me to pack on friday", reminder("pack", "2026-11-27T09:00:00")),
    ("remind me to book tickets next monday at 9am", reminder("book tickets", "2026-11-30T09:00:00")),
    ("remind me to pay the gas bill on december 3rd", reminder("pay the gas bill", "2026-12-03T09:00:00")),
    ("remind me to call grandma on the 5th at 6pm", reminder("call grandma", "2026-12-05T18:00:00")),
    ("remind me at 8 in the evening to lock the door", reminder("lock the door", "2026-11-25T20:00:00")),
    ("remind me to stand up at 3", reminder("stand up", "2026-11-25T15:00:00")),
    ("remind me to leave at 4:45 pm", reminder("leave", "2026-11-25T16:45:00")),
    (
        "remind me to take vitamins every weekday at 7am",
        reminder("take vitamins", "2026-11-26T07:00:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ),
    (
        "every weekday at 7am remind me to take vitamins",
        reminder("take vitamins", "2026-11-26T07:00:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ),
    (
        "remind me to pay rent on the first of every month",
        reminder("pay rent", "2026-12-01T09:00:00", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ),
    (
        "remind me to water the plants every monday and thursday at 8am",
        reminder("water the plants", "2026-11-26T08:00:00", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ),
    ("remind me to call dad every sunday at 6pm", reminder("call dad", "2026-11-29T18:00:00", "FREQ=WEEKLY;BYDAY=SU")),
    ("remind me every day at 10pm to floss", reminder("floss", "2026-11-25T22:00:00", "FREQ=DAILY")),
    (
        "remind me to review my budget every 2 weeks",
        reminder("review my budget", "2026-11-26T09:00:00", "FREQ=WEEKLY;INTERVAL=2"),
    ),
    (
        "set a reminder to renew the car insurance on december 15",
        reminder("renew the car insurance", "2026-12-15T09:00:00"),
    ),
    ("set a reminder for 6pm to start dinner", reminder("start dinner", "2026-11-25T18:00:00")),
    ("create a reminder: yoga class tomorrow at 6:30 pm", reminder("yoga class", "2026-11-26T18:30:00")),
    ("reminder: bins out tomorrow at 7pm", reminder("bins out", "2026-11-26T19:00:00")),
    ("REMIND ME TO CALL THE PLUMBER TOMORROW AT 9", reminder("call the plumber", "2026-11-26T09:00:00")),
    ("um remind me to feed the cat at 6 pm please", reminder("feed the cat", "2026-11-25T18:00:00")),
    ("remind me to send the invoice next friday at 11", reminder("send the invoice", "2026-12-04T11:00:00")),
    ("remind me to check the mail at midnight", reminder("check the mail", "2026-11-26T00:00:00")),
    ("could you remind me to text Sara in 45 minutes", reminder("text Sara", "2026-11-25T10:15:00")),
    # Reminders: list, snooze, cancel
    ("what reminders do I have tomorrow?", nothing("standup", "bins")),
    ("what reminders do I have", nothing("stretch", "standup", "bins")),
    ("do I have any reminders today", nothing("stretch")),
    ("show me my reminders", nothing("3 reminders")),
    ("list reminders", nothing("stretch")),
    (
        "snooze the stretch reminder for 10 minutes",
        changed("reminders", "Stretch", snoozed_until="2026-11-25T11:10:00"),
    ),
    ("snooze stretch reminder for 1 hour", changed("reminders", "Stretch", snoozed_until="2026-11-25T12:00:00")),
    ("cancel the reminder to stretch", asks_confirmation("stretch")),
    ("delete my bins reminder", asks_confirmation("bins")),
    ("don't remind me to stretch", asks_confirmation("stretch")),
    # Tasks: add
    ("add buy eggs to my list", task("Buy eggs")),
    ("add a task to buy eggs", task("Buy eggs")),
    ("new task: buy eggs", task("Buy eggs")),
    ("add task call the plumber tomorrow", task("Call the plumber", "2026-11-26")),
    ("add call the plumber to my to-do list for tomorrow", task("Call the plumber", "2026-11-26")),
    ("I need to renew my library card by next friday", task("Renew my library card", "2026-12-04")),
    ("I have to finish the slides by friday", task("Finish the slides", "2026-11-27")),
    ("add finish the slides due friday high priority", task("Finish the slides", "2026-11-27", priority="high")),
    ("add an urgent task fix the leaking tap", task("Fix the leaking tap", priority="high")),
    ("add a low priority task clean the garage on saturday", task("Clean the garage", "2026-11-28", priority="low")),
    ("create a task submit taxes on december 31", task("Submit taxes", "2026-12-31")),
    ("put pick up the dry cleaning on my list", task("Pick up the dry cleaning")),
    ("add water the plants every week", task("Water the plants", "2026-11-25", recurrence="FREQ=WEEKLY")),
    (
        "add take out recycling every tuesday",
        task("Take out recycling", "2026-11-25", recurrence="FREQ=WEEKLY;BYDAY=TU"),
    ),
    ("task: book a haircut", task("Book a haircut")),
    ("to-do: order printer ink", task("Order printer ink")),
    ("add a new task prepare the quarterly review for next monday", task("Prepare the quarterly review", "2026-11-30")),
    ("i need to call the vet tomorrow at 10am", task("Call the vet", "2026-11-26T10:00:00")),
    ("Add Book flights to Lisbon", task("Book flights to Lisbon")),
    ("add buy a birthday present for Anna in 3 days", task("Buy a birthday present for Anna", "2026-11-28")),
    # Tasks: complete, edit, delete, list
    ("mark buy milk as done", changed("tasks", "Buy milk", done=True)),
    ("I bought the milk", None),  # placeholder replaced below
    ("done with buy milk", changed("tasks", "Buy milk", done=True)),
    ("complete the task buy milk", changed("tasks", "Buy milk", done=True)),
    ("check off buy milk", changed("tasks", "Buy milk", done=True)),
    ("tick off write report", changed("tasks", "Write report", done=True)),
    ("I finished the report", changed("tasks", "Write report", done=True)),
    ("mark the report as complete", changed("tasks", "Write report", done=True)),
    ("finished emailing sara", changed("tasks", "Email Sara about the trip", done=True)),
    ("mark pay rent done", changed("tasks", "Pay rent", due="2027-01-01", done=False)),
    ("buy milk is done", changed("tasks", "Buy milk", done=True)),
    ("move call the bank to friday", changed("tasks", "Call the bank", due="2026-11-27")),
    ("reschedule the report for tomorrow", changed("tasks", "Write report", due="2026-11-26")),
    ("push buy milk to next monday", changed("tasks", "Buy milk", due="2026-11-30")),
    ("change the due date of renew passport to december 10", changed("tasks", "Renew passport", due="2026-12-10")),
    ("make call the bank high priority", changed("tasks", "Call the bank", priority="high")),
    ("set the priority of buy milk to low", changed("tasks", "Buy milk", priority="low")),
    ("rename buy milk to buy oat milk", changed("tasks", "Buy milk", title="Buy oat milk")),
    ("delete the task buy milk", asks_confirmation("buy milk")),
    ("remove renew passport from my list", asks_confirmation("renew passport")),
    ("get rid of the bank task", asks_confirmation("call the bank")),
    ("what's on my list today?", nothing("buy milk", "email sara", "write report")),
    ("what do I have to do today", nothing("buy milk")),
    ("what's on my agenda for tomorrow", nothing("call the bank")),
    ("what's due tomorrow?", nothing("call the bank")),
    ("whats overdue", nothing("write report")),
    ("show me all my tasks", nothing("renew passport")),
    ("list my tasks", nothing("buy milk")),
    ("any tasks for tomorrow?", nothing("call the bank")),
    ("what do I need to do this week", nothing("call the bank", "buy milk")),
    ("complete all tasks for today", asks_confirmation("3 tasks")),
    ("mark everything as done", asks_confirmation("tasks")),
    ("clear my list", asks_confirmation("tasks")),
    # Habits: check in
    ("I meditated today", checked("Meditate")),
    ("i meditated", checked("Meditate")),
    ("I went running yesterday", checked("Run", "2026-11-24")),
    ("went for a run this morning", checked("Run")),
    ("I ran today", checked("Run")),
    ("just did my reading", checked("Read")),
    ("I read today", checked("Read")),
    ("I drank my water", checked("Drink water")),
    ("I flossed last night", checked("Floss", "2026-11-24")),
    ("check off meditate", checked("Meditate")),
    ("check off my floss habit", checked("Floss")),
    ("log my run for yesterday", checked("Run", "2026-11-24")),
    ("mark the reading habit as done", checked("Read")),
    ("check in meditation", checked("Meditate")),
    ("I read on monday", checked("Read", "2026-11-23")),
    ("Hey, I finished my meditation today", checked("Meditate")),
    # Habits: create, streaks, list
    ("create a habit called journaling", added("habits", name="Journaling", schedule="FREQ=DAILY")),
    ("start a new habit: stretch every morning", added("habits", name="Stretch", schedule="FREQ=DAILY")),
    (
        "add a habit to practice guitar 3 times a week",
        added("habits", name="Practice guitar", schedule="3 times per week"),
    ),
    (
        "new habit yoga every monday, wednesday and friday",
        added("habits", name="Yoga", schedule="FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    ),
    ("track push-ups as a habit", added("habits", name="Push-ups")),
    ("I want to start a habit of walking daily", added("habits", name="Walking", schedule="FREQ=DAILY")),
    ("how long is my meditation streak?", nothing("meditate", "5 days")),
    ("what's my meditate streak", nothing("5 days")),
    ("how's my running streak", nothing("run")),
    ("what is my reading streak", nothing("read", "zero")),
    ("how am I doing with meditation", nothing("5 days")),
    ("how many days in a row have I meditated", nothing("5 days")),
    ("streak for floss", None),  # placeholder replaced below
    ("what habits do I have left today", nothing("meditate", "read")),
    ("which habits are left", nothing("floss")),
    # Journal
    ("new journal entry: today was a good day", added("journal", text="today was a good day")),
    (
        "journal: Had coffee with Sara, talked about Lisbon.",
        added("journal", text="Had coffee with Sara, talked about Lisbon."),
    ),
    ("dear diary, I slept badly and felt tired", added("journal", text="dear diary, I slept badly and felt tired")),
    ("write in my journal that the interview went well", added("journal", text="the interview went well")),
    ("add a journal entry: finished the first draft", added("journal", text="finished the first draft")),
    ("Journal entry - long run in the rain, felt great", added("journal", text="long run in the rain, felt great")),
    ("diary: quiet evening at home", added("journal", text="quiet evening at home")),
    ("note in my diary that mom called", added("journal", text="mom called")),
    # Conversation and unclear input
    ("thanks", nothing("welcome")),
    ("thank you so much", nothing("welcome")),
    ("what can you do?", nothing("remind")),
    ("help", nothing("tasks")),
    ("hello", nothing("hi")),
    ("asdf qwer zxcv", nothing("say it another way")),
    ("blorptastic wibble frong", nothing("say it another way")),
    ("undo", nothing("nothing to undo")),
    ("yes", nothing("nothing waiting")),
    ("what's the weather like tomorrow", nothing()),
    ("tell me a joke", nothing()),
    ("who won the football yesterday", nothing()),
]

# Two placeholders above show where wording alone cannot decide; they are filled here so the
# list stays readable in order.
CASES = [(text, check) for text, check in CASES if check is not None] + [
    ("I bought the milk", changed("tasks", "Buy milk", done=True)),
    ("what's my floss streak", nothing("floss", "zero")),
    ("remind me to call the bank at 10", reminder("call the bank", "2026-11-25T10:00:00")),
    ("remind me to go to the gym at 7 tomorrow", reminder("go to the gym", "2026-11-26T07:00:00")),
    ("remind me to call Sara on saturday at 2pm", reminder("call Sara", "2026-11-28T14:00:00")),
    ("add renew the lease on the 20th", task("Renew the lease", "2026-12-20")),
    ("add pick up the kids at 3:30 tomorrow", task("Pick up the kids", "2026-11-26T15:30:00")),
    ("mark email sara done", changed("tasks", "Email Sara about the trip", done=True)),
    ("I read 20 pages today", checked("Read")),
    ("log a meditation session", checked("Meditate")),
    # Beyond the fast path: the local model picks the tool, the same validator checks it.
    ("buy batteries", task("Buy batteries")),
    ("shopping list: bread", task("Bread")),
    ("milk and eggs for the shopping", task("Milk and eggs")),
    ("fix the bike this weekend", task("Fix the bike", "2026-11-28")),
    ("schedule a call with Tom on friday", task("Schedule a call with Tom", "2026-11-27")),
    ("wake me up at 6 tomorrow", reminder("wake up", "2026-11-26T06:00:00")),
]
