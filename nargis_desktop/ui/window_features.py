"""What makes the main window livable, kept out of the window's own code: the toast with Undo for
every change, keyboard shortcuts and their help, sidebar icons, the saved size, the tray on close,
the theme switch, and the watchdog that logs a stalled main thread."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from nargis_desktop.assistant.calls import DONE, Turn
from nargis_desktop.ui.background import keep_what_is_loaded, run_in_background
from nargis_desktop.ui.theme import apply_theme_named
from nargis_desktop.ui.toast import Toast
from nargis_desktop.ui.watchdog import StallWatchdog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QVBoxLayout as Layout

    from nargis_desktop.ui.main_window import MainWindow

_LOGGER = logging.getLogger(__name__)
ICON_COLOURS = {
    "today": "#1a73e8",
    "tasks": "#188038",
    "habits": "#e37400",
    "journal": "#9334e6",
    "insights": "#d93025",
    "conversation": "#12b5cb",
    "settings": "#5f6368",
}
SHORTCUTS = (
    ("Ctrl+1 … Ctrl+7", "Today, Tasks, Habits, Journal, Insights, Conversation, Settings"),
    ("Ctrl+N", "New task (a new habit or entry in those views)"),
    ("Ctrl+F", "Search tasks (or the journal)"),
    ("Ctrl+Z", "Undo the last change"),
    ("Space (hold)", "Talk — anywhere but a text box"),
    ("Enter", "Send what is typed in the command box"),
    ("Ctrl+Q", "Quit (closing the window keeps Nargis in the tray)"),
    ("F1 or Ctrl+/", "This list"),
)
READ_ONLY_TOOLS = {"undo", "list_tasks", "list_habits", "list_reminders", "streak", "task_progress", "weekly_review"}


def view_icon(view: str) -> QIcon:
    """A coloured tile with the view's initial: readable at any scale, no icon theme needed."""
    pixmap = QPixmap(40, 40)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(ICON_COLOURS.get(view, "#5f6368")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(2, 2, 36, 36, 9, 9)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setPixelSize(20)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, view[:1].upper())
    painter.end()
    return QIcon(pixmap)


IMPORTED_AHEAD = (  # what the first visit of each view imports (on a worker, but holding the GIL)
    "nargis_desktop.sync.service",
    "nargis_desktop.sync.sheets.engine",
    "nargis_desktop.sync.sheets.credentials",
    "nargis_desktop.sync.sheets.api",
    "nargis_desktop.store.analytics",
    "nargis_desktop.store.insight_queries",
    "nargis_desktop.services.insight_series",
    "nargis_desktop.services.journal_insights",
    "nargis_desktop.store.journal_index",
    "vaderSentiment.vaderSentiment",
)


def _import_ahead() -> None:
    """Modules the views import when first shown, imported on a worker right after start instead.

    Importing the sync client (pydantic) on the main thread held it for over half a second on the
    first Settings visit; imported by a view's first read, on a worker, they still held the GIL
    the window needed while it drew that view. Once they are in, everything loaded so far is
    left out of later garbage collections (`keep_what_is_loaded`)."""
    import importlib

    for name in IMPORTED_AHEAD:
        try:
            importlib.import_module(name)
        except ImportError as err:  # an optional part not installed: its view says so when shown
            _LOGGER.info("not imported ahead: %s", err)


