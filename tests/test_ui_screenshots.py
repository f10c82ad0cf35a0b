"""Every view rendered offscreen (the real `nargis app --screenshot` path) in light and dark:
none blank, no two alike, and dark really is dark."""

from __future__ import annotations

import hashlib
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.app import open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.settings import AppSettings
from tests.moments import NOW

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

VIEWS = ("today", "tasks", "habits", "journal", "insights", "conversation", "settings")


def seeded(paths: ProfilePaths) -> Any:
    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    data = profile.data
    if not data.tasks(include_done=True):
        data.add_task("Call mom", NOW, due=NOW.date())
        data.add_task("File taxes", NOW, due=NOW.date() - timedelta(days=2))
        data.add_task("Water the plants", NOW, due=date(2026, 11, 28), recurrence="FREQ=WEEKLY")
        habit = data.add_habit("Meditate", NOW - timedelta(days=20), start=NOW.date() - timedelta(days=20))
        for days_ago in (1, 2, 4, 5):
            data.check_in(habit, NOW.date() - timedelta(days=days_ago), NOW)
        data.add_journal("A quiet morning by the river.", NOW - timedelta(days=1), mood=4)
        data.add_reminder("Stretch", NOW + timedelta(hours=2), NOW)
    return profile


def brightness(image: Any) -> float:
    samples = [
        image.pixelColor(x, y).lightness() for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)
    ]
    return sum(samples) / len(samples)


@pytest.fixture
def restore_light_theme() -> Any:
    yield
    from nargis_desktop.ui.theme import apply_theme_named

    apply_theme_named("light")  # the application outlives this test: the next ones see light


def test_every_view_in_light_and_dark_is_drawn_and_distinct(
    paths: ProfilePaths, tmp_path: Path, restore_light_theme: None
) -> None:
    from PySide6.QtGui import QImage

    from nargis_desktop.ui.application import run_app

    shots: dict[tuple[str, str], Path] = {}
    for theme in ("light", "dark"):
        AppSettings(theme=theme).save(paths.config_dir / "settings.toml")
        for view in VIEWS:
            shot = tmp_path / f"{theme}-{view}.png"
            assert run_app(lambda _prompt: seeded(paths), NOW, shot, view) == 0
            shots[(theme, view)] = shot
    digests = {hashlib.sha256(QImage(str(p)).bits().tobytes()).hexdigest() for p in shots.values()}
    assert len(digests) == len(shots)  # no two views (or themes) render the same
    for (theme, view), path in shots.items():
        image = QImage(str(path))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)}
        assert image.width() >= 1000 and len(colours) > 8, (theme, view)
    for view in VIEWS:
        light, dark = QImage(str(shots[("light", view)])), QImage(str(shots[("dark", view)]))
        assert brightness(dark) < brightness(light) - 60, view
