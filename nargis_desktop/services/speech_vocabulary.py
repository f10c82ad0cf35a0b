"""The words this person says to Nargis, for biasing speech recognition towards them.

Whisper tiny hears "Meditate" as "meditation", "Sara" as "Sarah" and "Floss" as "flaws" when
nothing tells it those words are likely. The person's own habit, task and reminder names and the
names of people in them are collected here, with Nargis's command vocabulary, into a short list
each recogniser takes in its own way (whisper: the previous-text prompt; Vosk: a phrase grammar).

Built from the store and kept until the store changes (its change log's newest stamp), so a turn
pays for it only after an edit.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from nargis_desktop.services.personal_data import PersonalData

# How people command Nargis, in the forms a recogniser should write ("7 a.m.", not "7m").
COMMAND_PHRASES = (
    "Remind me to call mom tomorrow at 7 a.m.",
    "Add a task, high priority.",
    "Cancel the reminder.",
    "Snooze it for 10 minutes.",
    "Mark buy milk as done.",
    "Check off meditate.",
    "Start a new habit.",
    "Journal entry.",
    "Every weekday at 9 p.m.",
)
MAX_NAMES = 40  # whisper's prompt holds ~220 tokens; the names stay well inside it
MAX_JOURNAL_ENTRIES = 50  # people named in recent entries only: old names matter less
_NOT_NAMES = frozenset({"I", "I'm", "I've", "I'll", "I'd", "Mr", "Mrs", "Ms", "Dr", "OK", "Okay"})
_WEEKDAYS_AND_MONTHS = frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


@dataclass(frozen=True)
class Vocabulary:
    names: tuple[str, ...]  # the person's own: habits, people, then open tasks and reminders
    commands: tuple[str, ...] = COMMAND_PHRASES

    def phrases(self) -> list[str]:
        return [*self.names]

    def words(self) -> set[str]:
        """Every word of the person's names, lower case (what a biased recogniser might invent)."""
        return {w for name in self.names for w in re.findall(r"[a-z']+", name.lower())}


def people_named(texts: list[str]) -> list[str]:
    """Capitalised words that do not start a sentence: "Email Sara about the trip" → Sara."""
    found: dict[str, None] = {}
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            for word in re.findall(r"[A-Za-z][A-Za-z'-]*", sentence)[1:]:
                if word[0].isupper() and word not in _NOT_NAMES and word not in _WEEKDAYS_AND_MONTHS:
                    found.setdefault(word, None)
    return list(found)


def build_vocabulary(data: PersonalData) -> Vocabulary:
    habits = [h.name for h in data.store.habits.active_oldest_first()]
    tasks = [t.title for t in data.tasks()]
    reminders = [r.text for r in data.reminders()]
    journal = [e.text for e in data.store.journal.newest_first()[:MAX_JOURNAL_ENTRIES]]
    people = people_named(tasks + reminders + journal)
    names: dict[str, None] = {}
    for name in habits + people + reminders + tasks:
        if name.strip() and name.lower() not in {n.lower() for n in names}:
            names[name.strip()] = None
    return Vocabulary(tuple(list(names)[:MAX_NAMES]))


class VocabularyCache:
    """The vocabulary of a store, rebuilt only when the store has changed since it was built."""

    def __init__(self, data: PersonalData) -> None:
        self.data = data
        self._lock = threading.Lock()
        self._built_at: str | None = None
        self._vocabulary: Vocabulary | None = None
        self.builds = 0

    def current(self) -> Vocabulary:
        with self._lock:
            stamp = self.data.store.last_change_stamp()
            if self._vocabulary is None or stamp != self._built_at:
                self._vocabulary = build_vocabulary(self.data)
                self._built_at = stamp
                self.builds += 1
            return self._vocabulary

    def phrases(self) -> list[str]:
        return self.current().phrases()
