"""Storing and reading a user's encrypted changes: opaque ciphertext, in server sequence order.

A change id is stored once. The same id again with the same clock is a retry and counts as a
duplicate; the same id with another clock is a different change (a restored or copied store
reusing its sequence numbers) and is refused with 409, so it is never silently dropped.
"""

from __future__ import annotations

import hashlib
import json
import time

from nargis_sync_server.accounts import Caller
from nargis_sync_server.db import Database, Transaction
from nargis_sync_server.errors import ApiError
from nargis_sync_server.settings import ServerSettings
from nargis_sync_server.wire import (
    MAX_PULL_CHANGES,
    MAX_PULL_CHARS,
    EncryptedChange,
    PullResponse,
    PushRequest,
    PushResponse,
    StoredChange,
)


class ChangeLog:
    def __init__(self, db: Database, settings: ServerSettings) -> None:
        self._db = db
        self._settings = settings

    def push(self, caller: Caller, request: PushRequest) -> PushResponse:
        limit_ms = time.time_ns() // 1_000_000 + self._settings.max_clock_ahead_ms
        for change in request.changes:
            if change.device_id != caller.device_id or not change.change_id.startswith(caller.device_id + "-"):
                raise ApiError(403, "device-mismatch", "a device may push only its own changes")
            if int(change.hlc[:13]) > limit_ms:
                raise ApiError(422, "clock-skew", "a change is dated more than an hour ahead of the server's clock")
        digest = hashlib.sha256(
            json.dumps([c.model_dump() for c in request.changes], sort_keys=True).encode()
        ).hexdigest()
        with self._db.transaction() as tx:
            row = tx.one(
                "INSERT INTO batches (user_id, batch_id, digest) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id, batch_id) DO NOTHING RETURNING digest",
                (caller.user_id, request.batch_id, digest),
            )
            if row is None:
                known = tx.one(
                    "SELECT digest FROM batches WHERE user_id = ? AND batch_id = ?", (caller.user_id, request.batch_id)
                )
                if known[0] != digest:
                    raise ApiError(409, "batch-id-reused", "this batch id was already used for different changes")
            # One statement per batch: a round trip per change would dominate on PostgreSQL.
            rows = ", ".join(["(?, ?, ?, ?, ?)"] * len(request.changes))
            values = [
                value
                for c in request.changes
                for value in (caller.user_id, c.change_id, c.device_id, c.hlc, c.ciphertext)
            ]
            inserted = {
                row[0]
                for row in tx.execute(
                    f"INSERT INTO changes (user_id, change_id, device_id, hlc, ciphertext) VALUES {rows} "
                    "ON CONFLICT (user_id, change_id) DO NOTHING RETURNING change_id",
                    values,
                ).fetchall()
            }
            self._refuse_reused_ids(tx, caller, [c for c in request.changes if c.change_id not in inserted])
            added = sum(len(c.ciphertext) for c in request.changes if c.change_id in inserted)
            self._count_usage(tx, caller.user_id, added)
            stored = len(inserted)
            cursor = tx.one("SELECT coalesce(max(seq), 0) FROM changes WHERE user_id = ?", (caller.user_id,))[0]
            if stored:
                tx.notify(caller.user_id)
        return PushResponse(stored=stored, duplicates=len(request.changes) - stored, cursor=int(cursor))

    def _refuse_reused_ids(self, tx: Transaction, caller: Caller, known: list[EncryptedChange]) -> None:
        if not known:
            return
        marks = ", ".join("?" * len(known))
        held = dict(
            tx.execute(
                f"SELECT change_id, hlc FROM changes WHERE user_id = ? AND change_id IN ({marks})",
                (caller.user_id, *(c.change_id for c in known)),
            ).fetchall()
        )
        clashing = [c.change_id for c in known if held.get(c.change_id, c.hlc) != c.hlc]
        if clashing:
            raise ApiError(
                409,
                "change-id-conflict",
                f"change {clashing[0]} is already stored with different content; "
                "this device must continue under a new device id",
            )

    def _count_usage(self, tx: Transaction, user_id: int, added: int) -> None:
        row = tx.one("SELECT bytes FROM account_usage WHERE user_id = ?", (user_id,))
        if row is None:  # first push since the server counted usage: start from what is stored
            start = tx.one("SELECT coalesce(sum(length(ciphertext)), 0) FROM changes WHERE user_id = ?", (user_id,))
            tx.execute("INSERT INTO account_usage (user_id, bytes) VALUES (?, ?)", (user_id, int(start[0])))
            total = int(start[0])
        else:
            total = int(row[0]) + added
            tx.execute("UPDATE account_usage SET bytes = ? WHERE user_id = ?", (total, user_id))
        limit = self._settings.max_account_bytes
        if total > limit:
            raise ApiError(
                403,
                "quota-exceeded",
                f"this account's synced data would be over its limit of {limit // (1024 * 1024)} MB",
            )

    def pull(self, caller: Caller, after: int, limit: int) -> PullResponse:
        limit = max(1, min(limit, MAX_PULL_CHANGES))
        with self._db.transaction() as tx:
            rows = tx.execute(
                # A device never needs its own changes back.
                "SELECT seq, change_id, device_id, hlc, ciphertext FROM changes WHERE user_id = ? AND seq > ? "
                "AND device_id <> ? ORDER BY seq LIMIT ?",
                (caller.user_id, after, caller.device_id, limit + 1),
            ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        size = 0
        for index, row in enumerate(rows):  # big journal entries: a page of bounded size, at least one
            size += len(row[4])
            if size > MAX_PULL_CHARS and index > 0:
                rows, more = rows[:index], True
                break
        changes = [
            StoredChange(
                seq=int(seq), change=EncryptedChange(change_id=cid, device_id=dev, hlc=hlc, ciphertext=ciphertext)
            )
            for seq, cid, dev, hlc, ciphertext in rows
        ]
        return PullResponse(changes=changes, cursor=int(rows[-1][0]) if rows else after, more=more)

    def cursor(self, user_id: int) -> int:
        with self._db.transaction() as tx:
            return int(tx.one("SELECT coalesce(max(seq), 0) FROM changes WHERE user_id = ?", (user_id,))[0])
