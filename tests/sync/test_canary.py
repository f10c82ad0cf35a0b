"""The server never sees journal text: 1,000 canary strings synced, then searched for in its files and logs."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.sync.crypto import new_recovery_phrase
from tests.moments import NOW
from tests.sync.devices import new_email
from tests.sync.servers import PostgresCluster, server_process, settings_for


def _all_bytes(root: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_journal_text_never_reaches_the_server_in_readable_form(
    database: str, tmp_path: Path, make_device: Any, request: pytest.FixtureRequest
) -> None:
    canaries = [f"canary-{secrets.token_hex(8)}" for _ in range(1000)]
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    cluster: PostgresCluster | None = None
    if database == "sqlite":
        url = f"sqlite:///{server_dir / 'sync.db'}"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database()
    log = tmp_path / "server.log"
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email, phrase = new_email(), new_recovery_phrase()
    with server_process(settings_for(url), log_path=log) as server:
        laptop.join(server.url, email, phrase, register=True)
        desktop.join(server.url, email, phrase)
        laptop.store.journal.add_many([JournalEntry(text, created_at=NOW) for text in canaries])
        laptop.sync()
        desktop.sync()
        if cluster is not None:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CHECKPOINT")  # tables and WAL on disk, where we search them
    assert sorted(e.text for e in desktop.store.journal.list()) == sorted(canaries)
    haystack = log.read_bytes() + _all_bytes(server_dir if cluster is None else cluster.data_dir)
    assert b"request" in log.read_bytes()  # the log was written, so its silence means something
    found = {m.decode() for m in re.findall(rb"canary-[0-9a-f]{16}", haystack)}
    assert found & set(canaries) == set()