class ShortcutsHelp(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        column = QVBoxLayout(self)
        rows = "".join(f"<tr><td><b>{keys}</b>&nbsp;&nbsp;</td><td>{what}</td></tr>" for keys, what in SHORTCUTS)
        label = QLabel(f"<table cellpadding='4'>{rows}</table>")
        label.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(label)


class WindowFeatures:
    def __init__(self, window: MainWindow, outer: Layout) -> None:
        self.window = window
        self.toast = Toast()
        outer.addWidget(self.toast)
        self.toast.undo_asked.connect(self.undo_last)
        self.toast.conversation_asked.connect(lambda: window.select("conversation"))
        self.settings = QSettings(str(window.profile.paths.config_dir / "window.ini"), QSettings.Format.IniFormat)
        self.watchdog = StallWatchdog(window)
        self.quitting = False
        self.help: ShortcutsHelp | None = None

    def finish(self) -> None:
        """Once the window's widgets exist: icons, shortcuts, page signals, saved size, the watchdog."""
        window = self.window
        from nargis_desktop.ui.main_window import VIEWS

        window.nav.setFixedWidth(170)
        window.nav.setIconSize(QSize(22, 22))
        window.nav.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 6px 4px; }")
        for row, view in enumerate(VIEWS):
            item = window.nav.item(row)
            item.setIcon(view_icon(view))
            item.setToolTip(f"{view.capitalize()} (Ctrl+{row + 1})")
        for page in window.pages.values():
            page.acted.connect(self.show_hand_action)
        keys = {
            "Ctrl+N": self.new_item,
            "Ctrl+F": self.search,
            "Ctrl+Z": self.undo_last,
            "Ctrl+Q": self.quit_app,
            "F1": self.show_help,
            "Ctrl+/": self.show_help,
        }
        for sequence, slot in keys.items():
            shortcut = QShortcut(QKeySequence(sequence), window)
            shortcut.activated.connect(slot)
        window.settings_page.theme.currentTextChanged.connect(apply_theme_named)
        saved = self.settings.value("geometry")
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            window.restoreGeometry(saved)
        self.watchdog.start()
        run_in_background(_import_ahead, lambda _r: keep_what_is_loaded(), lambda _e: None)

    # What happened, with Undo -----------------------------------------------------------------
    def show_turn(self, turn: Turn) -> None:
        changed = any(a.status == DONE and a.tool not in READ_ONLY_TOOLS for a in turn.actions)
        self.toast.show_message(turn.reply, undoable=changed)

    def show_spoken_reply(self, reply: str, events: list[Any]) -> None:
        actions = [a for e in events if e.kind == "actions_taken" for a in e.data["actions"]]
        changed = any(a["status"] == DONE and a["tool"] not in READ_ONLY_TOOLS for a in actions)
        self.toast.show_message(reply, undoable=changed)

    def show_hand_action(self, words: str) -> None:
        self.window.conversation.add("You (by hand)", words)
        self.toast.show_message(words, undoable=True)
        self.window.reminders_changed()  # other views and the reminder schedule see the change

    def undo_last(self) -> None:
        """The assistant's undo: the last change, spoken, typed or by hand."""
        window = self.window
        window.conversation.add("You", "undo")
        run_in_background(lambda: window.act("undo"), window._show_turn, window._show_error)

    # Keys ------------------------------------------------------------------------------------
    def new_item(self) -> None:
        window = self.window
        current = window.stack.currentWidget()
        if current is window.pages["journal"]:
            window.pages["journal"].new_entry()  # type: ignore[attr-defined]
        elif current is window.pages["habits"]:
            window.pages["habits"].add_new()  # type: ignore[attr-defined]
        else:
            window.select("tasks")
            window.pages["tasks"].start_adding()  # type: ignore[attr-defined]

    def search(self) -> None:
        window = self.window
        if window.stack.currentWidget() is window.pages["journal"]:
            field: QLineEdit = window.pages["journal"].search  # type: ignore[attr-defined]
            field.setFocus()
            field.selectAll()
            return
        window.select("tasks")
        window.pages["tasks"].start_searching()  # type: ignore[attr-defined]

    def show_help(self) -> None:
        if self.help is None:
            self.help = ShortcutsHelp(self.window)
        self.help.show()
        self.help.raise_()

    # Lifecycle -------------------------------------------------------------------------------
    def quit_app(self) -> None:
        self.quitting = True
        self.window.close()
        QApplication.quit()

    def keep_running_in_tray(self, event: Any) -> bool:
        """Closing the window hides it while the tray icon is there (reminders keep running)."""
        self.settings.setValue("geometry", self.window.saveGeometry())
        tray = getattr(self.window, "tray", None)
        if self.quitting or tray is None or not tray.isVisible():
            self.watchdog.stop()
            return False
        event.ignore()
        self.window.hide()
        if not self.settings.value("told_about_tray", False, type=bool):
            tray.showMessage(
                "Nargis is still running",
                "Reminders keep coming. Open Nargis from its tray icon; choose Quit there (or Ctrl+Q) to stop it.",
            )
            self.settings.setValue("told_about_tray", True)
        self.settings.sync()
        return True
