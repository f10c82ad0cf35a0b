"""The Today window, offscreen: it shows what is due and completing a task there writes to the store."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from nargis_desktop.app import open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = datetime(2026, 11, 25, 9, 30)


def test_today_window_lists_and_completes_tasks(paths: ProfilePaths, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.ui.application import TodayWindow, run_app

    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    profile.data.add_task("Call mom", NOW, due=date(2026, 11, 25))
    profile.data.add_task("Later", NOW, due=date(2026, 12, 25))
    profile.data.add_habit("Meditate", NOW)
    app = QApplication.instance() or QApplication([])
    window = TodayWindow(profile, NOW)
    assert [window.tasks.item(i).text() for i in range(window.tasks.count())] == ["Call mom"]
    assert window.habits.count() == 1
    window.tasks.item(0).setCheckState(Qt.CheckState.Checked)
    app.processEvents()
    assert [t.title for t in profile.store.tasks.list("done = 1")] == ["Call mom"]
    assert window.tasks.count() == 0
    assert run_app(lambda _prompt: profile, NOW, tmp_path / "shot.png") == 0
    assert (tmp_path / "shot.png").stat().st_size > 1000
    window.close()
    profile.close()
