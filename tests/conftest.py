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
# Over 20 s each on 2 shared cores (`--durations`): properties over many generated cases, fuzzing,
# a thousand-entry search, reference comparisons, kill -9, real engines behind the CLI.
SLOW_TESTS = frozenset(
    {
        "tests/sync/test_convergence.py::test_three_devices_converge_to_last_writer_wins",
        "tests/sync/test_openapi.py::test_no_request_makes_the_server_fail",
        "tests/sync/test_concurrent_sync.py::test_concurrent_sync_now_processes_refresh_once_and_stay_logged_in",
        "tests/sync/test_cli_sync.py::test_login_sync_status_and_logout_from_the_command_line",
        "tests/sheets/test_sheets_properties.py::test_sheet_and_store_agree_with_no_row_lost_or_duplicated",
        "tests/test_ui_screenshots.py::test_every_view_in_light_and_dark_is_drawn_and_distinct",
        "tests/test_ui_smoke.py::test_settings_save_choices_and_back_up",
        "tests/test_ui_direct.py::test_journal_search_by_meaning_finds_a_paraphrase_and_bolds_the_words",
        "tests/test_journal_search.py::test_a_planted_entry_is_found_by_paraphrase_among_a_thousand",
        "tests/test_analytics.py::test_duckdb_metrics_equal_the_python_reference_and_stay_equal_after_refreshes",
        "tests/test_habit_figures_reference.py::test_streaks_rates_and_scores_match_the_plain_model",
        "tests/test_time_entry_points.py::test_the_apps_command_box_stores_the_same_moments",
        "tests/test_kill9.py::test_sigkill_during_writes_loses_nothing_acknowledged",
        "tests/test_minilm_embedder.py::test_vectors_match_sentence_transformers",
        "tests/voice/test_cli_voice.py::test_say_transcribe_and_listen",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        named_slow = item.nodeid.split("[", 1)[0] in SLOW_TESTS
        if named_slow or REAL_ENGINE_FIXTURES & set(getattr(item, "fixturenames", ())):
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
