"""The fast path: a deterministic reading of the everyday commands, in many phrasings.

It answers in well under a millisecond of its own work and is right whenever it answers, so the
small local model is asked only about what this does not recognise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from nargis_desktop.assistant.calls import ToolCall
from nargis_desktop.assistant.when_phrases import NUMBER_WORDS

LEADING_FILLER = re.compile(
    r"^(?:(?:hey|hi|ok|okay|so|um+|uh+|well|nargis|please|yo|let's)\b[\s,]*"
    r"|(?:can|could|would|will) you(?: please)?\s+|i(?:'d| would) like you to\s+|i want you to\s+"
    r"|go ahead and\s+|just\s+|quickly\s+)+",
    re.IGNORECASE,
)
TRAILING_FILLER = re.compile(r"(?:[\s,]+(?:please|thanks|thank you|for me|ok(?:ay)?|(?<!from )now))+$", re.IGNORECASE)
TYPOS = {
    "tomorow": "tomorrow",
    "tommorow": "tomorrow",
    "tommorrow": "tomorrow",
    "tmrw": "tomorrow",
    "2morrow": "tomorrow",
    "tmr": "tomorrow",
    "remnd": "remind",
    "remid": "remind",
    "remaind": "remind",
    "remine": "remind",
    "minuts": "minutes",
    "mins": "minutes",
    "min": "minutes",
    "hrs": "hours",
    "hr": "hours",
    "tonite": "tonight",
    "pls": "please",
    "plz": "please",
    "todo": "to-do",
    "reminer": "reminder",
    "remider": "reminder",
    "jounral": "journal",
    "journl": "journal",
    "strek": "streak",
    "streek": "streak",
    "tasks's": "tasks",
    "habbit": "habit",
    "wendesday": "wednesday",
    "wensday": "wednesday",
    "thursay": "thursday",
    "fryday": "friday",
    "whats": "what's",
    "im": "i'm",
    "dont": "don't",
    "ive": "i've",
}
_NUM = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))


def _number(word: str) -> int:
    return NUMBER_WORDS[word.lower()]


def normalize(text: str) -> str:
    """Lower case, typos fixed, fillers dropped, numbers as digits where they are times or amounts."""
    text = text.strip().replace("’", "'")
    text = re.sub(r"[!?]+$|\.+$", "", text).strip()
    # Case is kept (titles and journal text are the person's words); every pattern ignores it.
    text = " ".join(TYPOS.get(w.lower(), w) for w in text.split())
    text = LEADING_FILLER.sub("", text)
    # Speech recognisers hear "Add …" as "At …" at the start; a real time there has a number or day.
    text = re.sub(
        r"^at\s+(?!\d|noon|midnight|night|the weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day|what\b|which\b|when\b|how\b|whose\b)",
        "add ",
        text,
        flags=re.IGNORECASE,
    )
    text = TRAILING_FILLER.sub("", text)
    # "at five thirty" -> "at 5:30"; "in twenty minutes" -> "in 20 minutes"; "five pm" -> "5 pm"
    flags = re.IGNORECASE
    text = re.sub(
        rf"\bat ({_NUM}) (thirty|fifteen|forty-five|forty five)\b",
        lambda m: f"at {_number(m.group(1))}:{_number(m.group(2)):02d}",
        text,
        flags=flags,
    )
    text = re.sub(
        rf"\b({_NUM})(?=\s*(?:minutes?|hours?|days?|weeks?|months?|am\b|pm\b|a\.m\.|p\.m\.|o'clock|times?\b))",
        lambda m: str(_number(m.group(1))),
        text,
        flags=flags,
    )
    text = re.sub(rf"\b(at|by|around) ({_NUM})\b", lambda m: f"{m.group(1)} {_number(m.group(2))}", text, flags=flags)
    text = re.sub(r"\bhalf an hour\b", "30 minutes", text, flags=flags)
    text = re.sub(r"\ban hour\b", "1 hour", text, flags=flags)
    return re.sub(r"\s+", " ", text).strip(" ,")


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], ToolCall | None]]
_RULES: list[Rule] = []


def rule(
    *patterns: str,
) -> Callable[[Callable[[re.Match[str]], ToolCall | None]], Callable[[re.Match[str]], ToolCall | None]]:
    def register(build: Callable[[re.Match[str]], ToolCall | None]) -> Callable[[re.Match[str]], ToolCall | None]:
        for pattern in patterns:
            _RULES.append((re.compile(pattern, re.IGNORECASE), build))
        return build

    return register


def _clean(text: str | None) -> str:
    text = (text or "").strip(" ,.:;")
    return re.sub(r"^(?:to|that|about|of)\s+", "", text, flags=re.IGNORECASE).strip()


def _habit_name(text: str | None) -> str:
    return re.sub(r"^(?:my|the|a|an)\s+", "", _clean(text), flags=re.IGNORECASE)


# Dialogue words -------------------------------------------------------------------------------------
@rule(r"^(?:yes|yeah|yep|yup|sure|confirm|do it|go ahead|correct|yes please|please do)$")
def _confirm(_m: re.Match[str]) -> ToolCall:
    return ToolCall("confirm")


@rule(r"^(?:no|nope|nah|cancel|never ?mind|don't|stop|forget it)$")
def _deny(_m: re.Match[str]) -> ToolCall:
    return ToolCall("deny")


@rule(
    r"^(?:undo|undo (?:that|it|this|the last (?:one|thing|action|change))|take (?:that|it) back|revert (?:that|it)"
    r"|that was (?:a mistake|wrong)|oops(?: undo(?: that)?)?)$"
)
def _undo(_m: re.Match[str]) -> ToolCall:
    return ToolCall("undo")


@rule(r"^(?:thanks|thank you|thank you so much|cheers|great thanks|perfect thanks|awesome)$")
def _thanks(_m: re.Match[str]) -> ToolCall:
    return ToolCall("chat", {"topic": "thanks"})


@rule(r"^(?:hello|hi|hey|good (?:morning|afternoon|evening))$")
def _hello(_m: re.Match[str]) -> ToolCall:
    return ToolCall("chat", {"topic": "hello"})


@rule(r"^(?:help|what can you do|what do you do|how do(?:es)? (?:this|you) work|what are you)$")
def _help(_m: re.Match[str]) -> ToolCall:
    return ToolCall("chat", {"topic": "help"})


# Journal -------------------------------------------------------------------------------------------
@rule(
    r"^(?:new |add (?:a |to )?(?:new )?|start (?:a )?(?:new )?|make (?:a )?|create (?:a )?)?(?:journal|diary)(?: entry)?\s*[:,.-]?\s+(?P<text>.+)$",
    r"^(?:write|note|put|add) (?:this |that |down )?(?:in|to|into) (?:my |the )?(?:journal|diary)\s*[:,-]?\s*(?:that )?(?P<text>.+)$",
    r"^(?P<text>dear diary\b.+)$",
    r"^(?:journal|diary) (?:this|that)\s*[:,-]?\s*(?P<text>.+)$",
)
def _journal(m: re.Match[str]) -> ToolCall:
    return ToolCall("add_journal", {"text": m.group("text").strip(" :,")})


# Reminders -----------------------------------------------------------------------------------------
@rule(
    r"^(?:snooze|postpone|delay)(?: (?:it|that|this|the reminder|my reminder|(?:the |my )?(?P<what>.+?) reminder|the reminder (?:to|about) (?P<what2>.+?)))?(?: (?:for|by) (?P<n>\d+(?:\.\d+)?) (?P<unit>minutes?|hours?))?$",
    r"^remind me (?:again )?in (?P<n>\d+) (?P<unit>minutes?|hours?)$",
)
def _snooze(m: re.Match[str]) -> ToolCall:
    args: dict[str, str] = {}
    what = m.groupdict().get("what") or m.groupdict().get("what2")
    if what:
        args["reminder"] = _clean(what)
    if m.group("n"):
        amount = float(m.group("n")) * (60 if m.group("unit").startswith("hour") else 1)
        args["minutes"] = f"{amount:g}"
    return ToolCall("snooze_reminder", args)


@rule(
    r"^(?:cancel|delete|remove|turn off|stop|clear|get rid of) (?:the |my )?reminder (?:to |about |for )?(?P<what>.+)$",
    r"^(?:cancel|delete|remove|turn off|stop|get rid of) (?:the |my )?(?P<what>.+?) reminder$",
    r"^(?:don't|do not) remind me (?:to |about )?(?P<what>.+)$",
)
def _cancel_reminder(m: re.Match[str]) -> ToolCall:
    return ToolCall("cancel_reminder", {"reminder": _clean(m.group("what"))})


@rule(
    r"^(?:what|which|any|do i have any|are there any|show(?: me)?|list|tell me)(?: are)?(?: my| the)? reminders?(?: do i have| are there| are set| i have| set)?(?P<when>.*)$",
    r"^what (?:am i|are you) (?:going to )?remind(?:ing)? me (?:about|of)(?P<when>.*)$",
)
def _list_reminders(m: re.Match[str]) -> ToolCall:
    when = _clean(re.sub(r"^\s*(?:for|on|set for)\s+", "", m.group("when")))
    return ToolCall("list_reminders", {"when": when} if when else {})


@rule(
    r"^(?:please )?remind me(?: to| about| that| of)? (?P<rest>.+)$",
    r"^(?:set|create|add|make) (?:a |an )?(?:new )?reminder(?: for me)?(?: to| about| for| that)?\s*[:,-]?\s*(?P<rest>.+)$",
    r"^reminder(?: to)?\s*[:,-]?\s*(?P<rest>.+)$",
    r"^(?P<lead>(?:tomorrow|today|tonight|on \w+|at [\w:]+|in \d+ \w+|every \w+)(?: (?:at|in|on) [\w: ]+?)?),? remind me(?: to| about)? (?P<rest>.+)$",
)
def _add_reminder(m: re.Match[str]) -> ToolCall:
    from nargis_desktop.assistant.when_phrases import REPEAT  # pure; cheap after first use

    rest = m.group("rest")
    lead = m.groupdict().get("lead") or ""
    body, when = _split(rest + (" " + lead if lead else ""))
    args = {"text": _clean(body)}
    if when:
        args["when"] = when
        if REPEAT.search(when):
            args["repeat"] = REPEAT.search(when).group(0)  # type: ignore[union-attr]
    return ToolCall("add_reminder", args)


def _split(text: str) -> tuple[str, str]:
    """The subject and the words that said when (as said, so one validator parses both paths)."""
    from nargis_desktop.assistant.when_phrases import when_words_in  # pure; cheap after first use

    return when_words_in(text)


# Habits --------------------------------------------------------------------------------------------
@rule(
    r"^(?:create|add|start|make|new|set up|begin|track)(?: a| an| in)?(?: new)? habit(?: called| named| of| to)?\s*[:,-]?\s*(?P<name>.+?)(?P<sched> (?:every|each|daily|weekly|on weekdays|weekdays|\d+ times? (?:a|per|each) week|\d+x (?:a|per) week).*)?$",
    r"^(?:i want to|help me) (?:start|build|track) (?:the habit of |a habit of |tracking )?(?P<name>.+?)(?P<sched> (?:every|each|daily|weekly|on weekdays|weekdays|\d+ times? (?:a|per|each) week).*)?$",
    r"^track (?P<name>.+?) as a habit(?P<sched> .+)?$",
)
def _add_habit(m: re.Match[str]) -> ToolCall:
    args = {"name": _habit_name(m.group("name"))}
    schedule = (m.group("sched") or "").strip()
    if schedule:
        args["schedule"] = re.sub(
            r"^(?:every day|each day)$",
            "daily",
            re.sub(r"(\d+) times? (?:a|each) week", r"\1 times per week", schedule),
        )
    return ToolCall("add_habit", args)


@rule(
    r"^(?:how(?:'s| is| long is| long's| am i doing (?:with|on))|what(?:'s| is)|tell me|show me|check)(?: my| the)? (?P<name>.+?) streak(?: like| now| at)?$",
    r"^(?:how(?:'s| is)|what(?:'s| is)|tell me|show me)(?: my| the)? streak (?:for|on|of) (?P<name>.+)$",
    r"^how (?:many days|long) (?:in a row )?have i (?:been )?(?P<name>.+?)(?: in a row)?$",
    r"^how am i doing (?:with|on) (?:my )?(?P<name>.+)$",
)
def _streak(m: re.Match[str]) -> ToolCall:
    return ToolCall("habit_streak", {"habit": _habit_name(m.group("name"))})


@rule(
    r"^(?:what|which) habits?(?: do i (?:still )?have| are)?(?: left| to do| due| still to do)?(?: today)?$",
    r"^(?:show|list)(?: me)?(?: my)? habits(?: for today)?$",
)
def _list_habits(_m: re.Match[str]) -> ToolCall:
    return ToolCall("list_habits")


@rule(
    r"^(?:check in|check|tick|check off|tick off|log|mark)(?: off)? (?:my |the )?(?P<name>.+?) habit(?: (?:as )?(?:done|complete|completed))?(?P<day> (?:for )?(?:today|yesterday|on \w+|last \w+))?$",
    r"^(?:check in|checkin|log)(?: for)? (?:my |the )?(?P<name>.+?)(?P<day> (?:for )?(?:today|yesterday|on \w+|last \w+))?$",
)
def _check_habit(m: re.Match[str]) -> ToolCall:
    args = {"habit": _habit_name(m.group("name"))}
    if m.group("day"):
        args["day"] = m.group("day").strip().removeprefix("for ").strip()
    return ToolCall("check_habit", args)


@rule(
    r"^how many (?:tasks|things|to-dos) (?:did|have) i (?:finish|finished|complete|completed|do|done|get done)(?: this week| so far this week| this week so far)?$",
    r"^how(?:'s| is| am i doing with) my (?:task )?progress(?: this week)?$",
)
def _task_progress(_m: re.Match[str]) -> ToolCall:
    return ToolCall("task_progress")


@rule(
    r"^(?:give me |read me |what's |what is )?(?:my |the )?(?:weekly review|week in review|review of (?:my|the) week)$",
    r"^how (?:was|did) my week(?: go)?$",
)
def _weekly_review(_m: re.Match[str]) -> ToolCall:
    return ToolCall("weekly_review")


_PERIOD = r"(?: (?P<when>today|yesterday|this week|last week|this month|last month|this year|last year|in \w+))?"


@rule(
    r"^what (?:did|have) i (?:write|written|wrote|say|said|journal(?:ed)?) about (?P<query>.+?)" + _PERIOD + r"$",
    r"^(?:search|look through) (?:in )?my journal for (?P<query>.+?)" + _PERIOD + r"$",
    r"^(?:find|show me|show) (?:my )?journal entries (?:about|on|mentioning) (?P<query>.+?)" + _PERIOD + r"$",
)
def _search_journal(m: re.Match[str]) -> ToolCall:
    args = {"query": m.group("query")}
    if m.group("when"):
        args["when"] = m.group("when")
    return ToolCall("search_journal", args)


@rule(
    r"^summari[sz]e my (?:week|journal)(?: this week| for (?:the|this) week)?$",
    r"^(?:give me |read me )?(?:a )?summary of my (?:week|journal|journal this week)$",
)
def _summarize_week(_m: re.Match[str]) -> ToolCall:
    return ToolCall("summarize_week")


# Tasks ---------------------------------------------------------------------------------------------
_LIST_WHEN = r"(?P<when>today|tomorrow|this week|overdue|late|for today|for tomorrow|now)?"


@rule(
    r"^what(?:'s| is| do i have| have i got)(?: on)?(?: my)?(?: to-do| todo| task)?(?: list| tasks| agenda| plate)?(?: to do)?(?: for| due)? ?"
    + _LIST_WHEN
    + r"$",
    r"^(?:show|list|read|tell me)(?: me)?(?: all)?(?: my| the)?(?: open)? (?:tasks|to-dos|to-do list|list|agenda)(?: for| due)? ?"
    + _LIST_WHEN
    + r"$",
    r"^what(?:'s| is| tasks are) (?:due|overdue|late)(?: for)? ?" + _LIST_WHEN + r"$",
    r"^(?:do i have |are there )?any(?: tasks| to-dos)?(?: due| for)? ?" + _LIST_WHEN + r"$",
    r"^what(?:'s| is) (?P<when2>overdue|late)$",
    r"^what do i (?:need|have) to do(?: for)? ?" + _LIST_WHEN + r"$",
)
def _list_tasks(m: re.Match[str]) -> ToolCall:
    when = (m.groupdict().get("when") or m.groupdict().get("when2") or "today").replace("for ", "")
    when = {"late": "overdue", "now": "today"}.get(when, when)
    if re.search(r"\b(all|show|list)\b", m.group(0), re.IGNORECASE) and not m.groupdict().get("when"):
        when = "all"
    return ToolCall("list_tasks", {"when": when.lower()})


@rule(
    r"^(?:mark|complete|finish|check off|tick off|clear)(?: off)? (?:all|everything)(?: (?:my|of my|the))?(?: tasks| to-dos)?(?: (?:for|due) )?(?P<scope>today|overdue|on my list)?(?: as)?(?: done| complete)?$",
    r"^(?:i(?:'ve| have)? (?:finished|done|completed)) (?:all|everything)(?: my)?(?: tasks)?(?: for)? ?(?P<scope>today)?$",
    r"^clear (?:my|the) (?:list|to-do list)$",
)
def _complete_all(m: re.Match[str]) -> ToolCall:
    scope = (m.groupdict().get("scope") or "today").replace("on my list", "all")
    if re.search(r"clear (my|the) (list|to-do list)$", m.group(0), re.IGNORECASE):
        scope = "all"
    return ToolCall("complete_all_tasks", {"scope": scope})


@rule(
    r"^(?:delete|remove|drop|get rid of|erase|scrap)(?: the)?(?: task)? (?P<task>.+?)(?: task)?(?: from (?:my|the) (?:list|tasks|to-do list))?$"
)
def _delete_task(m: re.Match[str]) -> ToolCall:
    return ToolCall("delete_task", {"task": _clean(m.group("task"))})


@rule(
    r"^(?:move|reschedule|push|postpone|shift|change) (?P<task>.+?)(?: due date)? (?:to|till|until|for|back to) (?P<when>.+)$",
    r"^(?:change|set) (?:the )?(?:due date|deadline) (?:of|for) (?P<task>.+?) to (?P<when>.+)$",
)
def _move_task(m: re.Match[str]) -> ToolCall:
    return ToolCall("edit_task", {"task": _clean(m.group("task")), "when": m.group("when").strip()})


@rule(r"^rename (?P<task>.+?) to (?P<title>.+)$")
def _rename_task(m: re.Match[str]) -> ToolCall:
    return ToolCall("edit_task", {"task": _clean(m.group("task")), "title": m.group("title").strip()})


@rule(
    r"^(?:set|change) (?:the )?priority (?:of|for) (?P<task>.+?) to (?P<priority>high|medium|low)$",
    r"^(?:make|set|mark) (?P<task>.+?) (?:as |to )?(?P<priority>high|medium|low|top|urgent|important)(?: priority)?$",
)
def _prioritise(m: re.Match[str]) -> ToolCall:
    level = m.group("priority").lower()
    priority = {"top": "high", "urgent": "high", "important": "high"}.get(level, level)
    return ToolCall("edit_task", {"task": _clean(m.group("task")), "priority": priority})


@rule(
    r"^(?:mark|set|tick|check|cross)(?: off)? (?P<task>.+?)(?: as)? (?:done|complete|completed|finished|off)$",
    r"^(?:complete|finish|finished|tick off|check off|cross off|close) (?:the task )?(?P<task>.+)$",
    r"^(?P<task>.+?) (?:is|are) (?:done|finished|complete|completed)$",
    r"^(?P<task>[\w' -]+?) (?:done|finished|complete)$",
    r"^(?:i(?:'ve| have)? )?(?:done with|finished|completed|done) (?:the task )?(?P<task>.+)$",
)
def _complete_task(m: re.Match[str]) -> ToolCall:
    return ToolCall("complete_task", {"task": _clean(m.group("task"))})


ADD_PREFIX = re.compile(
    r"^(?:(?:add|create|new|put(?! on\b)|make|jot down|write down)\b|(?:task|to-do)\s*[:,-]"
    r"|i need to\b|i have to\b|i've got to\b|i gotta\b|i must\b|don't let me forget to\b|i should\b|need to\b)",
    re.IGNORECASE,
)
ADD_FILLER = re.compile(r"^(?:\s*(?:a|an|new|task|to-do|todo|item|to|called|named|[:,-]))+\s+", re.IGNORECASE)
ON_MY_LIST = re.compile(
    r"\s*\b(?:to|on|onto|in)\s+(?:my|the)\s+(?:to-do\s+|todo\s+|task\s+|shopping\s+)?(?:list|tasks)\b", re.IGNORECASE
)
_PRIORITY = re.compile(
    r"\b(?:with |as |at )?(?:(?P<level>high|medium|low|top) priority|(?P<urgent>urgent|important))\b[,]?", re.IGNORECASE
)


@rule(
    r"^(?P<all>(?:(?:add|create|new|put(?! on\b)|make|jot down|write down|i need to|i have to|i've got to|i gotta|i must|don't let me forget to|i should|need to)\b|(?:task|to-do)\s*[:,-]).+)$"
)
def _add_task(m: re.Match[str]) -> ToolCall | None:
    from nargis_desktop.assistant.when_phrases import REPEAT

    rest = m.group("all")
    args: dict[str, str] = {}
    priority = _PRIORITY.search(rest)
    if priority:
        level = (priority.group("level") or "high").lower()
        args["priority"] = "high" if level == "top" else level
        rest = (rest[: priority.start()] + rest[priority.end() :]).strip()
    rest = ON_MY_LIST.sub("", rest)
    rest = ADD_FILLER.sub("", ADD_PREFIX.sub("", rest, count=1) + " ", count=1).strip()
    body, when = _split(rest)
    body = re.sub(r"\s+(?:due|by)$", "", body, flags=re.IGNORECASE)
    if not _clean(body) or _clean(body).lower() in {"task", "a task", "to-do"}:
        return None
    args["title"] = _clean(body)
    if when:
        args["when"] = when
        repeat = REPEAT.search(when)
        if repeat:
            args["repeat"] = repeat.group(0)
    return ToolCall("add_task", args)


# "I meditated today", "went for a run yesterday": a past-tense sentence about a known habit.
CHECK_IN = re.compile(
    r"^(?:i |i've |i have |just )?(?:just |already )?(?P<what>.+?)(?P<day> (?:today|yesterday|this morning|last night|"
    r"this evening|on \w+|last \w+))?$",
    re.IGNORECASE,
)
PAST_TENSE = re.compile(
    r"\b(?:\w+ed|went|did|ran|swam|read|wrote|ate|drank|slept|done|had|took|made|got|finished|bought|paid|sent|gave|"
    r"met|spoke|found|put|sold|brought|caught|taught|left|kept|built)\b",
    re.IGNORECASE,
)


def parse(text: str, habit_names: Sequence[str] = (), task_titles: Sequence[str] = ()) -> ToolCall | None:
    """The tool call for `text`, or None when the fast path is not sure."""
    normalized = normalize(text)
    if not normalized:
        return None
    for pattern, build in _RULES:
        match = pattern.match(normalized)
        call = build(match) if match else None
        if call is None:
            continue
        if call.tool == "add_journal":
            # The entry keeps the person's closing punctuation, which normalising took off.
            ending = re.search(r"[.!?]+$", text.strip())
            if ending:
                call = ToolCall("add_journal", {**call.args, "text": call.args["text"] + ending.group(0)})
        return call
    return _past_tense_statement(normalized, habit_names, task_titles)


def _past_tense_statement(text: str, habit_names: Sequence[str], task_titles: Sequence[str]) -> ToolCall | None:
    """ "I meditated today" checks in a habit; "I bought the milk" completes the task "Buy milk"."""
    from nargis_desktop.assistant.matching import best_match

    match = CHECK_IN.match(text)
    if not match or not PAST_TENSE.search(text):
        return None
    habit = best_match(match.group("what"), [(name, name) for name in habit_names])
    if habit:
        args = {"habit": habit[0].name}
        if match.group("day"):
            args["day"] = match.group("day").strip()
        return ToolCall("check_habit", args)
    task = best_match(match.group("what"), [(title, title) for title in task_titles], threshold=85)
    if task and (len(task) == 1 or task[0].score > task[1].score):
        return ToolCall("complete_task", {"task": task[0].name})
    return None
