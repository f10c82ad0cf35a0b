"""What every tool shares: its registry entry (`Tool`, with the kind that drives confirmation,
undo and the dialogue-act rule), the context it runs in, and what it yields (its undo: undo.py).

Tools take their arguments as text; `Context` turns them into typed values with the same date,
repeat and matching code for the rule path and the model path alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nargis_desktop.assistant.matching import Match, best_match
from nargis_desktop.assistant.speech import listing
from nargis_desktop.assistant.when_phrases import split_when
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.habits import Habit
from nargis_desktop.domain.recurrence_phrases import phrase_to_rule
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.tasks import Task
from nargis_desktop.errors import InputError, NargisError
from nargis_desktop.services.personal_data import PersonalData

if TYPE_CHECKING:
    from nargis_desktop.models.engines.base import LanguageModel

# A tool's kind: READ never writes (a question may run it); CREATE and CHANGE write and can be
# undone; DESTRUCTIVE writes only after a "yes".
READ, CREATE, CHANGE, DESTRUCTIVE = "read", "create", "change", "destructive"
KINDS = (READ, CREATE, CHANGE, DESTRUCTIVE)
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
    """One registry entry: everything the assistant needs to know about a tool is here."""

    name: str
    kind: str  # READ, CREATE, CHANGE or DESTRUCTIVE
    params: tuple[str, ...]
    required: tuple[str, ...]
    description: str
    run: Callable[[Context, dict[str, str]], Outcome]
    undo_label: str = "that"  # "Okay, I've undone <undo_label>."

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"tool {self.name}: unknown kind {self.kind!r}")

    @property
    def writes(self) -> bool:
        return self.kind != READ

    @property
    def asks_first(self) -> bool:
        return self.kind == DESTRUCTIVE


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
        habits = self.data.store.habits.active_oldest_first()
        match = self._pick(said, "habit", [(h.id, h.name) for h in habits])
        if match is None:
            raise ToolError(
                f'You don\'t have a habit called {said!r} yet. Say "new habit {said}" to start one.'
                if said
                else "Which habit?"
            )
        return self.data.store.habits.get(match.item_id)

    def item(self, said: str | None) -> tuple[str, Task | Habit | Reminder]:
        """A task, habit or reminder by name, whichever matches best ("gym", "the dentist task")."""
        kind_said = re.search(r"\b(task|habit|reminder)$", (said or "").strip().lower())
        name = re.sub(r"^(?:the|my)\s+|\s+(?:task|habit|reminder)$", "", (said or "").strip(), flags=re.IGNORECASE)
        kinds = (kind_said.group(1),) if kind_said else ("task", "habit", "reminder")
        if not name or name.lower() in {"it", "that", "this"}:
            if self.focus and self.focus[0] in kinds:
                return self.focus[0], self._get(self.focus[0], self.focus[1])
            raise ToolError("Which task, habit or reminder?")
        candidates = []
        if "task" in kinds:
            candidates += [(f"task:{t.id}", t.title) for t in self.data.tasks()]
        if "habit" in kinds:
            candidates += [(f"habit:{h.id}", h.name) for h in self.data.store.habits.active_oldest_first()]
        if "reminder" in kinds:
            candidates += [(f"reminder:{r.id}", r.text) for r in self.data.reminders()]
        matches = best_match(name, candidates)
        if not matches:
            raise ToolError(f"I couldn't find a task, habit or reminder called {name!r}.")
        kind, item_id = matches[0].item_id.split(":", 1)
        return kind, self._get(kind, item_id)

    def _get(self, kind: str, item_id: str) -> Task | Habit | Reminder:
        store = self.data.store
        repo: Any = {"task": store.tasks, "habit": store.habits, "reminder": store.reminders}[kind]
        found: Task | Habit | Reminder = repo.get(item_id)
        return found

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


def guarded(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except InputError as err:
        raise ToolError(err.message) from err


def past_day(ctx: Context, said: str | None) -> date:
    """The day a check-in is for: what was done is in the past ("on friday" is the one that passed)."""
    today = ctx.now.date()
    text = (said or "today").lower().strip()
    if re.fullmatch(r"(?:this |in the )?(?:morning|afternoon|evening)|tonight|today|now|earlier", text):
        return today
    if re.fullmatch(r"last night|yesterday|yesterday (?:morning|evening|afternoon)", text):
        return today - timedelta(days=1)
    from nargis_desktop.domain.when import parse_check_in_day  # the grammar `habit check --day` reads with

    return parse_check_in_day(text, ctx.now)


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
    said = re.sub(r"\b([a-z]+)[ -](?=(?:minutes?|hours?|days?|weeks?)\b)", _digits, said)
    match = OFFSET.match(said)
    if not match:
        return None
    return float(match.group("n")) * UNITS[match.group("unit").rstrip("s")]


def _digits(word: re.Match[str]) -> str:
    from nargis_desktop.assistant.when_phrases import NUMBER_WORDS

    number = NUMBER_WORDS.get(word.group(1))
    return f"{number} " if number is not None else word.group(0)
