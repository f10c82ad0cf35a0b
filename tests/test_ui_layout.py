"""Nothing cut off at 1280×800, nor at 150 % scaling: every view (and every Settings tab) rendered
offscreen in a process of its own (Qt reads QT_SCALE_FACTOR once, at start), each widget checked
against its text and the window's edges, the habit names against their column."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_every_view_fits_a_1280_by_800_window(scale: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NARGIS_", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale)
    result = subprocess.run(
        [sys.executable, "-m", "tests.helpers.layout_check", str(tmp_path), "1280", "800"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    checked = json.loads(result.stdout.strip().splitlines()[-1])
    assert checked["scale"] == scale
    assert len(checked["shots"]) == 10  # six views and the four Settings tabs
    assert checked["problems"] == []


def test_the_check_sees_what_a_too_small_window_cuts_off(tmp_path: Path) -> None:
    """The same check on a window too small for the habit grid names what is cut off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NARGIS_", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "tests.helpers.layout_check", str(tmp_path), "760", "480"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    problems = json.loads(result.stdout.strip().splitlines()[-1])["problems"]
    assert any("'Meditate for ten minutes' elided" in p for p in problems)
    assert any(p.startswith("the window needs at least") for p in problems)
