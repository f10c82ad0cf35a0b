"""The journal's search vectors in an in-memory DuckDB table: nearest entries by cosine similarity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any


class VectorTable:
    """Rebuilt from the journal index when it changed; DuckDB runs the similarity in one query."""

    def __init__(self) -> None:
        self._db: Any = None  # created on the first search

    def fill(self, ids: Sequence[str], vectors: Any, days: Mapping[str, date]) -> None:
        """Replace the table's rows: one per id, its vector (a 2-D NumPy array) and the day it was written."""
        import duckdb
        import pyarrow as pa

        if self._db is None:
            self._db = duckdb.connect(":memory:", config={"temp_directory": "", "threads": 2})
            self._db.execute("SET enable_external_access = false")
        self._db.execute("DROP TABLE IF EXISTS vec")
        if not ids:
            self._db.execute("CREATE TABLE vec (entry_id VARCHAR, day DATE, vec FLOAT[1])")
            return
        dim = vectors.shape[1]
        batch = pa.table(
            {
                "entry_id": pa.array(list(ids)),
                "day": pa.array([days[i] for i in ids]),
                "vec": pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel()), dim),
            }
        )
        self._db.register("incoming", batch)
        self._db.execute(f"CREATE TABLE vec AS SELECT entry_id, day, vec::FLOAT[{dim}] AS vec FROM incoming")
        self._db.unregister("incoming")

    @property
    def filled(self) -> bool:
        return self._db is not None

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM vec").fetchone()[0])

    def nearest(self, vector: Any, first: date | None, last: date | None, limit: int) -> list[tuple[str, float]]:
        """(entry id, similarity) of the `limit` nearest, written between `first` and `last`."""
        import pyarrow as pa

        # Binding a 384-float list as a parameter costs ~50 ms; an Arrow table costs ~1 ms.
        self._db.register("probe", pa.table({"q": pa.FixedSizeListArray.from_arrays(pa.array(vector), len(vector))}))
        try:
            rows = self._db.execute(
                f"""SELECT entry_id, array_cosine_similarity(vec, (SELECT q::FLOAT[{len(vector)}] FROM probe)) AS s
                    FROM vec WHERE day BETWEEN $first AND $last ORDER BY s DESC LIMIT {int(limit)}""",
                {"first": first or date.min, "last": last or date.max},
            ).fetchall()
        finally:
            self._db.unregister("probe")
        return [(str(entry_id), float(score)) for entry_id, score in rows]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
