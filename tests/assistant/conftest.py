from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.assistant.harness import Session, build_base, open_session


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A conversation over a copy of the lived-in profile, fast path only (no model)."""
    key = secrets.token_bytes(32)
    build_base(tmp_path / "base.db", key)
    opened = open_session(tmp_path / "base.db", tmp_path, key, None)
    yield opened
    opened.store.close()
