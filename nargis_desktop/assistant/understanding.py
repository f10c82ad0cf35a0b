"""The dialogue act first, the tool second: only a command or a statement of something done may
write. A question is answered from the data; what Nargis cannot do is declined in words that
say what it can do; a doubtful write is asked about, naming its exact effect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from nargis_desktop.assistant import fast_path
from nargis_desktop.assistant.calls import ToolCall
from nargis_desktop.assistant.classifier import Prediction
from nargis_desktop.assistant.intents import CHITCHAT, COMMAND, DIALOGUE, OUT_OF_SCOPE, QUESTION, STATEMENT
from nargis_desktop.assistant.tools import READ_TOOLS

QUESTION_START = re.compile(
    r"^(?:is|isn't|are|aren't|was|were|did|didn't|do|does|have|haven't|has|had|what|what's|whats|when|when's|which|"
    r"who|who's|whose|why|where|where's|how|how's|am i|will i|should i|can i|could i|shall i|any(?:thing)?\b.*\?$)\b",
    re.IGNORECASE,
)
NEGATED = re.compile(
    r"\b(?:didn't|did not|didnt|haven't|have not|havent|hasn't|skipped|skip|missed|forgot|forgotten|never|not yet|"
    r"couldn't|could not|wasn't able|failed to|won't|will not|no time to)\b",
    re.IGNORECASE,
)
NOT_YET_DONE = re.compile(
    r"\b(?:going to|gonna|i will|i'll|i might|maybe|thinking about|planning to|plan to|later)\b", re.I
)
DIALOGUE_TOOLS = {"confirm", "deny", "undo"}
EDITS = {"edit_task", "move_reminder", "change_repeat"}
CANNOT_ANSWER = (
    "Sorry, I can't answer that yet. You can ask what's due on a day, which habits you track, "
    "whether you did a habit, or what you wrote."
)
# A rule's write is vetoed when the classifier is this sure the words are not a request to write.
VETO_CONFIDENCE = 0.6
DECLINE_CONFIDENCE = 0.85
CAN_DO = "I can remind you, keep your tasks, habits and journal, and answer questions about them."
CANNOT = (
    (r"\b(?:music|song|songs|play|playlist|radio|podcast|audiobook|album|spotify)\b", "play music or audio"),
    (r"\b(?:weather|rain|raining|forecast|temperature|sunny|snow|umbrella)\b", "tell you the weather"),
    (r"\b(?:e-?mails?|inbox|mail)\b", "read or send e-mail"),
    (r"\b(?:tweet|twitter|facebook|instagram|post)\b", "post on social media"),
    (r"\b(?:lights?|lamp|plug|vacuum|hoover|thermostat|heating|coffee)\b", "control your home"),
    (r"\b(?:news|headlines)\b", "read the news"),
    (r"\b(?:taxi|uber|train|flight|ticket|traffic|bus)\b", "book travel or check traffic"),
    (r"\b(?:pizza|takeaway|take-away|delivery|restaurant|table for)\b", "order food or book tables"),
    (r"\b(?:joke|jokes|funny)\b", "tell jokes"),
    (r"\b(?:volume|louder|quieter|mute)\b", "change the volume"),
    (r"\b(?:call|phone|text|message|sms)\b", "make calls or send messages"),
    (r"\b(?:suggest|suggestions?|recommend|recommendations?|ideas?|advice|what to do)\b", "give advice or ideas"),
)


def is_question(text: str) -> bool:
    said = re.sub(r"^at (?=what|which|when|how)\b", "", text.strip(), flags=re.IGNORECASE)
    if said.endswith("?"):
        # "can you remind me…?" is a polite command; "could you add…?" too.
        return not re.match(r"^(?:can|could|would|will) you\b", said, re.IGNORECASE)
    return bool(QUESTION_START.match(said))


def dialogue_act(text: str, call: ToolCall | None, prediction: Prediction | None, read_tools: AbstractSet[str]) -> str:
    if call is not None and call.tool in DIALOGUE_TOOLS:
        return DIALOGUE
    if call is not None and call.tool == "chat":
        return CHITCHAT
    if is_question(text) or (call is not None and call.tool in read_tools):
        return QUESTION
    if call is not None:
        return STATEMENT if call.tool == "check_habit" else COMMAND
    return prediction.act if prediction is not None else COMMAND


def not_done(text: str, call: ToolCall) -> bool:
    """ "I skipped my run", "I'm going to run later": a statement that something was not done."""
    return call.tool in {"check_habit", "complete_task"} and bool(NEGATED.search(text) or NOT_YET_DONE.search(text))


# Words that say outright "write this down": the classifier may doubt what follows, never the request.
EXPLICIT = re.compile(
    r"^(?:add (?:a |an )?(?:new )?(?:task|habit|reminder|journal|diary|to-?do)|new (?:task|habit|reminder|journal|diary|entry|to-?do)|"
    r"create (?:a |an )?(?:new )?(?:task|habit|reminder|journal|diary|to-?do)|remind me|"
    r"set (?:a |an )?reminder|reminder|journal|diary|dear diary|task|to-?do|track|start (?:a )?(?:new )?habit|"
    r"write (?:in|to|down)|note (?:in|to)|jot down|rename|move|reschedule|mark|check off|tick off|complete|delete|"
    r"remove|cancel|snooze|(?:set|change) (?:the )?(?:priority|due date|deadline))\b"
    r"|\b(?:on|to|onto) (?:my|the) (?:to-?do |task |shopping )?list\b",
    re.IGNORECASE,
)
# "add …" alone is a request to write, though "add my friend on instagram" is not one for Nargis.
PLAIN_ADD = re.compile(r"^add\b", re.IGNORECASE)


# "I need to keep the kids busy, tell me what to do": a request for advice around words that read as a to-do.
ADVICE = re.compile(
    r"\b(?:tell me what to do|what (?:should|can|could) i do|any (?:ideas|suggestions|tips)|suggest|recommend|"
    r"give me (?:some )?(?:ideas|tips|advice))\b",
    re.IGNORECASE,
)
# "…to the playlist", "…on instagram": the write is meant for somewhere Nargis is not.
ELSEWHERE = re.compile(
    r"\b(?:to|on|in|into|onto) (?:my |the |a |our )?(?:\w+ )?(?:playlist|spotify|contacts|address book|facebook|"
    r"instagram|twitter|cart|basket|netflix|youtube|queue)\b",
    re.IGNORECASE,
)


def doubt(prediction: Prediction | None, text: str) -> str:
    """How a write the rules read should go: "write", "ask" first, or "decline" (out of scope)."""
    said = fast_path.normalize(text)
    if EXPLICIT.search(said):
        return "write"
    if ELSEWHERE.search(said) or ADVICE.search(said):
        return "decline"
    if prediction is None:
        return "write"
    sure_elsewhere = prediction.act in {QUESTION, OUT_OF_SCOPE, CHITCHAT} and prediction.confidence >= VETO_CONFIDENCE
    if not sure_elsewhere:
        return "write"
    if PLAIN_ADD.match(said):
        return "ask" if declined(prediction) else "write"
    return "decline" if declined(prediction) else "ask"


def settled_write(text: str, call: ToolCall) -> bool:
    """A write the rules read that no prediction could stop or change: an edit of something the
    person has, or an explicit request ("add …", "remind me …"), not phrased as a question."""
    if call.tool in READ_TOOLS or call.tool in DIALOGUE_TOOLS or is_question(text):
        return False
    return call.tool in EDITS or bool(EXPLICIT.search(fast_path.normalize(text)))


def declined(prediction: Prediction | None) -> bool:
    return prediction is not None and prediction.act == OUT_OF_SCOPE and prediction.confidence >= DECLINE_CONFIDENCE


def decline(text: str) -> str:
    for pattern, what in CANNOT:
        if re.search(pattern, text, re.IGNORECASE):
            return f"Sorry, I can't {what}. {CAN_DO}"
    return f"Sorry, I can't do that. {CAN_DO}"


def as_question(text: str, call: ToolCall | None, habits: Sequence[str], titles: Sequence[str]) -> ToolCall | None:
    """The read-only call that answers a question whose words the rules took for a write."""
    if call is not None and call.tool == "complete_task":
        return ToolCall("task_status", {"task": call.args.get("task", "")})
    if call is not None and call.tool == "check_habit":
        return ToolCall("habit_on_day", dict(call.args))
    # "did I meditate yesterday", "have I flossed today": the statement inside the question.
    statement = re.sub(r"^(?:did|have|has|had) i\b|^(?:was|is) (?=\w)", "i ", text.strip(" ?"), flags=re.IGNORECASE)
    inner = fast_path.parse(statement, habits, titles)
    if inner is not None and inner.tool in {"check_habit", "complete_task"}:
        return as_question(statement, inner, habits, titles)
    return None


def answer_call(text: str, intent: str | None, habits: Sequence[str], titles: Sequence[str]) -> ToolCall | None:
    """A question the rules did not read, by its intent: the read-only tool that answers it."""
    from nargis_desktop.assistant.when_phrases import split_when

    asked = as_question(text, None, habits, titles)
    if asked is not None:
        return asked
    lowered = text.lower()
    if re.search(r"\b(?:done|finish(?:ed)?|complete(?:d)?|did i|have i)\b", lowered):
        from nargis_desktop.assistant.matching import best_match

        said = re.sub(r"^(?:did|have|has|is|was) i?\s*|\b(?:done|finish(?:ed)?|complete(?:d)?|yet)\b|\?", " ", lowered)
        task = best_match(" ".join(said.split()), [(title, title) for title in titles], threshold=80)
        if task:
            return ToolCall("task_status", {"task": task[0].name})
    when = _said_when(text, split_when)
    if intent == "query_habit" or re.search(r"\bhabits?\b", lowered):
        if re.search(r"\bstreak\b", lowered):
            return None
        return ToolCall("all_habits")
    if intent == "query_journal" or re.search(r"\b(?:write|wrote|written|journal|diary)\b", lowered):
        return ToolCall("journal_on_day", {"when": when} if when else {})
    if intent == "query_progress":
        return ToolCall("task_progress")
    if intent == "query_schedule" or when:
        if re.search(r"\breminders?\b", lowered):
            return ToolCall("list_reminders", {"when": when} if when else {})
        return ToolCall("day_agenda", {"when": when} if when else {})
    return None


def _said_when(text: str, split_when: object) -> str:
    from datetime import datetime

    _rest, said = split_when(text.strip(" ?"), datetime(2000, 1, 3, 12))  # type: ignore[operator]
    return str(getattr(said, "text", "") or "") if said else ""


WAKE_UP = re.compile(
    r"^(?:please )?(?:wake me(?: up)?|get me up|set (?:an? |the |my )?alarm(?: clock)?(?: for me)?|alarm)\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
BARE_HOUR = re.compile(
    r"\b(?:[1-9]|1[01])(?::[0-5]\d)?\b(?!\s*(?:a\.?m\.?|p\.?m\.?|o'clock|minutes?|hours?|days?)\b)(?!:)", re.IGNORECASE
)
CORRECTION = re.compile(
    r"^(?:no|nope|actually|sorry|oops|wait)?[\s,]*(?:i meant |make (?:it|that) |change (?:it|that)(?: to)? |"
    r"move (?:it|that)(?: to)? |(?:not \w+[\s,]+))(?P<when>.+)$",
    re.IGNORECASE,
)
_AMOUNT = r"(?:an?|\d+(?:\.\d+)?) (?:minutes?|hours?|days?|weeks?)"
PUSH_BACK = re.compile(
    rf"^(?:push|move|put off|put|set|shift|bump|delay|postpone)(?: back)? (?:the |my )?(?P<what>.+?)"
    rf"(?: (?P<kind>task|reminder))?(?: back| later| forward)? (?:by |for )?(?P<by>{_AMOUNT})(?: later)?$",
    re.IGNORECASE,
)
MOVE_REMINDER = re.compile(
    r"^(?:move|reschedule|push|postpone|shift|change) (?:the |my )?(?P<what>.+?) reminder (?:to|till|until|for) (?P<when>.+)$",
    re.IGNORECASE,
)
_REPEAT = r"(?:every|each|daily|weekly|monthly|yearly|annually|weekdays|on weekdays|weekends|on weekends|\d+ times)\b.*"
CHANGE_REPEAT = re.compile(
    rf"^(?:make|set|change|switch|turn|have) (?:the |my )?(?P<what>.+?)(?: (?:task|reminder|habit))?"
    rf"(?: to)?(?: repeat| recur| happen| be| go off| come up)? (?P<repeat>{_REPEAT})$"
    rf"|^(?:repeat|schedule) (?:the |my )?(?P<what2>.+?) (?P<repeat2>{_REPEAT})$"
    rf"|^(?:the |my )?(?P<what3>.+?) should (?:repeat|recur|happen|be|go off|come up) (?P<repeat3>{_REPEAT})$",
    re.IGNORECASE,
)
NEXT_TIME = re.compile(
    r"^(?:when(?:'s| is| will| do i have)?|what day is) (?:my |the )?next (?P<what>.+?)(?: due| coming up| happening| be)?$"
    r"|^when (?:is|'s) the next time (?:i (?:need to|have to|should|must|will) )?(?P<what2>.+?)$"
    r"|^when (?:do|should|must) i next (?:need to |have to )?(?P<what3>.+?)$"
    r"|^when (?:is|'s) (?:my |the )?(?P<what4>.+?) next(?: due)?$",
    re.IGNORECASE,
)


def edit_call(text: str, focus: list[str] | None, names: Sequence[tuple[str, str]] = ()) -> ToolCall | None:
    """Edits and corrections read by rules: push a task or reminder back by an amount, move a
    reminder, change a repeat, correct the last action ("no, make it seven"); and "when is my
    next …". `names`: (kind, name) of the person's tasks, habits and reminders."""
    said = fast_path.normalize(text)
    following = NEXT_TIME.match(said)
    if following:
        what = next(g for g in following.group("what", "what2", "what3", "what4") if g)
        return ToolCall("next_time", {"item": re.sub(r"^(?:one|time)\b\s*", "", what).strip()})
    push = PUSH_BACK.match(said)
    if push:
        kind = push.group("kind") or _kind_of(push.group("what"), focus, names)
        what, by = push.group("what"), push.group("by")
        if kind == "task":
            return ToolCall("edit_task", {"task": what, "by": by})
        if kind == "reminder":
            return ToolCall("move_reminder", {"by": by, **({} if _refers_back(what) else {"reminder": what})})
    move = MOVE_REMINDER.match(said)
    if move:
        return ToolCall("move_reminder", {"reminder": move.group("what"), "when": move.group("when")})
    repeat = CHANGE_REPEAT.match(said)
    if repeat:
        what = next(g for g in repeat.group("what", "what2", "what3") if g)
        how = next(g for g in repeat.group("repeat", "repeat2", "repeat3") if g)
        if _refers_back(what) or _kind_of(what, focus, names) is not None:  # "it" with nothing said: ask which
            return ToolCall("change_repeat", {"item": what, "repeat": how})
    correction = CORRECTION.match(said)
    if correction and focus:
        when = correction.group("when").strip()
        if focus[0] == "reminder":
            return ToolCall("move_reminder", {"when": when})
        if focus[0] == "task":
            return ToolCall("edit_task", {"task": "it", "when": when})
    return None


