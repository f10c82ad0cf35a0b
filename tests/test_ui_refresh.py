"""A view shown again over unchanged data keeps the rows it has (no read, no refill); a change by
any connection to the store, or a new filter, fills it again."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import pytest

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.store.database import Store

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = datetime(2026, 11, 25, 9, 30)
MARK = 0x0100 + 7  # a role of our own on the first cell: it survives only if the row was not rebuilt


@pytest.fixture
def profile(paths: ProfilePaths) -> Any:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    opened.data.add_task("Call mom", NOW, due=NOW.date())
    yield opened
    opened.close()


def shown(window: Any, qtbot: Any, view: str) -> Any:
    window.select(view)
    page = window.pages[view]
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    return page


def test_an_unchanged_view_is_not_rebuilt_and_a_change_from_another_connection_is_shown(
    profile: Profile, qtbot: Any
) -> None:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    qtbot.addWidget(window)
    tasks = shown(window, qtbot, "tasks")
    tasks.table.item(0, 0).setData(MARK, "kept")
    shown(window, qtbot, "today")
    tasks = shown(window, qtbot, "tasks")
    assert tasks.table.item(0, 0).data(MARK) == "kept"  # nothing changed: the same rows
    with Store.open(profile.paths.store_file, profile.key) as other:  # a `nargis` command, a sync
        from nargis_desktop.services.personal_data import PersonalData

        PersonalData(other).add_task("Pay rent", NOW, due=NOW.date())
    shown(window, qtbot, "today")
    tasks = shown(window, qtbot, "tasks")
    assert sorted(tasks.table.item(r, 0).text() for r in range(tasks.table.rowCount())) == ["Call mom", "Pay rent"]
    assert tasks.table.item(0, 0).data(MARK) is None
    tasks.table.item(0, 0).setData(MARK, "kept")
    tasks.search.setText("rent")  # a new filter: read and filled again
    qtbot.waitUntil(lambda: not tasks.loading and tasks.table.rowCount() == 1, timeout=5000)
    assert tasks.table.item(0, 0).text() == "Pay rent"
