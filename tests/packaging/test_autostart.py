"""The autostart entry the Settings page writes: valid, pointing at this Nargis, removable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nargis_desktop import autostart

pytestmark = pytest.mark.skipif(not autostart.is_supported(), reason="XDG autostart is Linux only")


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_enabling_writes_an_entry_that_starts_in_the_tray(environ: dict[str, str], tmp_path: Path) -> None:
    entry = autostart.enable(["/opt/My Apps/nargis"], environ)
    assert entry == tmp_path / "config" / "autostart" / "io.nargis.Nargis.desktop"
    assert autostart.is_enabled(environ)
    assert 'Exec="/opt/My Apps/nargis" app --tray' in entry.read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_autostart_entry_passes_desktop_file_validate(environ: dict[str, str]) -> None:
    entry = autostart.enable(None, environ)
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_disabling_removes_the_entry_and_says_whether_there_was_one(environ: dict[str, str]) -> None:
    autostart.enable(None, environ)
    assert autostart.disable(environ) is True
    assert not autostart.is_enabled(environ)
    assert autostart.disable(environ) is False


def test_a_frozen_bundle_starts_its_own_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLATPAK_ID", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/nargis/nargis")
    assert autostart.launch_command() == ["/opt/nargis/nargis"]


def test_inside_flatpak_the_entry_runs_the_flatpak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLATPAK_ID", autostart.APP_ID)
    assert autostart.launch_command() == ["flatpak", "run", autostart.APP_ID]