def _refers_back(what: str) -> bool:
    return what.lower() in {"it", "that", "this", "that one", "the last one"}


def _kind_of(what: str, focus: list[str] | None, names: Sequence[tuple[str, str]]) -> str | None:
    """Which of the person's things `what` names (a close match only), or what "it" is."""
    if _refers_back(what):
        return focus[0] if focus else None
    from nargis_desktop.assistant.matching import best_match

    found = best_match(what, [(kind, name) for kind, name in names], threshold=80)
    return found[0].item_id if found else None


def command_call(text: str, intent: str, habits: Sequence[str], titles: Sequence[str]) -> ToolCall | None:
    """A command the rules did not read, by its intent: the call it most plainly means."""
    wake = WAKE_UP.match(text.strip())
    if intent == "add_reminder" and wake:
        # One wakes up in the morning: "at 6" is 6 AM here, whatever it would mean for a reminder.
        rest = BARE_HOUR.sub(lambda m: f"{m.group(0)} am", re.sub(r"^(?:for|at)\s+", "at ", wake.group("rest")))
        return fast_path.parse(f"remind me to wake up {rest}".strip(), habits, titles)
    if intent == "add_task":  # "shopping list: bread", "milk and eggs for the shopping"
        text = re.sub(r"^(?:my |the )?(?:shopping|grocery|to-?do) list\s*[:,-]?\s*", "", text, flags=re.IGNORECASE)
        text = re.sub(r"\s+(?:for|on|to) (?:the|my) (?:shopping|groceries)(?: list)?$", "", text, flags=re.IGNORECASE)
    prefix = {"add_task": "add ", "add_reminder": "remind me to ", "add_journal": "journal: "}.get(intent)
    if prefix:
        call = fast_path.parse(prefix + text, habits, titles)
        return call if call is not None and call.tool.startswith("add_") else None
    if intent in {"check_habit", "complete_task"}:
        return fast_path.parse(text, habits, titles)
    return None


