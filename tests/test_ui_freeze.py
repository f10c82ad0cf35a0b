"""The freeze regression: on a real X server with a window manager, cycling every view many times
(Insights included, again and again) leaves a window that keeps repainting.

The window runs in its own process (`benchmarks.bench_ui_views --drive`), so a freeze fails this
test after a timeout instead of hanging the suite.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from benchmarks.bench_ui_views import run_driven, x_display

pytest.importorskip("PySide6")


@pytest.fixture(scope="module")
def desktop() -> Iterator[dict[str, str]]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (scripts/setup installs it)")
    with x_display() as env:
        yield env


def test_cycling_every_view_many_times_keeps_the_window_repainting(desktop: dict[str, str]) -> None:
    figures = run_driven(desktop, cycles=12, seed_year=False, timeout_s=240)
    assert not figures.get("frozen"), f"the window froze:\n{figures.get('stderr')}"
    assert "failed" not in figures, figures.get("stderr")
    assert figures["views_switched"] == 12 * 8
    assert figures["not_repainted"] == 0
    assert figures["longest_stall_ms"] < 2000, figures  # a shared, noisy machine: the figure is the benchmark's
