"""SQLite (one person, embedded) or PostgreSQL (many), chosen by URL, behind one tiny DB-API wrapper.

Queries are written once with `?` placeholders and the subset of SQL both engines share
(RETURNING, ON CONFLICT DO NOTHING); only the schema's key types differ.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (id {pk}, email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    key_check TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (id {pk}, user_id BIGINT NOT NULL REFERENCES users(id), device_id TEXT NOT NULL,
    name TEXT NOT NULL, created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, UNIQUE (user_id, device_id));
CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id BIGINT NOT NULL,
    device_pk BIGINT NOT NULL REFERENCES devices(id), family TEXT NOT NULL, expires_at BIGINT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tokens_by_family ON tokens (family);
CREATE TABLE IF NOT EXISTS changes (seq {pk}, user_id BIGINT NOT NULL, change_id TEXT NOT NULL,
    device_id TEXT NOT NULL, hlc TEXT NOT NULL, ciphertext TEXT NOT NULL, UNIQUE (user_id, change_id));
CREATE INDEX IF NOT EXISTS changes_by_user_seq ON changes (user_id, seq);
CREATE TABLE IF NOT EXISTS account_usage (user_id BIGINT PRIMARY KEY, bytes BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (user_id BIGINT NOT NULL, batch_id TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (user_id, batch_id));
"""
PG_CHANNEL = "nargis_sync"


class Transaction:
    def __init__(self, conn: Any, postgres: bool) -> None:
        self._conn = conn
        self._postgres = postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self._postgres:
            sql = sql.replace("?", "%s")
        return self._conn.execute(sql, tuple(params))

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.execute(sql, params).fetchone()

    def notify(self, user_id: int) -> None:
        """Sent on commit to every server process listening on this database (PostgreSQL only)."""
        if self._postgres:
            self._conn.execute("SELECT pg_notify(%s, %s)", (PG_CHANNEL, str(user_id)))


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        if not self.postgres:
            # One connection, one writer at a time: SQLite serialises writes anyway.
            self._sqlite = sqlite3.connect(
                url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
            )
            self._sqlite.execute("PRAGMA journal_mode = WAL")
            self._sqlite.execute("PRAGMA synchronous = NORMAL")
        with self.transaction() as tx:
            pk = "BIGSERIAL PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY AUTOINCREMENT"
            for statement in _SCHEMA.format(pk=pk).split(";"):
                if statement.strip():
                    tx.execute(statement)

    @property
    def kind(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def _pg_connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            import psycopg

            conn = psycopg.connect(self.url, autocommit=True)  # transaction() does BEGIN/COMMIT
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        if self.postgres:
            conn = self._pg_connection()
            try:
                with conn.transaction():
                    yield Transaction(conn, True)
            except Exception:
                if conn.broken:
                    self._local.conn = None
                raise
            return
        assert self._sqlite is not None
        with self._lock:
            self._sqlite.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._sqlite, False)
            except BaseException:
                self._sqlite.execute("ROLLBACK")
                raise
            self._sqlite.execute("COMMIT")

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
