"""What the Sheets sync keeps in the encrypted store: settings, each row as last synced, conflicts,
deletions. The Sheets sync (sync/sheets/) asks these questions; the SQL stays in the store."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nargis_desktop.store.database import Store

Cells = dict[str, str]

SPREADSHEET_ID = "spreadsheet_id"
SHEET_IDS = "sheet_ids"  # JSON: worksheet title → sheetId
INCLUDE_JOURNAL = "include_journal"
CURSOR = "change_cursor"  # the change-log seq already looked at
ENDPOINT = "endpoint"  # a test server instead of Google (never set for real use)
LAST_RESULT = "last_result"
LAST_SYNC_AT = "last_sync_at"
WRITE_BUDGET = "write_budget"


@dataclass(frozen=True)
class Conflict:
    kind: str
    item_id: str
    field: str
    kept: str
    discarded: str
    local_hlc: str | None


class SheetsState:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: Any = store.conn

    # Settings --------------------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM sheets_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        with self.store.transaction():
            self.conn.execute("INSERT OR REPLACE INTO sheets_state (key, value) VALUES (?, ?)", (key, value))

    def connected(self) -> bool:
        return self.get(SPREADSHEET_ID) is not None

    def sheet_ids(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in json.loads(self.get(SHEET_IDS) or "{}").items()}

    def include_journal(self) -> bool:
        return self.get(INCLUDE_JOURNAL) == "1"

    def forget(self) -> None:
        """Disconnect: the link and what was last synced go; recorded conflicts stay for reading."""
        with self.store.transaction():
            self.conn.execute("DELETE FROM sheets_state")
            self.conn.execute("DELETE FROM sheets_rows")

    # The change log ------------------------------------------------------------------------------
    def cursor(self) -> int:
        return int(self.get(CURSOR) or 0)

    def latest_change(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])

    def pending_local_changes(self, entities: list[str]) -> int:
        marks = ", ".join("?" * len(entities))
        sql = f"SELECT count(*) FROM changes WHERE seq > ? AND entity IN ({marks})"
        return int(self.conn.execute(sql, (self.cursor(), *entities)).fetchone()[0])

    def last_local_hlc(self, entity: str, item_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT max(hlc) FROM changes WHERE entity = ? AND entity_id = ?", (entity, item_id)
        ).fetchone()
        return None if row is None else row[0]

    # Rows as last synced ---------------------------------------------------------------------------
    def base_rows(self, kind: str) -> dict[str, Cells]:
        rows = self.conn.execute("SELECT item_id, cells FROM sheets_rows WHERE kind = ?", (kind,))
        return {item_id: json.loads(cells) for item_id, cells in rows}

    def save_base(self, kind: str, item_id: str, cells: Cells) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO sheets_rows (kind, item_id, cells) VALUES (?, ?, ?)",
            (kind, item_id, json.dumps(cells, sort_keys=True)),
        )

    def drop_base(self, kind: str, item_id: str) -> None:
        self.conn.execute("DELETE FROM sheets_rows WHERE kind = ? AND item_id = ?", (kind, item_id))

    # Conflicts and deletions --------------------------------------------------------------------------
    def record_conflict(self, conflict: Conflict, at: str) -> None:
        self.conn.execute(
            """INSERT INTO sheets_conflicts (kind, item_id, field, kept, discarded, local_hlc, recorded_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (conflict.kind, conflict.item_id, conflict.field, conflict.kept, conflict.discarded,
             conflict.local_hlc, at),
        )  # fmt: skip

    def conflicts(self) -> list[Conflict]:
        rows = self.conn.execute(
            "SELECT kind, item_id, field, kept, discarded, local_hlc FROM sheets_conflicts ORDER BY seq"
        )
        return [Conflict(*row) for row in rows]

    def record_deletion(self, kind: str, item_id: str, at: str) -> None:
        self.conn.execute(
            "INSERT INTO sheets_deletions (kind, item_id, deleted_at) VALUES (?, ?, ?)", (kind, item_id, at)
        )

    def deletions_to_undo(self) -> list[tuple[int, str, str]]:
        rows = self.conn.execute("SELECT seq, kind, item_id FROM sheets_deletions WHERE undone = 0 ORDER BY seq")
        return [(int(seq), str(kind), str(item_id)) for seq, kind, item_id in rows]

    def mark_undone(self, seq: int) -> None:
        self.conn.execute("UPDATE sheets_deletions SET undone = 1 WHERE seq = ?", (seq,))
