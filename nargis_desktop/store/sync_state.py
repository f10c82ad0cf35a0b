"""The store's side of sync: local changes waiting to be pushed, and applying changes from other devices.

Every field converges to the value written under the highest hybrid-clock timestamp (device id
breaks ties, as it is part of the timestamp). Remote changes join the same `changes` table with
their `change_id`, so applying a batch twice is a no-op and the row is always the fold of its
log; they are never pushed again. Journal text is the exception to plain last-writer-wins: an
edit names the versions it replaced (`bases`), and a version nobody replaced that lost is kept
in `journal_conflicts` for the person to see.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nargis_desktop.domain.journal import JournalConflict
from nargis_desktop.errors import SyncProtocolError
from nargis_desktop.store import codecs
from nargis_desktop.store.codecs import encode_fields
from nargis_desktop.store.hlc import HlcTimestamp, HybridClock

if TYPE_CHECKING:
    from nargis_desktop.store.database import Store

_LOGGER = logging.getLogger(__name__)
# In the order they are applied: a parent kind comes before the kinds that point at it.
CODECS = {
    codec.entity: codec
    for codec in (
        codecs.HABITS,
        codecs.TASKS,
        codecs.CHECKINS,
        codecs.COMPLETIONS,
        codecs.JOURNAL,
        codecs.REMINDERS,
    )
}
# Kinds whose rows name another item (column, parent kind, its table): a foreign key refuses a
# row whose parent has not arrived yet, so it waits until it has.
_PARENTS = {"checkin": ("habit_id", "habit", "habits"), "completion": ("task_id", "task", "tasks")}
_CHILDREN = {parent: child for child, (_, parent, _) in _PARENTS.items()}
_CHUNK = 500
_TEXT_CHANGES = "entity = 'journal' AND entity_id = ? AND json_type(fields, '$.text') IS NOT NULL"


@dataclass(frozen=True)
class Change:
    """One row of the change log, as it travels between devices (inside the encryption)."""

    change_id: str
    entity: str
    entity_id: str
    fields: dict[str, Any]
    hlc: str
    device_id: str
    bases: tuple[str, ...] | None = None


# Small key-value state: cursors, server address, session. The store is encrypted, so tokens are too.
def get_value(store: Store, key: str) -> str | None:
    row = store.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_values(store: Store, values: dict[str, str | None]) -> None:
    with store.transaction():
        for key, value in values.items():
            if value is None:
                store.conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
            else:
                store.conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, value))


# Pushing ---------------------------------------------------------------------------------------
def pending_count(store: Store) -> int:
    pushed = int(get_value(store, "pushed_seq") or 0)
    row = store.conn.execute("SELECT count(*) FROM changes WHERE change_id IS NULL AND seq > ?", (pushed,)).fetchone()
    return int(row[0])


def pending_changes(store: Store, limit: int) -> list[tuple[int, Change]]:
    """The oldest local changes not yet acknowledged by the server, with their local sequence."""
    pushed = int(get_value(store, "pushed_seq") or 0)
    rows = store.conn.execute(
        "SELECT seq, entity, entity_id, fields, hlc, device_id, bases FROM changes "
        "WHERE change_id IS NULL AND seq > ? ORDER BY seq LIMIT ?",
        (pushed, limit),
    ).fetchall()
    out = []
    with store.transaction():
        for seq, entity, entity_id, fields, hlc, device_id, bases in rows:
            decoded = json.loads(fields)
            base_list = _bases(store, entity_id, seq, bases) if entity == "journal" and "text" in decoded else None
            out.append((seq, Change(f"{device_id}-{seq}", entity, entity_id, decoded, hlc, device_id, base_list)))
    return out


def mark_pushed(store: Store, seq: int) -> None:
    """Never backwards: two syncs of one store (two connections) may finish in either order."""
    with store.transaction():
        if seq > int(get_value(store, "pushed_seq") or 0):
            set_values(store, {"pushed_seq": str(seq)})


def _bases(store: Store, entry_id: str, seq: int, stored: str | None) -> tuple[str, ...]:
    """What a journal text edit replaced: the text version this device showed when it was written."""
    if stored is not None:
        return tuple(json.loads(stored))
    row = store.conn.execute(
        f"SELECT hlc FROM changes WHERE {_TEXT_CHANGES} AND seq < ? ORDER BY hlc DESC LIMIT 1", (entry_id, seq)
    ).fetchone()
    bases = (row[0],) if row else ()
    # Fixed once computed, so the device that wrote it and every other device agree for ever.
    store.conn.execute("UPDATE changes SET bases = ? WHERE seq = ?", (json.dumps(list(bases)), seq))
    return bases


# Applying ----------------------------------------------------------------------------------------
def check_change(change: Change) -> None:
    """A change names a known kind of item and only its columns (they become SQL identifiers)."""
    codec = CODECS.get(change.entity)
    if codec is None:
        raise SyncProtocolError(f"a synced change names an unknown kind of item {change.entity!r}")
    allowed = {*codec.columns, "deleted_at"}
    unknown = set(change.fields) - allowed
    if unknown or not change.fields:
        raise SyncProtocolError(f"a synced {change.entity} change has unknown fields {sorted(unknown)}")
    HlcTimestamp.decode(change.hlc)


def apply_remote(store: Store, changes: Iterable[Change]) -> int:
    """Apply changes from other devices in one transaction; returns how many were new."""
    batch = [c for c in changes if c.device_id != store.device_id]
    for change in batch:
        check_change(change)
    with store.transaction():
        fresh = _not_yet_applied(store, batch)
        store.conn.executemany(
            "INSERT OR IGNORE INTO changes (entity, entity_id, fields, hlc, device_id, change_id, bases) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.entity,
                    c.entity_id,
                    encode_fields(c.fields),
                    c.hlc,
                    c.device_id,
                    c.change_id,
                    None if c.bases is None else json.dumps(list(c.bases)),
                )
                for c in fresh
            ],
        )
        new = len(fresh)
        touched = {(c.entity, c.entity_id) for c in fresh}
        for entity in CODECS:  # parents before the items that point at them
            ids = sorted(entity_id for kind, entity_id in touched if kind == entity)
            inserted = materialize_many(store, entity, ids)
            if entity in _CHILDREN and inserted:
                _retry_orphans(store, _CHILDREN[entity])
            if entity == "journal":
                for entry_id in ids:
                    refresh_conflicts(store, entry_id)
        if batch:
            store.clock.observe(HlcTimestamp.decode(max(c.hlc for c in batch)))
    return new


def _not_yet_applied(store: Store, batch: list[Change]) -> list[Change]:
    """The changes of `batch` not in the log yet, each once (a batch may repeat a change)."""
    known: set[str] = set()
    ids = sorted({c.change_id for c in batch})
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        known.update(
            row[0]
            for row in store.conn.execute(
                f"SELECT change_id FROM changes WHERE change_id IN ({', '.join('?' * len(chunk))})", chunk
            )
        )
    fresh: dict[str, Change] = {}
    for change in batch:
        if change.change_id not in known:
            fresh.setdefault(change.change_id, change)
    return list(fresh.values())


def materialize(store: Store, entity: str, entity_id: str) -> bool:
    """Set the row to the fold of its change log in clock order; True when a new row was inserted."""
    return bool(materialize_many(store, entity, [entity_id]))


def materialize_many(store: Store, entity: str, ids: list[str]) -> list[str]:
    """`materialize` for many items of one kind, a chunk of ids per query; returns the ids inserted."""
    inserted: list[str] = []
    for start in range(0, len(ids), _CHUNK):
        inserted += _materialize_chunk(store, CODECS[entity], ids[start : start + _CHUNK])
    return inserted


def _materialize_chunk(store: Store, codec: codecs.Codec[Any], ids: list[str]) -> list[str]:
    marks = ", ".join("?" * len(ids))
    states: dict[str, dict[str, Any]] = {entity_id: {} for entity_id in ids}
    for entity_id, fields in store.conn.execute(
        f"SELECT entity_id, fields FROM changes WHERE entity = ? AND entity_id IN ({marks}) ORDER BY hlc",
        (codec.entity, *ids),
    ):
        states[entity_id].update(json.loads(fields))
    existing = {row[0] for row in store.conn.execute(f"SELECT id FROM {codec.table} WHERE id IN ({marks})", ids)}
    allowed = {*codec.columns, "deleted_at"} - {"id"}
    now = store.wall_time()
    new_rows: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for entity_id, full in states.items():
        state = {k: v for k, v in full.items() if k in allowed}
        if entity_id in existing:
            if state:
                store.conn.execute(
                    f"UPDATE {codec.table} SET {', '.join(f'{k} = ?' for k in state)}, updated_at = ? WHERE id = ?",
                    (*state.values(), now, entity_id),
                )
        elif set(codec.columns) - {"id"} <= set(state):  # else an edit came before its insert: wait for it
            columns = tuple(sorted(state))
            new_rows.setdefault(columns, []).append((entity_id, *(state[c] for c in columns), now))
    if codec.entity in _PARENTS:
        new_rows = _with_known_parents(store, codec.entity, new_rows)
    inserted = []
    for columns, values in new_rows.items():
        names = ("id", *columns, "updated_at")
        store.conn.executemany(
            f"INSERT INTO {codec.table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", values
        )
        inserted += [row[0] for row in values]
    return inserted


def _with_known_parents(
    store: Store, entity: str, new_rows: dict[tuple[str, ...], list[tuple[Any, ...]]]
) -> dict[tuple[str, ...], list[tuple[Any, ...]]]:
    """A check-in whose habit (a completion whose task) has not arrived yet waits for it."""
    column, _, table = _PARENTS[entity]
    parents = {row[0] for row in store.conn.execute(f"SELECT id FROM {table}")}
    kept = {}
    for columns, values in new_rows.items():
        at = columns.index(column) + 1
        kept[columns] = [row for row in values if row[at] in parents]
    return kept


def _retry_orphans(store: Store, entity: str) -> None:
    table = CODECS[entity].table
    waiting = store.conn.execute(
        f"SELECT DISTINCT entity_id FROM changes WHERE entity = ? AND entity_id NOT IN (SELECT id FROM {table})",
        (entity,),
    ).fetchall()
    if waiting:
        materialize_many(store, entity, [row[0] for row in waiting])


def apply_remote_or_set_aside(
    store: Store, changes: list[Change], sealed: dict[str, tuple[str, str]]
) -> tuple[int, list[Change]]:
    """`apply_remote`, but a change that cannot be applied is set aside instead of failing the page.

    The page is applied whole when it can (the fast path); otherwise change by change, and each
    one that fails on its own goes to the quarantine. `sealed` maps change id to (hlc, ciphertext).
    """
    try:
        return apply_remote(store, changes), []
    except _bad_data_errors() as err:
        _LOGGER.warning("a synced page did not apply as a whole (%s); applying change by change", type(err).__name__)
    applied, refused = 0, []
    for change in changes:
        try:
            applied += apply_remote(store, [change])
        except _bad_data_errors() as err:
            hlc, ciphertext = sealed[change.change_id]
            set_aside(store, change.change_id, change.device_id, hlc, ciphertext, f"cannot be applied: {err}")
            refused.append(change)
    return applied, refused


def _bad_data_errors() -> tuple[type[BaseException], ...]:
    """What a malformed change can raise while it is applied. Not OperationalError: a busy or
    locked database is this device's passing trouble, and must not set good changes aside."""
    import sqlcipher3

    return (
        SyncProtocolError,
        ValueError,
        TypeError,
        OverflowError,
        sqlcipher3.IntegrityError,
        sqlcipher3.InterfaceError,
        sqlcipher3.ProgrammingError,
        sqlcipher3.DataError,
    )


