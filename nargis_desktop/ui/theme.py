"""Light and dark themes as real palettes (Fusion style), applied at start and when changed in Settings.

A colour-scheme hint alone changes nothing where the platform theme ignores it (offscreen, most X11
desktops): every widget reads its colours from the palette, so the palette is what changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

DARK = {
    Role.Window: "#1f2124",
    Role.WindowText: "#e8eaed",
    Role.Base: "#17181a",
    Role.AlternateBase: "#24262a",
    Role.ToolTipBase: "#2d2f33",
    Role.ToolTipText: "#e8eaed",
    Role.PlaceholderText: "#9aa0a6",
    Role.Text: "#e8eaed",
    Role.Button: "#2b2d31",
    Role.ButtonText: "#e8eaed",
    Role.BrightText: "#ff8a80",
    Role.Light: "#3c3f44",
    Role.Midlight: "#34373b",
    Role.Mid: "#9aa0a6",
    Role.Dark: "#111214",
    Role.Shadow: "#000000",
    Role.Highlight: "#4d8fe8",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4f8",
}
LIGHT = {
    Role.Window: "#f6f7f9",
    Role.WindowText: "#1f2124",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f1f3f5",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#1f2124",
    Role.PlaceholderText: "#5f6368",
    Role.Text: "#1f2124",
    Role.Button: "#eceef1",
    Role.ButtonText: "#1f2124",
    Role.BrightText: "#c62828",
    Role.Light: "#ffffff",
    Role.Midlight: "#dadce0",
    Role.Mid: "#5f6368",
    Role.Dark: "#a0a4a8",
    Role.Shadow: "#7a7d80",
    Role.Highlight: "#1a73e8",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1a73e8",
}


# Fusion draws check boxes in lists with an outline darker than the window: invisible on dark.
DARK_INDICATORS = (
    "QAbstractItemView::indicator { width: 13px; height: 13px; border: 1px solid #9aa0a6; border-radius: 3px;"
    " background: #17181a; }"
    "QAbstractItemView::indicator:checked { background: #4d8fe8; border-color: #4d8fe8; }"
)


def palette_for(dark: bool) -> QPalette:
    palette = QPalette()
    for role, colour in (DARK if dark else LIGHT).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#6b6f75") if dark else QColor("#9aa0a6")
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(Group.Disabled, role, disabled)
    return palette


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme_named(theme: str) -> None:
    """ "light", "dark", or "system" (the desktop's choice, where it tells; light otherwise)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    dark = theme == "dark" or (theme == "system" and system_is_dark())
    app.setStyle("Fusion")
    app.setPalette(palette_for(dark))
    app.setStyleSheet(DARK_INDICATORS if dark else "")
    app.setProperty("nargis_dark", dark)


def is_dark() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property("nargis_dark"))
