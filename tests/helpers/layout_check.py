"""Every view of the window at a given size (and whatever QT_SCALE_FACTOR says), checked for what a
person would see cut off: a label or button narrower than its text, a widget outside the window,
a habit name elided, a window that cannot shrink to the size asked. Run in its own process, as
the scale factor is read once when Qt starts:

    QT_SCALE_FACTOR=1.5 python -m tests.helpers.layout_check OUT_DIR 1280 800

Prints one JSON object: {"problems": [...], "shots": [...]} (a PNG per view in OUT_DIR).
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

NOW = datetime(2026, 11, 25, 9, 30)
HABITS = ("Drink water", "Meditate for ten minutes", "Walk to work", "Read before bed")


def seed(profile: Any) -> None:
    data = profile.data
    data.add_task("Pay rent", NOW, due=NOW.date(), recurrence="FREQ=MONTHLY;BYMONTHDAY=1")
    data.add_task("Call the plumber about the kitchen tap that drips at night", NOW, due=NOW.date() - timedelta(days=2))
    data.add_task("Renew passport", NOW, due=datetime(2026, 12, 3, 17, 0))
    for n, name in enumerate(HABITS):
        habit = data.add_habit(name, NOW - timedelta(days=40), start=NOW.date() - timedelta(days=40))
        for days_ago in range(1, 40):
            if (days_ago + n) % 3:
                data.check_in(habit, NOW.date() - timedelta(days=days_ago), NOW)
    for n in range(12):
        data.add_journal(f"Day {n}: a long walk by the river, then dinner with Sara.", NOW - timedelta(days=n), mood=4)
    data.add_reminder("Stretch your back", NOW + timedelta(hours=2), NOW)


def wait_for(app: Any, done: Any, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def problems_in(window: Any, view: str) -> list[str]:
    """What does not fit in the window as shown now."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QComboBox, QLabel, QWidget

    found: list[str] = []
    shown = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0:
            continue
        inside_a_scroll_area = any(
            isinstance(parent, QAbstractScrollArea) for parent in _ancestors(widget) if parent is not widget
        )
        name = f"{view}: {type(widget).__name__} {_words(widget)!r}"
        if not inside_a_scroll_area:
            where = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
            if not shown.contains(where):
                found.append(f"{name} lies outside the window ({where.getRect()} in {shown.getRect()})")
        if inside_a_scroll_area:
            continue  # its area scrolls: what is out of sight is reached by scrolling
        if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap() and not widget.pixmap():
            needed = widget.sizeHint().width()
            if needed > widget.width() + 1:
                found.append(f"{name} is cut off: needs {needed} px, has {widget.width()}")
        elif isinstance(widget, QAbstractButton | QComboBox):
            needed = widget.minimumSizeHint().width()
            if needed > widget.width() + 1:
                found.append(f"{name} is cut off: needs {needed} px, has {widget.width()}")
    return found


def habit_names_elided(habits_page: Any) -> list[str]:
    grid = habits_page.grid
    metrics = grid.fontMetrics()
    found = []
    for row in range(grid.rowCount()):
        item = grid.item(row, 0)
        if item is None:
            continue
        needed = max(metrics.horizontalAdvance(line) for line in item.text().splitlines()) + 12
        if needed > grid.columnWidth(0):
            found.append(f"habits: {item.text().splitlines()[0]!r} elided ({grid.columnWidth(0)} px < {needed})")
    return found


def _ancestors(widget: Any) -> list[Any]:
    chain = []
    while widget is not None:
        chain.append(widget)
        widget = widget.parentWidget()
    return chain


def _words(widget: Any) -> str:
    text = getattr(widget, "text", None)
    value = text() if callable(text) else ""
    return str(value)[:40] if isinstance(value, str) else ""


def main() -> None:
    out, width, height = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from nargis_desktop.app import open_profile
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.main_window import VIEWS, MainWindow
    from nargis_desktop.ui.theme import apply_theme_named
    from tests.helpers.model_sizes import remember_builtin_sizes

    app = QApplication([])
    apply_theme_named("light")
    paths = ProfilePaths(data_dir=out / "data", config_dir=out / "config", cache_dir=out / "cache")
    remember_builtin_sizes(paths)  # Settings → Models asks no server
    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "layout")
    seed(profile)
    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    window.resize(width, height)
    window.show()
    problems: list[str] = []
    minimum = window.minimumSizeHint()
    if minimum.width() > width or minimum.height() > height:
        problems.append(f"the window needs at least {minimum.width()}×{minimum.height()}, more than {width}×{height}")
    shots = []
    for view in VIEWS:
        window.select(view)
        page = window.pages[view]
        wait_for(app, lambda p=page: not p.loading)
        for _ in range(5):
            app.processEvents()
        if window.size().width() != width or window.size().height() != height:
            problems.append(f"{view}: the window grew to {window.width()}×{window.height()}")
        tabs = page.tabs if view == "settings" else None  # type: ignore[attr-defined]
        for tab in range(tabs.count()) if tabs is not None else [None]:
            name = view if tab is None else f"{view}-{tabs.tabText(tab).lower()}"
            if tabs is not None:
                tabs.setCurrentIndex(tab)
                for _ in range(5):
                    app.processEvents()
            problems += problems_in(window, name)
            shot = out / f"{name}.png"
            window.grab().save(str(shot))
            shots.append(str(shot))
        if view == "habits":
            problems += habit_names_elided(page)
    window.features.quitting = True
    window.close()
    profile.close()
    print(json.dumps({"problems": problems, "shots": shots, "scale": os.environ.get("QT_SCALE_FACTOR", "1")}))


if __name__ == "__main__":
    main()
