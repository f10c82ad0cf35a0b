"""One turn of conversation: what kind of utterance it is, then understand, act, answer.

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
from nargis_desktop.assistant.classifier import IntentClassifier, Prediction
from nargis_desktop.assistant.dialogue import DialogueState
from nargis_desktop.assistant.heard import MAX_CHARS, clean
from nargis_desktop.assistant.intents import QUESTION
from nargis_desktop.assistant.tools import CONFIRMING_TOOLS, READ_TOOLS, TOOLS, Context, Outcome, ToolError, undo
from nargis_desktop.assistant.understanding import (
    CANNOT_ANSWER,
    Decision,
    Known,
    decide,
    declined,
    dialogue_act,
    edit_call,
    is_question,
    settled_write,
)
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.errors import InputError
from nargis_desktop.models.engines.base import LanguageModel
from nargis_desktop.services.personal_data import PersonalData

_LOGGER = logging.getLogger(__name__)
REPHRASE = "Sorry, I didn't get that. Could you say it another way?"
SAY_AGAIN = "Sorry, I'm not sure I heard that right. Could you say it again?"
TOO_LONG = "That's too long for one request. Say one thing at a time, or put long text in the journal window."
# When a question is asked, the answer fills this argument of the waiting tool call.
SLOT_QUESTIONS = {
    "When should I remind you?": "when",
    "What should I remind you about?": "text",
    "What's the task?": "title",
    "What would you like to write?": "text",
}


class Assistant:
    def __init__(
        self,
        data: PersonalData,
        language_model: Callable[[], LanguageModel | None] | None = None,
        classifier: Callable[[], IntentClassifier | None] | None = None,
    ) -> None:
        """`language_model` is called only for prose (summaries); `classifier` loads the intent model on first use."""
        self.data = data
        self._language_model = language_model
        self._classifier = classifier

    def handle(
        self, text: str, now: datetime, *, dry_run: bool = False, yes: bool = False, misheard: bool = False
    ) -> Turn:
        """`misheard`: the speech recogniser doubts its transcript, so nothing is written on it:
        a write is asked about first ("Did you say: …?") and a yes or an undo is asked again."""
        if not text or not text.strip():
            raise InputError("say or type something for Nargis to do", code="empty-input")
        if dry_run:
            with self.data.store.rolled_back():
                return self._turn(text, now, yes, misheard)
        return self._turn(text, now, yes, misheard)

    def _turn(self, text: str, now: datetime, yes: bool, misheard: bool = False) -> Turn:
        started, cpu_started = time.perf_counter(), time.thread_time()
        timings: dict[str, float] = {}
        state = DialogueState.load(self.data.store, now)
        if len(text) > MAX_CHARS:
            return self._finish(text, [], TOO_LONG, "none", timings, started)
        heard = clean(text)
        if not heard:
            return self._finish(text, [], REPHRASE, "none", timings, started)
        habits = [h.name for h in self.data.store.habits.active_oldest_first()]
        titles = [t.title for t in self.data.tasks()]
        names = [("task", t) for t in titles] + [("habit", h) for h in habits]
        names += [("reminder", r.text) for r in self.data.reminders()]
        call = edit_call(heard, state.focus, names) or fast_path.parse(heard, habits, titles)
        prediction = self._predict(heard, call, timings)
        act = dialogue_act(heard, call, prediction, READ_TOOLS)
        path = "fast" if call is not None else "classifier"
        timings["understand_ms"] = (time.perf_counter() - started) * 1000
        # This thread's CPU time: what understanding costs when no other program competes for the cores.
        timings["understand_cpu_ms"] = (time.thread_time() - cpu_started) * 1000
        if call is None and self._gibberish(heard):
            decision = Decision(None, REPHRASE)
        elif call is None and state.awaiting and not is_question(heard) and not declined(prediction):
            call = ToolCall(state.awaiting["tool"], {**state.awaiting["args"], state.awaiting["slot"]: heard})
            decision = Decision(call)
        else:
            decision = decide(
                heard,
                call,
                act,
                prediction,
                Known(habits, titles, READ_TOOLS, CONFIRMING_TOOLS),
                self._threshold() if prediction is not None else 1.0,  # only a prediction is weighed against it
            )
        call, reply, ask = decision.call, decision.reply, decision.ask
        if misheard and call is not None and call.tool not in READ_TOOLS and call.tool != "deny":
            if call.tool in {"confirm", "undo"}:  # a misheard yes or undo would write: hear it again
                return self._finish(text, [], SAY_AGAIN, "none", timings, started, prediction)
            ask = True
        if call is None:
            state.awaiting = None
            state.save(self.data.store, now)
            if reply is None:
                reply = CANNOT_ANSWER if act == QUESTION and not self._gibberish(heard) else REPHRASE
            return self._finish(text, [], reply, "none", timings, started, prediction)
        acted = time.perf_counter()
        if ask:  # even with --yes: that flag confirms deletions, not guesses
            actions, reply = self._ask_first(call, state)
            if misheard:
                reply = f"Did you say: {reply[0].lower()}{reply[1:]}"
        else:
            actions, reply = self._act(call, state, now, yes)
        timings["act_ms"] = (time.perf_counter() - acted) * 1000
        state.save(self.data.store, now)
        return self._finish(text, actions, reply, path, timings, started, prediction)

    def _predict(self, heard: str, call: ToolCall | None, timings: dict[str, float]) -> Prediction | None:
        """The classifier's reading; skipped where the rules' reading settles everything (the dialogue
        words, and a write asked for in so many words), so those turns load no model at all."""
        if call is not None and (call.tool in {"confirm", "deny", "undo"} or settled_write(heard, call)):
            return None
        classifier = self._classifier() if self._classifier else None
        if classifier is None:
            return None
        started = time.perf_counter()
        prediction = classifier.classify(heard)
        timings["classify_ms"] = (time.perf_counter() - started) * 1000
        return prediction

    def _gibberish(self, heard: str) -> bool:
        """Mostly not words ("asdf qwerty zxcv"): ask again rather than guess. The classifier's
        vocabulary answers at once; wordfreq's English list takes most of a second to load."""
        classifier = self._classifier() if self._classifier else None
        if classifier is None or classifier.knows_word is None:
            return _gibberish(heard)
        words = re.findall(r"[a-zA-Z']+", heard.lower())
        known = sum(classifier.knows_word(w.strip("'")) for w in words)
        return not words or known / len(words) < 0.5

    def _threshold(self) -> float:
        classifier = self._classifier() if self._classifier else None
        return classifier.model.threshold if classifier else 1.0

    def _finish(
        self,
        text: str,
        actions: list[Action],
        reply: str,
        path: str,
        timings: dict[str, float],
        started: float,
        prediction: Prediction | None = None,
    ) -> Turn:
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return Turn(
            input=text,
            actions=actions,
            reply=reply,
            path=path,
            timings_ms=timings,
            understood=prediction.as_json() if prediction else None,
        )

    def _ask_first(self, call: ToolCall, state: DialogueState) -> tuple[list[Action], str]:
        """Not sure enough to write: name the exact effect and wait for a yes."""
        state.pending = {"tool": call.tool, "args": dict(call.args)}
        state.awaiting = None
        return [Action(call.tool, dict(call.args), NEEDS_CONFIRMATION)], effect_question(call)

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
        except (DomainError, InputError) as err:  # a value the domain refuses (an unknown priority, a bad rule)
            if isinstance(err, InputError) and not isinstance(err.__cause__, DomainError):
                raise  # not a domain rule (the services map those to InputError): as before, for the caller
            return [Action(call.tool, dict(call.args), FAILED, err.message)], f"Sorry, {err.message}."
        except ToolError as err:
            # The question may follow why it is asked ("Today at 8 PM has already passed. When should I…?").
            slot = next((slot for question, slot in SLOT_QUESTIONS.items() if err.message.endswith(question)), None)
            if slot:
                state.awaiting = {"tool": call.tool, "args": dict(call.args), "slot": slot}
            return [Action(call.tool, dict(call.args), FAILED, err.message)], err.message
        if outcome.needs_confirmation:
            state.pending = {"tool": call.tool, "args": dict(call.args)}
            return [Action(call.tool, dict(call.args), NEEDS_CONFIRMATION)], outcome.reply
        if outcome.focus:
            state.focus = list(outcome.focus)
        if outcome.undo:
            state.undo, state.undo_label = outcome.undo, tool.undo_label
        return [Action(call.tool, dict(call.args), DONE)], outcome.reply


