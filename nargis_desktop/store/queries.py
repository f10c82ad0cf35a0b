"""Named questions about the store that span tables or the change log, so no SQL lives outside store/."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nargis_desktop.store.database import Store


def latest_change(store: Store) -> int:
    """The change log's last sequence number (0 when empty): what has been written so far."""
    return int(store.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])


def habits_checked_on(store: Store, day: date) -> set[str]:
    """Ids of the habits with a check-in on `day`."""
    rows = store.conn.execute("SELECT habit_id FROM checkins WHERE deleted_at IS NULL AND day = ?", (day.isoformat(),))
    return {row[0] for row in rows}


def habits_touched(store: Store, after_seq: int, up_to_seq: int) -> set[str]:
    """Habits whose row or check-ins changed in the change log between two points."""
    rows = store.conn.execute(
        """SELECT entity_id FROM changes WHERE entity = 'habit' AND seq > ?1 AND seq <= ?2
           UNION SELECT c.habit_id FROM changes ch JOIN checkins c ON c.id = ch.entity_id
           WHERE ch.entity = 'checkin' AND ch.seq > ?1 AND ch.seq <= ?2""",
        (after_seq, up_to_seq),
    )
    return {row[0] for row in rows}


def habit_names(store: Store) -> list[tuple[str, str, bool]]:
    """(id, name, deleted) of every habit, deleted ones too: old check-ins still name them."""
    rows = store.conn.execute("SELECT id, name, deleted_at FROM habits").fetchall()
    return [(row[0], row[1], row[2] is not None) for row in rows]


def journal_texts(store: Store) -> dict[str, str]:
    """Entry id → text of the journal entries not deleted."""
    return dict(store.conn.execute("SELECT id, text FROM journal WHERE deleted_at IS NULL"))


def journal_days(store: Store, *, since: date | None = None, deleted_too: bool = False) -> dict[str, date]:
    """Entry id → the day it was written; from `since` on when given."""
    sql = "SELECT id, substr(created_at, 1, 10) FROM journal WHERE (? OR deleted_at IS NULL) AND created_at >= ?"
    rows = store.conn.execute(sql, (deleted_too, since.isoformat() if since else ""))
    return {entry_id: date.fromisoformat(day) for entry_id, day in rows}
