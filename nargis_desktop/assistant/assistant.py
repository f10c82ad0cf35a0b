"""One turn of conversation: understand (fast path, else the local model), act, answer.

The dialogue state makes follow-ups work: a question asked ("When?"), an action waiting for
"yes", what "it" means, and the last action to undo.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import datetime

from nargis_desktop.assistant import fast_path
from nargis_desktop.assistant.calls import DONE, FAILED, NEEDS_CONFIRMATION, Action, ToolCall, Turn
from nargis_desktop.assistant.dialogue import DialogueState
from nargis_desktop.assistant.tools import TOOLS, Context, Outcome, ToolError, undo
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.errors import InputError
from nargis_desktop.models.engines.base import LanguageModel
from nargis_desktop.services.personal_data import PersonalData

_LOGGER = logging.getLogger(__name__)
REPHRASE = "Sorry, I didn't get that. Could you say it another way?"
QUESTION = re.compile(r"^(?:what|who|why|how|when|where|which|tell me|can you|do you|is it|are you)\b", re.IGNORECASE)
# When a question is asked, the answer fills this argument of the waiting tool call.
SLOT_QUESTIONS = {
    "When should I remind you?": "when",
    "What should I remind you about?": "text",
    "What's the task?": "title",
    "What would you like to write?": "text",
}


UNDO_LABELS = {
    "add_task": "adding that task",
    "complete_task": "completing that task",
    "delete_task": "deleting that task",
    "edit_task": "that change",
    "complete_all_tasks": "completing those tasks",
    "add_habit": "the new habit",
    "check_habit": "that check-in",
    "add_journal": "that journal entry",
    "add_reminder": "that reminder",
    "snooze_reminder": "the snooze",
    "cancel_reminder": "cancelling that reminder",
}


class Assistant:
    def __init__(self, data: PersonalData, language_model: Callable[[], LanguageModel | None] | None = None) -> None:
        """`language_model` is called only when the fast path is not sure (loading it is slow)."""
        self.data = data
        self._language_model = language_model

    def handle(self, text: str, now: datetime, *, dry_run: bool = False, yes: bool = False) -> Turn:
        if not text or not text.strip():
            raise InputError("say or type something for Nargis to do", code="empty-input")
        if dry_run:
            with self.data.store.rolled_back():
                return self._turn(text, now, yes)
        return self._turn(text, now, yes)

    def _turn(self, text: str, now: datetime, yes: bool) -> Turn:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        state = DialogueState.load(self.data.store, now)
        habits = [h.name for h in self.data.store.habits.list("archived = 0")]
        titles = [t.title for t in self.data.tasks()]
        call = fast_path.parse(text, habits, titles)
        path = "fast"
        if call is None and state.awaiting:
            call = ToolCall(state.awaiting["tool"], {**state.awaiting["args"], state.awaiting["slot"]: text.strip()})
        timings["understand_ms"] = (time.perf_counter() - started) * 1000
        if call is None:
            call, path = self._ask_model(text, timings)
        if call is None:
            state.awaiting = None
            state.save(self.data.store, now)
            return self._finish(
                text, [], REPHRASE if path == "none" else "Sorry, I can't help with that yet.", path, timings, started
            )
        acted = time.perf_counter()
        actions, reply = self._act(call, state, now, yes)
        timings["act_ms"] = (time.perf_counter() - acted) * 1000
        state.save(self.data.store, now)
        return self._finish(text, actions, reply, path, timings, started)

    def _finish(
        self, text: str, actions: list[Action], reply: str, path: str, timings: dict[str, float], started: float
    ) -> Turn:
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return Turn(input=text, actions=actions, reply=reply, path=path, timings_ms=timings)

    def _ask_model(self, text: str, timings: dict[str, float]) -> tuple[ToolCall | None, str]:
        if _gibberish(text):
            return None, "none"
        if QUESTION.match(text.strip()):
            return None, "question"  # small models invent a task for questions they cannot answer
        model = self._language_model() if self._language_model else None
        if model is None:
            return None, "none"
        from nargis_desktop.assistant.llm_path import understand

        result = understand(model, text)
        timings["llm_ms"] = result.seconds * 1000
        return result.call, "llm" if result.call else "none"

    def _act(self, call: ToolCall, state: DialogueState, now: datetime, yes: bool) -> tuple[list[Action], str]:
        if call.tool == "confirm":
            if not state.pending:
                return [], "There's nothing waiting for a yes."
            pending = ToolCall(state.pending["tool"], state.pending["args"])
            state.pending = None
            return self._run(pending, state, now, confirmed=True)
        if call.tool == "deny":
            had = state.pending or state.awaiting
            state.pending = state.awaiting = None
            return [], "Okay, I won't." if had else "Okay."
        if call.tool == "undo":
            if not state.undo:
                return [Action("undo", {}, FAILED, "nothing to undo")], "There's nothing to undo."
            undo(self.data, state.undo)
            label, state.undo, state.undo_label = state.undo_label, [], ""
            return [Action("undo", {}, DONE)], f"Okay, I've undone {label}." if label else "Okay, undone."
        return self._run(call, state, now, confirmed=yes)

    def _run(self, call: ToolCall, state: DialogueState, now: datetime, confirmed: bool) -> tuple[list[Action], str]:
        tool = TOOLS.get(call.tool)
        if tool is None:
            return [Action(call.tool, dict(call.args), FAILED, "unknown tool")], REPHRASE
        focus = (state.focus[0], state.focus[1]) if state.focus else None
        context = Context(self.data, now, focus=focus, confirmed=confirmed, language_model=self._language_model)
        state.awaiting = None
        try:
            with self.data.store.transaction():
                outcome: Outcome = tool.run(context, dict(call.args))
        except DomainError as err:  # a value the domain refuses (an unknown priority, a bad rule)
            return [Action(call.tool, dict(call.args), FAILED, err.message)], f"Sorry, {err.message}."
        except ToolError as err:
            slot = SLOT_QUESTIONS.get(err.message)
            if slot:
                state.awaiting = {"tool": call.tool, "args": dict(call.args), "slot": slot}
            return [Action(call.tool, dict(call.args), FAILED, err.message)], err.message
        if outcome.needs_confirmation:
            state.pending = {"tool": call.tool, "args": dict(call.args)}
            return [Action(call.tool, dict(call.args), NEEDS_CONFIRMATION)], outcome.reply
        if outcome.focus:
            state.focus = list(outcome.focus)
        if outcome.undo:
            state.undo, state.undo_label = outcome.undo, UNDO_LABELS.get(call.tool, "that")
        return [Action(call.tool, dict(call.args), DONE)], outcome.reply


def _gibberish(text: str) -> bool:
    """Mostly not English words ("asdf qwerty zxcv"): ask again rather than guess."""
    from wordfreq import zipf_frequency

    words = re.findall(r"[a-zA-Z']+", text.lower())
    if not words:
        return True
    known = sum(zipf_frequency(w, "en") >= 2.0 for w in words)
    return known / len(words) < 0.5
