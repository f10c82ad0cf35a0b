"""The Linux desktop entry and AppStream metadata pass the freedesktop validators."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"


def validate(*command: str) -> None:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_desktop_entry_is_valid() -> None:
    validate("desktop-file-validate", str(LINUX / "io.nargis.Nargis.desktop"))


def test_the_appstream_metainfo_is_valid() -> None:
    validate("appstreamcli", "validate", "--no-net", str(LINUX / "io.nargis.Nargis.metainfo.xml"))


def test_the_desktop_entry_and_the_metainfo_name_the_same_icon_and_id() -> None:
    entry = (LINUX / "io.nargis.Nargis.desktop").read_text(encoding="utf-8")
    metainfo = (LINUX / "io.nargis.Nargis.metainfo.xml").read_text(encoding="utf-8")
    assert "Icon=io.nargis.Nargis" in entry.splitlines()
    assert '<launchable type="desktop-id">io.nargis.Nargis.desktop</launchable>' in metainfo
