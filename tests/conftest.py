from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from nargis_desktop.config import ProfilePaths
from nargis_desktop.store.database import Store
from tests.moments import NOW

# A test that loads a real engine (Piper, whisper, Vosk) or drives the virtual sound server is
# `slow`: `pytest -m "not slow"` runs the logic on the fakes (tests/fakes.py); CI runs them all.
REAL_ENGINE_FIXTURES = frozenset({"piper", "whisper", "vosk_korean", "audio"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if REAL_ENGINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


class MemoryKeyring(KeyringBackend):
    """A working keyring that lives in memory (the OS keyring has no backend on CI)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def paths(tmp_path: Path) -> ProfilePaths:
    return ProfilePaths(data_dir=tmp_path / "data", config_dir=tmp_path / "config", cache_dir=tmp_path / "cache")


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def store(tmp_path: Path, key: bytes) -> Iterator[Store]:
    opened = Store.open(tmp_path / "store.db", key)
    yield opened
    opened.close()


@pytest.fixture
def no_passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NARGIS_PASSPHRASE", raising=False)
    monkeypatch.delenv("NARGIS_HOME", raising=False)
    assert "NARGIS_PASSPHRASE" not in os.environ