# Quarantine: changes that could not be read or applied ----------------------------------------
@dataclass(frozen=True)
class SetAside:
    device_id: str
    count: int
    last_reason: str


def set_aside(store: Store, change_id: str, device_id: str, hlc: str, ciphertext: str, reason: str) -> None:
    with store.transaction():
        store.conn.execute(
            "INSERT OR REPLACE INTO sync_quarantine (change_id, device_id, hlc, ciphertext, reason, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (change_id, device_id, hlc, ciphertext, reason[:500], store.wall_time()),
        )


def set_aside_by_device(store: Store) -> list[SetAside]:
    """How many synced changes were set aside, per device that sent them (most first)."""
    rows = store.conn.execute(
        "SELECT device_id, count(*), max(reason) FROM sync_quarantine GROUP BY device_id ORDER BY count(*) DESC"
    ).fetchall()
    return [SetAside(str(device), int(count), str(reason)) for device, count, reason in rows]


# Device epochs ------------------------------------------------------------------------------------
def start_new_epoch(store: Store) -> str:
    """This store continues as a new device (after a restore, or as a copy of another store).

    Its sequence numbers may repeat ones the old device already sent, so from now on its changes
    carry a fresh device id and never collide. What the server acknowledged keeps its old id (and
    so is recognised when it comes back in a pull); what waits is re-labelled and sent under the
    new id. Pulling starts over, so changes the old device made after the backup come back too.
    Returns the new device id; the next sync moves the server session over to it.
    """
    new_id = uuid.uuid4().hex[:16]
    pushed = int(get_value(store, "pushed_seq") or 0)
    with store.transaction():
        store.conn.execute(
            "UPDATE OR IGNORE changes SET change_id = device_id || '-' || seq WHERE change_id IS NULL AND seq <= ?",
            (pushed,),
        )
        store.conn.execute("UPDATE changes SET device_id = ? WHERE change_id IS NULL", (new_id,))
        store.conn.execute("UPDATE meta SET value = ? WHERE key = 'device_id'", (new_id,))
        old_session = get_value(store, "session_device") or store.device_id
        values: dict[str, str | None] = {"pull_cursor": "0"}
        if get_value(store, "server_url") is not None:
            values["session_device"] = old_session
            # Stores logged in before session names were kept: the keyring entry is named after the old id.
            values["session_name"] = get_value(store, "session_name") or f"sync-session-{store.device_id}"
        set_values(store, values)
        last = store.conn.execute("SELECT max(hlc) FROM changes").fetchone()[0]
    _LOGGER.info("this store continues as device %s (was %s)", new_id, store.device_id)
    store.device_id = new_id
    store.clock = HybridClock(new_id, HlcTimestamp.decode(last) if last else None)
    return new_id


