"""Search vectors and sentiment of journal entries, in their own SQLCipher file.

A separate file because it is derived data: it can be deleted and rebuilt at any time, is
left out of exports and backups, and its writes (batches of vectors) never hold the store's lock.
It is encrypted with the store's key, so vectors (which leak meaning) are never plaintext on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from nargis_desktop.store.connection import connect

_SCHEMA = """CREATE TABLE IF NOT EXISTS entries (
    entry_id TEXT PRIMARY KEY, text_sha256 TEXT NOT NULL, sentiment REAL NOT NULL,
    model TEXT, vector BLOB)"""


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class JournalIndex:
    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.conn = connect(path, key)
        self.conn.execute(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def digests(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT entry_id, text_sha256 FROM entries"))

    def put_texts(self, rows: Iterable[tuple[str, str, float]]) -> None:
        """(entry id, text digest, sentiment) for new or edited entries; their vectors start over."""
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO entries (entry_id, text_sha256, sentiment) VALUES (?, ?, ?)", list(rows)
            )

    def forget(self, entry_ids: Sequence[str]) -> None:
        with self.conn:
            self.conn.executemany("DELETE FROM entries WHERE entry_id = ?", [(i,) for i in entry_ids])

    def without_vectors(self, model: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT entry_id FROM entries WHERE model IS NOT ? ", (model,))]

    def put_vectors(self, model: str, vectors: Iterable[tuple[str, np.ndarray]]) -> None:
        with self.conn:
            self.conn.executemany(
                "UPDATE entries SET model = ?, vector = ? WHERE entry_id = ?",
                [(model, v.astype(np.float32).tobytes(), entry_id) for entry_id, v in vectors],
            )

    def vectors(self, model: str) -> tuple[list[str], np.ndarray]:
        rows = self.conn.execute("SELECT entry_id, vector FROM entries WHERE model = ?", (model,)).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])

    def sentiments(self) -> dict[str, float]:
        return dict(self.conn.execute("SELECT entry_id, sentiment FROM entries"))
