""" "Summarize my week": the week's own sentences, each pointing at the entry it came from.

By default the summary is extractive: the sentences nearest the week's centre of meaning, each
from a different entry and unlike the ones already picked (MMR over MiniLM vectors), so it
cannot misquote the person and answers in well under a second. A language model writes it only
when asked (`--llm`); small local models invent things, so that summary may only cite entries by
the numbers it was shown, citations to anything else are dropped, and when the model gives
nothing usable the extractive summary is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.models.engines.base import Embedder, LanguageModel
from nargis_desktop.store.database import Store

MAX_ENTRIES = 8
CHARS_PER_ENTRY = 280
SUMMARY_TOKENS = 96
PICKED_SENTENCES = 3
NOVELTY_WEIGHT = 0.6  # how much a sentence like one already picked is held back (MMR's lambda)
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


def summarize_week(
    store: Store, now: datetime, language_model: LanguageModel | None, embedder: Embedder | None = None
) -> WeekSummary:
    since = now - timedelta(days=7)
    entries = [e for e in store.journal.since(since) if e.created_at <= now]
    entries = entries[-MAX_ENTRIES:]
    if not entries:
        return WeekSummary("You haven't written in your journal in the last seven days.", (), False)
    if language_model is not None:
        text = _cited(_ask_model(language_model, entries), len(entries))
        if text:
            return WeekSummary(text, tuple(entries), True)
    if embedder is not None:
        return WeekSummary(_by_meaning(entries, embedder), tuple(entries), False)
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
    return _shortened(re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0])


def _extractive(entries: list[JournalEntry]) -> str:
    longest = sorted(range(len(entries)), key=lambda i: len(entries[i].text), reverse=True)[:3]
    return " ".join(f"{first_sentence(entries[i].text)} [{i + 1}]" for i in sorted(longest))


def sentences(text: str) -> list[str]:
    return [part for part in (p.strip() for p in re.split(r"(?<=[.!?])\s+", text.strip())) if len(part) > 2]


def _by_meaning(entries: list[JournalEntry], embedder: Embedder) -> str:
    """The sentences most central to the week, at most one per entry, each unlike those before it."""
    import numpy as np

    candidates = [(n, sentence) for n, entry in enumerate(entries) for sentence in sentences(entry.text)]
    if not candidates:
        return _extractive(entries)
    vectors = np.asarray(embedder.embed([sentence for _, sentence in candidates]), dtype=np.float32)
    centre = vectors.mean(axis=0)
    centrality = vectors @ (centre / (float(np.linalg.norm(centre)) or 1.0))
    picked: list[int] = []
    while len(picked) < min(PICKED_SENTENCES, len(entries)):
        used = {candidates[i][0] for i in picked}
        best, best_score = -1, -np.inf
        for i, (entry_number, _) in enumerate(candidates):
            if entry_number in used:
                continue
            likeness = max((float(vectors[i] @ vectors[j]) for j in picked), default=0.0)
            score = (1 - NOVELTY_WEIGHT) * float(centrality[i]) - NOVELTY_WEIGHT * likeness
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        picked.append(best)
    in_order = sorted(picked, key=lambda i: (candidates[i][0], i))
    return " ".join(f"{_shortened(candidates[i][1])} [{candidates[i][0] + 1}]" for i in in_order)


def _shortened(sentence: str) -> str:
    return sentence if len(sentence) <= 120 else sentence[:117].rstrip() + "…"
