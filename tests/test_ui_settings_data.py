"""Settings → Data and Sync, offscreen: restoring an encrypted backup, moving the data folder (at the
next start, checked), using data in another folder, and the Sync placeholder's hook."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from tests.moments import NOW

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def profile(paths: ProfilePaths) -> Iterator[Profile]:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    opened.data.add_task("Call mom", NOW, due=date(2026, 11, 25))
    opened.data.add_task("Pay rent", NOW)
    yield opened
    opened.close()


def settings_of(profile: Profile, qtbot: Any) -> tuple[Any, Any]:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    qtbot.addWidget(window)
    window.select("settings")
    qtbot.waitUntil(lambda: not window.settings_page.loading, timeout=5000)
    return window, window.settings_page


def titles(profile: Profile) -> list[str]:
    return sorted(t.title for t in profile.data.tasks())


def test_restoring_a_backup_asks_first_keeps_the_current_data_and_shows_the_restored(
    profile: Profile, qtbot: Any, tmp_path: Path
) -> None:
    from nargis_desktop.store.database import Store

    window, settings = settings_of(profile, qtbot)
    settings.backup(tmp_path / "monday.db")
    qtbot.waitUntil(lambda: settings.message.text().startswith("Backed up"), timeout=5000)
    profile.data.add_task("Written after the backup", NOW)
    asked: list[str] = []
    settings.confirm = lambda _title, question: asked.append(question) or False  # the person says no
    settings.restore(tmp_path / "monday.db")
    assert "backed up to" in asked[0] and len(titles(profile)) == 3
    settings.confirm = lambda _title, _question: True
    with qtbot.waitSignal(settings.data_replaced, timeout=5000):
        settings.restore(tmp_path / "monday.db")
    assert titles(profile) == ["Call mom", "Pay rent"]  # the window's profile reads the restored store
    kept = Path(settings.message.text().split("kept in ")[1].rstrip("."))
    with Store.open(kept, profile.key) as before:  # the replaced data can be brought back
        assert before.tasks.count() == 3
    window.select("tasks")
    qtbot.waitUntil(lambda: window.pages["tasks"].table.rowCount() == 2, timeout=5000)
    window.command.setText("add water the plants")  # the assistant works on the restored store
    window.type_command()
    qtbot.waitUntil(lambda: "Water the plants" in titles(profile), timeout=5000)


def test_a_file_that_is_not_a_backup_changes_nothing_and_says_why(profile: Profile, qtbot: Any, tmp_path: Path) -> None:
    window, settings = settings_of(profile, qtbot)
    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(os.urandom(4096))
    settings.confirm = lambda _title, _question: True
    settings.restore(junk)
    turns = window.conversation.turns
    qtbot.waitUntil(lambda: turns.count() > 0 and turns.item(turns.count() - 1).text().startswith("Error"))
    assert titles(profile) == ["Call mom", "Pay rent"]


def test_moving_the_data_folder_happens_at_the_next_start_and_is_checked(
    profile: Profile, qtbot: Any, tmp_path: Path
) -> None:
    from nargis_desktop.services.data_folder import apply_pending

    _window, settings = settings_of(profile, qtbot)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "photo.jpg").write_bytes(b"x")
    settings.move_data(occupied)
    assert "not an empty folder" in settings.message.text() and settings.undo_folder.isHidden()
    target = tmp_path / "sync-drive" / "nargis"
    settings.move_data(target)
    assert settings.folder_state.text().startswith(f"When Nargis starts next time, your data moves to {target}")
    assert not target.exists() and profile.paths.store_file.exists()  # nothing moves while the app runs
    profile.data.add_task("Written before the restart", NOW)
    profile.close()
    moved = apply_pending(profile.paths)  # what the app does at its next start, before opening the store
    assert moved.data_dir == target and not profile.paths.data_dir.exists()
    assert (
        ProfilePaths(profile.paths.data_dir, profile.paths.config_dir, profile.paths.cache_dir).following_moved_data()
        == moved
    )
    reopened = open_profile(moved, NoSecretStore(), prompt=lambda _c: "pw")
    assert titles(reopened) == ["Call mom", "Pay rent", "Written before the restart"]
    reopened.close()
    profile.store = open_profile(moved, NoSecretStore(), prompt=lambda _c: "pw").store  # closed by the fixture


def test_using_data_in_another_folder_needs_nargis_data_there(profile: Profile, qtbot: Any, tmp_path: Path) -> None:
    from nargis_desktop.services.data_folder import apply_pending

    _window, settings = settings_of(profile, qtbot)
    settings.use_data(tmp_path / "empty")
    assert "holds no Nargis data" in settings.message.text()
    other = ProfilePaths(tmp_path / "laptop" / "data", tmp_path / "laptop" / "config", tmp_path / "laptop" / "cache")
    laptop = open_profile(other, NoSecretStore(), prompt=lambda _c: "pw")
    laptop.data.add_task("From the laptop", NOW)
    laptop.close()
    settings.use_data(other.data_dir)
    assert "uses the data in" in settings.folder_state.text() and not settings.undo_folder.isHidden()
    settings.keep_folder()  # changed their mind
    assert settings.folder_state.text() == "" and apply_pending(profile.paths) == profile.paths
    settings.use_data(other.data_dir)
    assert apply_pending(profile.paths).data_dir == other.data_dir
    assert profile.paths.store_file.exists()  # the current folder stays as it is


def test_the_sync_section_says_not_connected_and_offers_a_hook(profile: Profile, qtbot: Any) -> None:
    from nargis_desktop.ui.sync_section import SyncSection

    _window, settings = settings_of(profile, qtbot)
    assert [label.text() for label in settings.sync.states.values()] == ["Not connected", "Not connected"]
    assert settings.sync.buttons["devices"].isEnabled() and settings.sync.buttons["devices"].text() == "Sign in…"
    sync = SyncSection()
    qtbot.addWidget(sync)
    assert not any(button.isEnabled() for button in sync.buttons.values())
    asked: list[str] = []
    sync.offer("sheets", "Connect Google Sheets…", lambda: asked.append("sheets"))
    now_button = sync.add_action("sheets", "Sync now", lambda: asked.append("now"))
    assert now_button.isHidden()
    sync.buttons["sheets"].click()
    sync.show_state("sheets", "Last synced 09:30", connected=True)
    assert not now_button.isHidden() and sync.buttons["sheets"].isHidden()
    now_button.click()
    assert asked == ["sheets", "now"] and sync.states["sheets"].text() == "Last synced 09:30"
