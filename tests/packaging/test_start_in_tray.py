"""`nargis app --tray`: only the tray icon at start, unless there is no tray to come back from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def start_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tray_available: bool) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from nargis_desktop.app import open_profile
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.application import run_app
    from nargis_desktop.ui.main_window import MainWindow

    monkeypatch.setenv("NARGIS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NARGIS_PASSPHRASE", "pw")
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: tray_available))
    seen: dict[str, Any] = {}

    def look_then_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen["visible"] = windows[0].isVisible()
        seen["tray"] = getattr(windows[0], "tray", None) is not None
        windows[0].close()
        QApplication.quit()

    app = QApplication.instance() or QApplication([])
    QTimer.singleShot(0, look_then_quit)
    assert (
        run_app(lambda prompt: open_profile(secret_store=NoSecretStore(), prompt=prompt), None, None, hidden=True) == 0
    )
    assert app is not None
    return seen


def test_with_a_tray_the_app_starts_hidden_in_it(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert start_hidden(tmp_path, monkeypatch, tray_available=True) == {"visible": False, "tray": True}


def test_without_a_tray_the_window_is_shown_anyway(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert start_hidden(tmp_path, monkeypatch, tray_available=False) == {"visible": True, "tray": False}
