from __future__ import annotations

import os
import secrets
import tempfile
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
        # Two seconds or more each on 2 shared cores (issue 20: the rest runs in under 2 minutes).
        # The console script in its own process, as a person runs it:
        "tests/test_cli.py::test_stats_overview_and_one_habit",
        "tests/test_cli.py::test_a_day_with_tasks_habits_journal_and_reminders",
        "tests/test_cli.py::test_every_command_has_help",
        "tests/test_cli.py::test_export_import_round_trip_through_the_cli",
        "tests/test_cli.py::test_backup_and_restore_through_the_cli",
        "tests/test_cli_hardening.py::test_an_empty_a_damaged_and_a_wrongly_keyed_store_are_three_different_messages",
        "tests/test_cli_hardening.py::test_terminal_escapes_in_what_people_wrote_never_reach_the_terminal",
        "tests/test_time_entry_points.py::test_on_the_real_clock_the_cli_stores_what_the_grammar_reads_at_that_moment",
        "tests/test_ask_imports.py::test_ask_imports_no_torch",
        "tests/sheets/test_sheets_cli.py::test_connect_sync_status_and_disconnect",
        "tests/sync/test_cli_sync.py::test_a_device_is_listed_and_removed_from_another_device",
        # Real servers in their own processes, floods and memory over many requests:
        "tests/sync/test_canary.py::test_journal_text_never_reaches_the_server_in_readable_form",
        "tests/sync/test_live.py::test_another_device_hears_of_a_push_within_a_second",
        "tests/sync/test_abuse.py::test_memory_comes_back_down_after_a_login_flood",
        "tests/sync/test_faults.py::test_offline_changes_wait_and_a_retry_after_a_crash_stores_each_change_once",
        "tests/sync/test_unstuck.py::test_a_restored_backup_continues_as_a_new_device_and_the_devices_converge",
        "tests/sync/test_ui_device_sync.py::test_offline_changes_wait_and_a_revoked_device_stops_and_says_why",
        # A real X server, or the app's windows drawn in a process of their own:
        "tests/test_ui_xvfb.py::test_each_view_renders_on_a_real_x_server",
        "tests/test_ui_xvfb.py::test_the_event_loop_keeps_running_while_voice_models_load",
        "tests/test_ui_layout.py::test_every_view_fits_a_1280_by_800_window",
        "tests/test_ui_layout.py::test_the_check_sees_what_a_too_small_window_cuts_off",
        "tests/test_ui_freeze.py::test_cycling_every_view_many_times_keeps_the_window_repainting",
        "tests/packaging/test_start_in_tray.py::test_with_a_tray_the_app_starts_hidden_in_it",
        "tests/packaging/test_start_in_tray.py::test_without_a_tray_the_window_is_shown_anyway",
        # Real models and training: MiniLM against its reference, the week summary by meaning:
        "tests/assistant/test_intent_training.py::test_training_on_a_sample_is_deterministic_and_learns",
        "tests/test_minilm_embedder.py::test_tokens_match_the_reference_tokenizer",
        "tests/test_journal_search.py::test_the_week_summary_cites_only_entries_it_was_given",
        "tests/test_habit_figures_reference.py::test_an_imported_daily_habit_keeps_its_history_and_its_figures_agree",
    }
)


# Where tests keep their files. SQLite's fsyncs and unlinks on the shared disk cost more than most
# tests' own work (a phrase-table test: 64 s on disk, 34 s in memory), so tmp_path lives in memory
# when the machine has a tmpfs and nobody chose TMPDIR. Each passed test's folder is removed at once
# (`tmp_path_retention_policy = "failed"` in pyproject.toml), so memory stays small.
MEMORY_TEMP_ROOT = Path("/dev/shm")


def pytest_configure(config: pytest.Config) -> None:
    if "TMPDIR" not in os.environ and MEMORY_TEMP_ROOT.is_dir() and os.access(MEMORY_TEMP_ROOT, os.W_OK):
        tempfile.tempdir = str(MEMORY_TEMP_ROOT)


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
