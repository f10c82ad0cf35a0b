"""The app's side of device sync: from another device's push to the open Tasks view showing it
(live stream → background sync on its own connection → queued signal → view reads again), and the
longest the Qt main thread went without handling events meanwhile.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_ui_sync   (~15 s; a real sync
server in-process on 127.0.0.1, SQLite)
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from nargis_desktop.domain.tasks import Task
from nargis_desktop.sync.crypto import new_recovery_phrase
from tests.sync.devices import PASSWORD, Device, new_email
from tests.sync.servers import running_server, settings_for

NOW = datetime(2026, 11, 25, 9, 30)
RUNS = 20
TICK_MS = 5
TIMEOUT_S = 15.0


def _spin_until(app: Any, done: Any) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the view did not show the change")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.app import open_profile
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.application import start_device_sync
    from nargis_desktop.ui.main_window import MainWindow
    from nargis_desktop.ui.sign_in_dialog import SignIn
    from tests.helpers.sync_window import close_sync_window

    app = QApplication.instance() or QApplication([])
    root = Path(tempfile.mkdtemp(prefix="nargis-bench-ui-sync-"))
    paths = ProfilePaths(root / "data", root / "config", root / "cache")
    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    email, phrase = new_email(), new_recovery_phrase()
    with running_server(settings_for(f"sqlite:///{root / 'server.db'}")) as server:
        window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
        start_device_sync(window, app)
        devices = window.settings_page.devices
        devices.ask = lambda _parent: SignIn(server.url, email, PASSWORD, phrase, True)
        devices.sign_in()
        _spin_until(app, lambda: devices.status is not None and devices.status.last_sync is not None)
        window.select("tasks")
        table = window.pages["tasks"].table
        gaps: list[float] = []
        last: list[float | None] = [None]  # None while the phone (on this thread) syncs: not the app's time

        def tick() -> None:
            now = time.perf_counter()
            if last[0] is not None:
                gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(TICK_MS)
        phone = Device.create(root / "phone.db")
        latencies: list[float] = []
        try:
            phone.join(server.url, email, phrase)
            for run in range(RUNS):
                title = f"from the phone {run}"
                phone.store.tasks.add(Task(title, created_at=NOW))
                phone.sync()
                started = time.perf_counter()
                last[0] = started
                _spin_until(app, lambda t=title: any(table.item(r, 0).text() == t for r in range(table.rowCount())))
                latencies.append(time.perf_counter() - started)
                last[0] = None
        finally:
            timer.stop()
            phone.close()
            close_sync_window(window)
    profile.close()
    latencies.sort()
    print(f"push on another device → Tasks view shows it ({RUNS} runs)")
    print(f"  median {statistics.median(latencies) * 1000:7.1f} ms")
    print(f"  p95    {latencies[int(0.95 * (len(latencies) - 1))] * 1000:7.1f} ms")
    print(f"  max    {latencies[-1] * 1000:7.1f} ms")
    print(f"longest main-thread gap between {TICK_MS} ms ticks while the app synced: {max(gaps) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