@dataclass(frozen=True)
class Known:
    """What the person has, for matching names, and which tools only read."""

    habits: Sequence[str]
    titles: Sequence[str]
    read_tools: AbstractSet[str]
    confirming_tools: AbstractSet[str]  # destructive: they ask for a yes themselves


@dataclass(frozen=True)
class Decision:
    call: ToolCall | None
    reply: str | None = None  # said when there is no call
    ask: bool = False  # name the call's effect and wait for a yes instead of running it


def decide(
    text: str, call: ToolCall | None, act: str, prediction: Prediction | None, known: Known, threshold: float
) -> Decision:
    """What to do with one utterance, by its dialogue act: the one place that lets a write through."""
    writes = call is not None and call.tool not in known.read_tools and call.tool not in DIALOGUE_TOOLS
    writes = writes and call is not None and call.tool != "chat"
    if act == QUESTION:
        if call is not None and not writes:
            return Decision(call)
        asked = as_question(text, call, known.habits, known.titles)
        if asked is not None:
            return Decision(asked)
        if prediction is not None and prediction.act in {OUT_OF_SCOPE, CHITCHAT} and prediction.confidence >= 0.5:
            return Decision(None, decline(text)) if prediction.act == OUT_OF_SCOPE else Decision(ToolCall("chat"))
        answer = answer_call(text, prediction.intent if prediction else None, known.habits, known.titles)
        return Decision(answer, None if answer else CANNOT_ANSWER)
    if call is not None and writes:
        if not_done(text, call):
            return Decision(None, _not_done_reply(call))
        # An edit names something the person already has: the rules found it, no guess is involved.
        how = "write" if call.tool in EDITS else doubt(prediction, text)
        if how == "decline":
            return Decision(None, decline(text))
        return Decision(call, ask=how == "ask" and call.tool not in known.confirming_tools)
    if call is not None or prediction is None:
        return Decision(call)
    if NEGATED.search(text) and _habit_said(text, known.habits) != "that habit":  # "I forgot to floss"
        return Decision(None, _not_done_reply(ToolCall("check_habit", {"habit": _habit_said(text, known.habits)})))
    if act == OUT_OF_SCOPE:
        return Decision(None, decline(text))
    if act == CHITCHAT:
        return Decision(ToolCall("chat", {"topic": "help"}))
    if act in {COMMAND, STATEMENT}:
        if prediction.intent in {"check_habit", "complete_task"} and (
            NEGATED.search(text) or NOT_YET_DONE.search(text)
        ):
            return Decision(None, _not_done_reply(ToolCall("check_habit", {"habit": _habit_said(text, known.habits)})))
        built = command_call(text, prediction.intent, known.habits, known.titles)
        if built is not None and not_done(text, built):
            return Decision(None, _not_done_reply(built))
        if built is None and prediction.intent == "check_habit":
            return _offer_new_habit(text)
        return Decision(built, ask=built is not None and prediction.confidence < threshold)
    return Decision(None)


def _offer_new_habit(text: str) -> Decision:
    """ "I meditated today", and no such habit: offer to start it and check it off, never do it unasked."""
    from nargis_desktop.assistant.activity import activity_of

    found = activity_of(text)
    if found is None:
        return Decision(None)
    name, day = found
    said_day = day or "today"
    if re.fullmatch(r"(?:this |in the )?(?:morning|afternoon|evening)|tonight|earlier", said_day):
        said_day = "today"
    elif said_day == "last night":
        said_day = "yesterday"
    return Decision(ToolCall("add_habit", {"name": name, "done_on": said_day}), ask=True)


def _not_done_reply(call: ToolCall) -> str:
    if call.tool == "check_habit":
        return f"Okay, I haven't checked off {call.args.get('habit', 'that habit')}."
    return f"Okay, I'll leave {call.args.get('task', 'that task')} open."


def _habit_said(text: str, habits: Sequence[str]) -> str:
    from nargis_desktop.assistant.matching import best_match

    words = re.sub(NEGATED, " ", text)
    found = best_match(words, [(name, name) for name in habits])
    return found[0].name if found else "that habit"
