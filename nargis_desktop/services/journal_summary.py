""" "Summarize my week": the local LLM writes it, and every claim points at the entry it came from.

Small local models invent things, so the summary may only cite entries by the numbers it was
shown; citations to anything else are dropped, and when the model gives nothing usable the
summary is built from the entries' own first sentences, which cannot misquote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.models.engines.base import LanguageModel
from nargis_desktop.store.database import Store

MAX_ENTRIES = 8
CHARS_PER_ENTRY = 280
SUMMARY_TOKENS = 96
_CITATION = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class WeekSummary:
    text: str  # with [n] citations
    sources: tuple[JournalEntry, ...]  # [1] is sources[0]
    written_by_model: bool

    def spoken(self) -> str:
        return " ".join(_CITATION.sub("", self.text).split()).replace(" .", ".")

    def source_lines(self) -> list[str]:
        return [f"[{n}] {e.created_at:%A %d %B}: {first_sentence(e.text)}" for n, e in enumerate(self.sources, 1)]


def summarize_week(store: Store, now: datetime, language_model: LanguageModel | None) -> WeekSummary:
    since = now - timedelta(days=7)
    entries = [e for e in store.journal.since(since) if e.created_at <= now]
    entries = entries[-MAX_ENTRIES:]
    if not entries:
        return WeekSummary("You haven't written in your journal in the last seven days.", (), False)
    if language_model is not None:
        text = _cited(_ask_model(language_model, entries), len(entries))
        if text:
            return WeekSummary(text, tuple(entries), True)
    return WeekSummary(_extractive(entries), tuple(entries), False)


def _ask_model(model: LanguageModel, entries: list[JournalEntry]) -> str:
    listing = "\n".join(f"[{n}] {e.created_at:%A}: {e.text[:CHARS_PER_ENTRY]}" for n, e in enumerate(entries, 1))
    instruction = (
        "Summarize this person's week from their journal entries in two or three short sentences, "
        "speaking to them as 'you'. After each sentence put the number of the entry it comes from, like [1].\n\n"
        f"{listing}"
    )
    if model.capabilities.chat_template:
        return model.chat([{"role": "user", "content": instruction}], max_tokens=SUMMARY_TOKENS)
    return model.complete(f"{instruction}\n\nSummary: In your week,", max_tokens=SUMMARY_TOKENS, stop=("\n\n",))


def _cited(text: str, count: int) -> str:
    """The model's summary with citations it could not have seen removed; '' if none remain."""
    text = " ".join(text.split())
    text = _CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= count else "", text)
    if not _CITATION.search(text) or len(_CITATION.sub("", text).split()) < 4:
        return ""
    return text


def first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return sentence if len(sentence) <= 120 else sentence[:117].rstrip() + "…"


def _extractive(entries: list[JournalEntry]) -> str:
    longest = sorted(range(len(entries)), key=lambda i: len(entries[i].text), reverse=True)[:3]
    return " ".join(f"{first_sentence(entries[i].text)} [{i + 1}]" for i in sorted(longest))