def was_synced(store: Store) -> bool:
    return get_value(store, "server_url") is not None or int(get_value(store, "pushed_seq") or 0) > 0


# Journal conflicts -------------------------------------------------------------------------------
def refresh_conflicts(store: Store, entry_id: str) -> None:
    """Every text version no later edit replaced, other than the winner, is kept as a conflict copy."""
    versions = store.conn.execute(
        f"SELECT seq, hlc, device_id, json_extract(fields, '$.text'), bases FROM changes WHERE {_TEXT_CHANGES}",
        (entry_id,),
    ).fetchall()
    replaced = {base for seq, _, _, _, bases in versions for base in _bases(store, entry_id, seq, bases)}
    heads = [(hlc, device, text) for _, hlc, device, text, _ in versions if hlc not in replaced]
    store.conn.execute("DELETE FROM journal_conflicts WHERE entry_id = ?", (entry_id,))
    if not heads:
        return
    winner = max(heads)
    store.conn.executemany(
        "INSERT OR IGNORE INTO journal_conflicts (entry_id, hlc, device_id, text) VALUES (?, ?, ?, ?)",
        [(entry_id, hlc, device, text) for hlc, device, text in heads if hlc != winner[0] and text != winner[2]],
    )


def journal_conflicts(store: Store, entry_id: str | None = None) -> list[JournalConflict]:
    sql = "SELECT entry_id, hlc, device_id, text FROM journal_conflicts"
    params: tuple[str, ...] = ()
    if entry_id is not None:
        sql, params = sql + " WHERE entry_id = ?", (entry_id,)
    return [JournalConflict(*row) for row in store.conn.execute(sql + " ORDER BY entry_id, hlc", params)]


def resolve_journal_conflict(store: Store, entry_id: str, text: str) -> None:
    """The person's merged text replaces the entry and every conflict copy, on all devices."""
    with store.transaction():
        heads = [c.hlc for c in journal_conflicts(store, entry_id)]
        current = store.conn.execute(
            f"SELECT hlc FROM changes WHERE {_TEXT_CHANGES} ORDER BY hlc DESC LIMIT 1", (entry_id,)
        ).fetchone()
        store.conn.execute(
            "UPDATE journal SET text = ?, updated_at = ? WHERE id = ?", (text, store.wall_time(), entry_id)
        )
        store.record_changes("journal", [(entry_id, {"text": text})], store.clock.now())
        seq = store.conn.execute("SELECT max(seq) FROM changes").fetchone()[0]
        bases = [*heads, *([current[0]] if current else [])]
        store.conn.execute("UPDATE changes SET bases = ? WHERE seq = ?", (json.dumps(bases), seq))
        refresh_conflicts(store, entry_id)
