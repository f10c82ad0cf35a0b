"""The journal, searched by meaning, scored for mood, and summarized with its sources named.

Vectors (all-MiniLM-L6-v2 through the model manager) and VADER sentiment live in the encrypted
journal index; cosine search is one NumPy matrix product over the vectors held in memory (DuckDB
and Arrow cost more to import than a whole search takes). The embedder loads only when something has to be
embedded or searched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.store import queries
from nargis_desktop.store.database import Store
from nargis_desktop.store.journal_index import JournalIndex, text_digest

if TYPE_CHECKING:
    from nargis_desktop.models.engines.base import Embedder

EMBED_BATCH = 32
CANDIDATES = 50  # cosine picks these, a name or word said in the query reorders them
KEYWORD_BONUS = 0.15
_STOPWORDS = frozenset(
    "a an and the i me my to of in on at for about with what did write wrote was is it".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class _Vectors:
    ids: list[str]
    days: np.ndarray  # datetime64[D], one per id
    unit: np.ndarray  # float32, one unit-length row per id


@dataclass(frozen=True)
class JournalHit:
    entry: JournalEntry
    score: float


class JournalSearch:
    def __init__(self, store: Store, index: JournalIndex, embedder: Callable[[], Embedder | None], model: str) -> None:
        self.store, self.index, self.model = store, index, model
        self._embedder = embedder
        self._matrix: _Vectors | None = None  # built on the first search
        self._table_stale = True  # the vectors in memory lag the index
        self._synced_seq = -1  # the change-log position the index was last brought up to

    def close(self) -> None:
        self.index.close()

    def embedder(self) -> Embedder | None:
        """The embedding model (loaded on first use), or None where there is none."""
        return self._embedder()

    # Keeping the index in step ------------------------------------------------------------------
    def update(self, progress: Callable[[int, int], None] | None = None, *, embed: bool = True) -> int:
        """Score new and edited entries, drop deleted ones, embed what lacks a vector. Returns embedded.

        `embed=False` only scores: the mood chart needs no embedding model loaded.
        """
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        latest = queries.latest_change(self.store)
        if latest == self._synced_seq:  # nothing written since: skip hashing every entry
            return 0
        known = self.index.digests()
        texts = queries.journal_texts(self.store)
        stale = {entry_id: text for entry_id, text in texts.items() if known.get(entry_id) != text_digest(text)}
        if stale:
            analyzer = SentimentIntensityAnalyzer()
            self.index.put_texts(
                (i, text_digest(t), float(analyzer.polarity_scores(t)["compound"])) for i, t in stale.items()
            )
        gone = [entry_id for entry_id in known if entry_id not in texts]
        self.index.forget(gone)
        self._table_stale = self._table_stale or bool(stale or gone)
        if not embed:  # the change log is not marked as seen: a later search still embeds
            return 0
        missing = [entry_id for entry_id in self.index.without_vectors(self.model) if entry_id in texts]
        embedder = self._embedder() if missing else None
        self._synced_seq = latest
        if embedder is None:
            return 0
        self._table_stale = True
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = embedder.embed([texts[i] for i in batch])
            self.index.put_vectors(self.model, zip(batch, (np.asarray(v) for v in vectors), strict=True))
            if progress:
                progress(min(start + EMBED_BATCH, len(missing)), len(missing))
        return len(missing)

    def _vectors(self) -> _Vectors:
        """Every indexed entry's unit vector and day, kept in memory until the index changes."""
        if self._matrix is not None and not self._table_stale:
            return self._matrix
        ids, vectors = self.index.vectors(self.model)
        days = queries.journal_days(self.store, deleted_too=True)
        matrix = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self._matrix = _Vectors(
            ids=ids,
            days=np.array([days[i] for i in ids], dtype="datetime64[D]"),
            unit=matrix / np.where(norms == 0, 1.0, norms),
        )
        self._table_stale = False
        return self._matrix

    # Search ---------------------------------------------------------------------------------------
    def search(
        self, query: str, *, limit: int = 5, first: date | None = None, last: date | None = None
    ) -> list[JournalHit]:
        """Entries nearest in meaning to `query` (optionally written between `first` and `last`)."""
        if not query.strip():
            return []
        self.update()
        embedder = self._embedder()
        if embedder is None:  # no embedding model (or no torch, as in the desktop bundle)
            return self._keyword_search(query, limit, first, last)
        known = self._vectors()
        if not known.ids:
            return self._keyword_search(query, limit, first, last)
        probe = np.asarray(embedder.embed([query])[0], dtype=np.float32)
        probe /= float(np.linalg.norm(probe)) or 1.0
        # A journal of years is a few thousand vectors: one matrix product is well under a millisecond.
        scores = known.unit @ probe
        inside = np.ones(len(known.ids), dtype=bool)
        if first is not None:
            inside &= known.days >= np.datetime64(first, "D")
        if last is not None:
            inside &= known.days <= np.datetime64(last, "D")
        chosen = np.flatnonzero(inside)
        best = chosen[np.argsort(-scores[chosen], kind="stable")[:CANDIDATES]]
        rows = [(known.ids[i], float(scores[i])) for i in best]
        return self._rerank(query, rows, limit)

    def _rerank(self, query: str, rows: list[tuple[str, float]], limit: int) -> list[JournalHit]:
        words = _keywords(query)
        entries = {e.id: e for e in self.store.journal.with_ids([r[0] for r in rows])}
        hits = []
        for entry_id, score in rows:
            entry = entries.get(entry_id)
            if entry is None:  # deleted since the index was brought up to date
                continue
            bonus = KEYWORD_BONUS if words and words & _keywords(entry.text) else 0.0
            hits.append(JournalHit(entry, round(float(score) + bonus, 4)))
        hits.sort(key=lambda hit: hit.score, reverse=True)
        return hits[:limit]

    def _keyword_search(self, query: str, limit: int, first: date | None, last: date | None) -> list[JournalHit]:
        """Without an embedding model: entries sharing words with the query, most shared first."""
        words = _keywords(query)
        hits = []
        for entry in self.store.journal.list():
            day = entry.created_at.date()
            if (first and day < first) or (last and day > last):
                continue
            shared = len(words & _keywords(entry.text))
            if shared:
                hits.append(JournalHit(entry, round(shared / len(words), 4)))
        hits.sort(key=lambda hit: (hit.score, hit.entry.created_at), reverse=True)
        return hits[:limit]

    # Mood -------------------------------------------------------------------------------------------
    def sentiment_per_week(self, now: datetime, weeks: int = 12) -> tuple[float | None, ...]:
        """Average VADER sentiment (-1 sad … +1 glad) of each of the last `weeks` weeks, oldest first."""
        self.update(embed=False)
        scores = self.index.sentiments()
        week_start = now.date() - timedelta(days=now.weekday())
        starts = [week_start - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
        buckets: list[list[float]] = [[] for _ in starts]
        for entry_id, created in queries.journal_days(self.store, since=starts[0]).items():
            index = (created - starts[0]).days // 7
            if 0 <= index < weeks and entry_id in scores:
                buckets[index].append(scores[entry_id])
        return tuple(round(sum(b) / len(b), 3) if b else None for b in buckets)


def _keywords(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in _STOPWORDS and len(w) > 2}
