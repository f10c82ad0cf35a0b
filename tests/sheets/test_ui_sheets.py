"""Settings → Sync → "Google Sheets" in the running app (offscreen), against the fake Sheets server
on 127.0.0.1 (NARGIS_SHEETS_ENDPOINT) with an in-memory keyring."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from tests.conftest import MemoryKeyring
from tests.helpers.sync_window import open_sync_window
from tests.moments import NOW
from tests.sheets.fake_sheets import FakeSheetsServer

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WAIT_MS = 15000
TITLE, DUE = 2, 3  # 1-based columns of the Tasks worksheet


@pytest.fixture
def profile(paths: ProfilePaths, memory_keyring: MemoryKeyring) -> Iterator[Profile]:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    yield opened
    opened.close()


@pytest.fixture
def window(profile: Profile, qtbot: Any, fake: FakeSheetsServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("NARGIS_SHEETS_ENDPOINT", fake.base_url)
    yield from open_sync_window(profile, qtbot, NOW)


def state_text(window: Any) -> str:
    return str(window.settings_page.sync.states["sheets"].text())


def click(window: Any, label: str) -> None:
    window.settings_page.sync.extra_buttons["sheets"][label].click()


def connect(window: Any, qtbot: Any, *, include_journal: bool = False) -> list[bool]:
    from nargis_desktop.ui.sheets_dialog import OAUTH, SheetsConnect

    asked: list[bool] = []

    def answer(_parent: Any, file_needed: bool) -> SheetsConnect:
        asked.append(file_needed)
        return SheetsConnect(OAUTH, None, None, include_journal)

    window.settings_page.sheets.ask = answer
    window.settings_page.sync.buttons["sheets"].click()
    qtbot.waitUntil(lambda: "Connected: https://docs.google.com/spreadsheets/d/" in state_text(window), timeout=WAIT_MS)
    return asked


def table_titles(window: Any) -> list[str]:
    table = window.pages["tasks"].table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_the_journal_needs_confirming_the_warning_and_the_dialog_needs_a_file(qtbot: Any) -> None:
    from nargis_desktop.ui.sheets_dialog import JOURNAL_WARNING, SERVICE_ACCOUNT, SheetsDialog

    dialog = SheetsDialog(file_needed=True)
    qtbot.addWidget(dialog)
    asked: list[str] = []

    def say_no(question: str) -> bool:
        asked.append(question)
        return False

    dialog.confirm = say_no
    dialog.include_journal.setChecked(True)
    assert asked == [JOURNAL_WARNING] and "not end-to-end encrypted" in asked[0]
    assert not dialog.include_journal.isChecked() and dialog.journal_warning.isHidden()
    dialog.confirm = lambda _question: True
    dialog.include_journal.setChecked(True)
    assert dialog.include_journal.isChecked() and not dialog.journal_warning.isHidden()
    assert "not end-to-end encrypted" in dialog.journal_warning.text()
    assert not dialog.ok.isEnabled()  # no credentials file yet
    dialog.service_account.setChecked(True)
    dialog.file.setText("/home/me/key.json")
    dialog.spreadsheet.setText("https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0")
    assert dialog.ok.isEnabled()
    request = dialog.request()
    assert request.credentials_kind == SERVICE_ACCOUNT and request.credentials_file == Path("/home/me/key.json")
    assert request.spreadsheet_id == "1AbC-d_9" and request.include_journal


def test_connect_sync_both_ways_report_bad_cells_and_disconnect(
    window: Any, qtbot: Any, fake: FakeSheetsServer, profile: Profile
) -> None:
    profile.data.add_task("buy milk", NOW)
    assert connect(window, qtbot) == [False]  # a test endpoint needs no Google credentials file
    assert [s.title for s in fake.only_spreadsheet().sheets] == ["Tasks", "Habits", "Check-ins", "Reminders"]
    assert "Last sync: never" in state_text(window)
    click(window, "Sync now")
    qtbot.waitUntil(lambda: "Synced: 1 rows written" in state_text(window), timeout=WAIT_MS)
    assert fake.values("Tasks")[1][TITLE - 1] == "buy milk"
    assert "0 changes queued" in state_text(window) and "Last sync: 2026" in state_text(window)
    window.select("tasks")
    qtbot.waitUntil(lambda: table_titles(window) == ["buy milk"], timeout=WAIT_MS)
    fake.set_cell("Tasks", 2, TITLE, "buy oat milk")  # edited in the sheet
    click(window, "Sync now")
    qtbot.waitUntil(lambda: table_titles(window) == ["buy oat milk"], timeout=WAIT_MS)  # the open view reads again
    fake.set_cell("Tasks", 2, DUE, "someday soon")
    click(window, "Sync now")
    qtbot.waitUntil(lambda: "1 rows with bad cells;" in state_text(window), timeout=WAIT_MS)
    click(window, "Disconnect")
    qtbot.waitUntil(lambda: "Disconnected" in state_text(window), timeout=WAIT_MS)
    assert not window.settings_page.sync.buttons["sheets"].isHidden()
    assert window.settings_page.sheets.status is not None and not window.settings_page.sheets.status.connected
    assert [t.title for t in profile.data.tasks()] == ["buy oat milk"]  # the data stays


def test_the_journal_goes_to_the_sheet_only_when_included(
    window: Any, qtbot: Any, fake: FakeSheetsServer, profile: Profile
) -> None:
    profile.data.add_journal("A private thought.", NOW)
    connect(window, qtbot, include_journal=True)
    assert "journal included" in state_text(window)
    assert "Journal" in [s.title for s in fake.only_spreadsheet().sheets]
    click(window, "Sync now")
    qtbot.waitUntil(lambda: "Synced:" in state_text(window), timeout=WAIT_MS)
    assert any("A private thought." in row for row in fake.values("Journal"))


def test_a_file_that_is_not_a_service_account_key_connects_nothing_and_says_why(
    window: Any, qtbot: Any, fake: FakeSheetsServer, tmp_path: Path
) -> None:
    from nargis_desktop.ui.sheets_dialog import SERVICE_ACCOUNT, SheetsConnect

    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps({"type": "authorized_user"}), encoding="utf-8")
    window.settings_page.sheets.ask = lambda _parent, _needed: SheetsConnect(SERVICE_ACCOUNT, key_file, None, False)
    window.settings_page.sync.buttons["sheets"].click()
    qtbot.waitUntil(lambda: "is not a service account key file" in state_text(window), timeout=WAIT_MS)
    assert not fake.spreadsheets and window.settings_page.sync.buttons["sheets"].isEnabled()
