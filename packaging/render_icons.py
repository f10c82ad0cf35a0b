"""Render resources/icons/nargis.svg to the PNG sizes desktops ask for, plus .ico (Windows)
and .icns (macOS) where Qt's image plugins can write them.

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES_PX = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size_px: int) -> QImage:
    image = QImage(size_px, size_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "nargis.svg"))
    if not renderer.isValid():
        print("render_icons: nargis.svg is not valid SVG for Qt", file=sys.stderr)
        return 1
    for size_px in SIZES_PX:
        target = ICONS / f"nargis-{size_px}.png"
        if not render(renderer, size_px).save(str(target)):
            print(f"render_icons: could not write {target}", file=sys.stderr)
            return 1
    writable = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    for suffix, size_px in (("ico", 256), ("icns", 512)):
        if suffix in writable:
            render(renderer, size_px).save(str(ICONS / f"nargis.{suffix}"))
    print(f"render_icons: wrote {len(SIZES_PX)} PNGs to {ICONS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
