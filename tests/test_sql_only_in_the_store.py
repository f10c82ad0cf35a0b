"""SQL lives in store/: outside it, code asks a repository or store/queries.py a named question."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nargis_desktop.store.database import Store

PACKAGE = Path(__file__).resolve().parents[1] / "nargis_desktop"
RAW_SQL = re.compile(r"""\.conn\.execute\(|\.list\(\s*(f?"[^"]+"|where\b)|\bSELECT\s+\w+.*\bFROM\b""")
NOT_YET: set[str] = set()


def test_no_module_outside_the_store_writes_sql() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith("store/") or where in NOT_YET:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if RAW_SQL.search(line) and "duckdb" not in line and "_db." not in line and "db.execute" not in line:
                found.append(f"{where}:{number}: {line.strip()}")
    assert not found, "SQL outside store/:\n" + "\n".join(found)


def test_the_scan_finds_sql_where_there_is_some() -> None:
    assert RAW_SQL.search('store.conn.execute("SELECT 1")')
    assert RAW_SQL.search('store.habits.list("archived = 0")')
    assert not RAW_SQL.search("store.habits.active()")


def test_the_ui_reaches_sync_state_through_the_services() -> None:
    """Journal conflicts and waiting changes come from PersonalData and sync.service, not the store's tables."""
    found = [
        f"ui/{path.name}:{number}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "store.sync_state" in line or "store import sync_state" in line
    ]
    assert not found, "the UI imports store.sync_state: " + ", ".join(found)


def test_a_repository_lists_without_a_where_argument(store: Store) -> None:
    """The condition is SQL: outside store/, a named question (`habits.active()`) asks instead."""
    with pytest.raises(TypeError):
        store.habits.list("archived = 0")  # type: ignore[call-arg]
