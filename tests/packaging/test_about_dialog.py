"""The About box shows the version and the licences the bundle ships."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from nargis_desktop import __version__
from nargis_desktop.ui import about_dialog


def test_the_about_box_shows_the_version_the_data_folder_and_the_licences(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "THIRD_PARTY_LICENSES").write_text("PySide6 6.12.0: LGPL-3.0-only\nGemma Terms of Use\n", "utf-8")
    monkeypatch.setattr(about_dialog, "ROOT", tmp_path)
    dialog = about_dialog.AboutDialog(tmp_path / "data")
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert __version__ in dialog.summary.text()
    assert str(tmp_path / "data") in dialog.summary.text()
    assert "Gemma Terms of Use" in dialog.licenses.toPlainText()


def test_without_a_generated_file_the_about_box_says_how_to_make_it(tmp_path: Path) -> None:
    assert "packaging/third_party_licenses.py" in about_dialog.licenses_text(tmp_path)


def test_the_app_icon_has_every_rendered_size() -> None:
    icon = about_dialog.app_icon()
    sizes = {size.width() for size in icon.availableSizes()}
    assert sizes == set(about_dialog.ICON_SIZES_PX)