def effect_question(call: ToolCall) -> str:
    """ "Add a task 'order a pizza'?": the exact effect a yes would have."""
    args = {key: value for key, value in call.args.items() if value}
    when = f" {args['when']}" if "when" in args else ""
    day = f" for {args.get('day', 'today')}"
    said = {
        "add_task": f"Add a task '{args.get('title', '')}'{when}?",
        "add_reminder": f"Set a reminder to {args.get('text', '')}{when}?",
        "add_habit": f"Start a new habit '{args.get('name', '')}'"
        + (f" and check it off for {args['done_on']}?" if "done_on" in args else "?"),
        "add_journal": f"Save '{args.get('text', '')}' to your journal?",
        "check_habit": f"Check off {args.get('habit', '')}{day}?",
        "complete_task": f"Mark '{args.get('task', '')}' as done?",
        "edit_task": f"Change '{args.get('task', '')}'{' to ' + args['when'] if 'when' in args else ''}?",
        "move_reminder": f"Move that reminder{' to ' + args['when'] if 'when' in args else ''}?",
    }
    return said.get(call.tool) or f"Should I {TOOLS[call.tool].description}?"


def _gibberish(text: str) -> bool:
    """Mostly not English words ("asdf qwerty zxcv"): ask again rather than guess."""
    from wordfreq import zipf_frequency

    words = re.findall(r"[a-zA-Z']+", text.lower())
    if not words:
        return True
    known = sum(zipf_frequency(w, "en") >= 2.0 for w in words)
    return known / len(words) < 0.5
