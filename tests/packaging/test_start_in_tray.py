"""`nargis app --tray`: only the tray icon at start, unless there is no tray to come back from.

Each start runs in its own process, as `nargis app --tray` does: the app's event loop runs and
quits, which must not happen inside the test session's shared QApplication.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
ROOT = Path(__file__).resolve().parents[2]

START_HIDDEN = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from nargis_desktop.app import open_profile
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.ui.application import run_app
from nargis_desktop.ui.main_window import MainWindow

QSystemTrayIcon.isSystemTrayAvailable = staticmethod(lambda: sys.argv[1] == "tray")
app = QApplication([])
seen = {}

def look_then_quit():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    seen.update(visible=window.isVisible(), tray=getattr(window, "tray", None) is not None)
    app.quit()

QTimer.singleShot(0, look_then_quit)
code = run_app(lambda prompt: open_profile(secret_store=NoSecretStore(), prompt=prompt), None, None, hidden=True)
print(json.dumps({**seen, "exit": code}))
"""


def start_hidden(tmp_path: Path, tray: bool) -> dict[str, object]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NARGIS_HOME": str(tmp_path / "home"),
        "NARGIS_PASSPHRASE": "pw",
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-c", START_HIDDEN, "tray" if tray else "no-tray"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_with_a_tray_the_app_starts_hidden_in_it(tmp_path: Path) -> None:
    assert start_hidden(tmp_path, tray=True) == {"visible": False, "tray": True, "exit": 0}


def test_without_a_tray_the_window_is_shown_anyway(tmp_path: Path) -> None:
    assert start_hidden(tmp_path, tray=False) == {"visible": True, "tray": False, "exit": 0}
