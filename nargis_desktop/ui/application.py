"""Starting the desktop app: unlock the profile (a dialog asks for a passphrase where needed), pick
the voice devices, show the main window, or render one view to a PNG and exit."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)

from nargis_desktop.app import Profile
from nargis_desktop.config import PASSPHRASE_ENV, ProfilePaths
from nargis_desktop.errors import NargisError, user_message
from nargis_desktop.store.keys import PassphrasePrompt


def dialog_passphrase(confirm: bool) -> str | None:
    """NARGIS_PASSPHRASE, else ask in a dialog (twice for a new store); None if cancelled."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    title = "Choose a passphrase" if confirm else "Unlock Nargis"
    hint = (
        (
            "There is no keyring on this system, so your data is protected by a passphrase.\n"
            "If you forget it, the data cannot be recovered."
        )
        if confirm
        else "Passphrase:"
    )
    first, ok = QInputDialog.getText(None, title, hint, QLineEdit.EchoMode.Password)
    if not ok or not first:
        return None
    if confirm:
        again, ok = QInputDialog.getText(None, title, "Type it again:", QLineEdit.EchoMode.Password)
        if not ok or again != first:
            QMessageBox.warning(None, title, "The two passphrases differ; nothing was created.")
            return None
    return str(first)


def voice_factory_for(profile: Profile, clock: Callable[[], datetime]) -> Any:
    """Real devices when there are some; None (typing only, and the button says why) otherwise."""
    from nargis_desktop.audio.devices import list_devices
    from nargis_desktop.errors import NargisError

    try:
        if not any(d.inputs for d in list_devices()):
            return None
    except NargisError:
        return None

    def build(act: Callable[[str], Any]) -> Any:
        """Cheap: opens no device and loads no model (the window warms the engines afterwards)."""
        from nargis_desktop.app import voice_pipeline
        from nargis_desktop.audio.devices import SoundDeviceMicrophone, SoundDeviceSpeaker
        from nargis_desktop.settings import AppSettings

        settings = AppSettings.load(profile.paths.config_dir / "settings.toml")
        engine = None if settings.stt_engine == "default" else settings.stt_engine
        return voice_pipeline(
            profile,
            SoundDeviceMicrophone(),
            SoundDeviceSpeaker(),
            engine=engine,
            with_earcons=True,
            speaking_rate=settings.speaking_rate,
            act=act,
        )

    return build


def _start_reminders(window: Any, app: Any) -> None:
    """APScheduler wakes the window when a reminder is due; desktop notifications (or the tray)
    show it outside the window where the desktop has them."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QMenu, QSystemTrayIcon

    from nargis_desktop.reminders.scheduler import ReminderScheduler
    from nargis_desktop.ui.notifications import InWindowNotifier, ReminderNotifications, TrayNotifier, connect_desktop
    from nargis_desktop.ui.voice_bridge import VoiceBridge

    wake = VoiceBridge(window)  # a queued signal from the scheduler's thread to the window's
    wake.happened.connect(lambda _id: window.check_reminders())
    window.scheduler = ReminderScheduler(wake.relay)
    window.scheduler.start()
    window.reminders_changed()
    app.aboutToQuit.connect(window.scheduler.shutdown)
    fallback: Any = InWindowNotifier()
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(QIcon.fromTheme("appointment-soon", app.windowIcon()), window)
        menu = QMenu()
        menu.addAction("Talk", window.press)
        menu.addAction("New task", lambda: (window.showNormal(), window.features.new_item()))
        menu.addAction("New journal entry", lambda: (window.showNormal(), window.select("journal")))
        menu.addAction("Open", lambda: (window.showNormal(), window.raise_(), window.activateWindow()))
        menu.addAction("Quit", window.features.quit_app)  # closing the window only hides it to the tray
        tray.setContextMenu(menu)
        tray.activated.connect(lambda _reason: (window.showNormal(), window.raise_(), window.activateWindow()))
        tray.show()
        window.tray = tray
        fallback = TrayNotifier(tray)

    def ready(notifier: Any) -> None:
        if isinstance(notifier, InWindowNotifier):
            window.state.setText("Ready (no tray or notification service here: reminders appear in this window)")

    window.notifications = ReminderNotifications(window.banner, fallback, connect_desktop(), ready)
    app.aboutToQuit.connect(window.notifications.close)


def _start_global_hotkey(window: Any, app: Any, profile: Profile) -> None:
    from nargis_desktop.settings import AppSettings
    from nargis_desktop.ui.global_hotkey import global_hotkey_for

    settings = AppSettings.load(profile.paths.config_dir / "settings.toml")
    if settings.global_talk_enabled and window.voice_factory is not None:
        window.start_global_hotkey(global_hotkey_for(settings.global_talk_key, app.platformName()))


def start_device_sync(window: Any, app: Any) -> None:
    """Sync with the other devices in the background when signed in; views read again when
    another device's (or the Google Sheet's) changes arrive; a few words about it in the status line."""
    from PySide6.QtWidgets import QLabel

    devices = window.settings_page.devices
    indicator = QLabel("")
    indicator.setObjectName("sync-indicator")
    window.statusBar().addPermanentWidget(indicator)
    devices.status_changed.connect(indicator.setText)
    devices.remote_changes.connect(window.reminders_changed)  # the view shown reads again, reminders too
    window.settings_page.sheets.data_changed.connect(window.reminders_changed)
    for page in window.pages.values():  # after every write a view reads again: changes go out soon
        page.loaded.connect(devices.nudge)
    app.aboutToQuit.connect(devices.stop)
    app.aboutToQuit.connect(window.settings_page.sheets.stop)
    devices.show_status()
    devices.start_background()


def apply_theme(app: Any, profile: Profile) -> None:
    """Light or dark as chosen; "system" leaves Qt to follow the desktop."""
    from PySide6.QtCore import Qt

    from nargis_desktop.settings import AppSettings
    from nargis_desktop.ui.theme import apply_theme_named

    theme = AppSettings.load(profile.paths.config_dir / "settings.toml").theme
    schemes = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
    if theme in schemes:
        app.styleHints().setColorScheme(schemes[theme])
    apply_theme_named(theme)  # the palette: a scheme hint alone changes nothing on most desktops


def _never_pressed(_act: Callable[[str], Any]) -> Any:
    raise NargisError("voice is not available while rendering a screenshot", code="screenshot-only")


def _apply_data_folder_change(paths: ProfilePaths) -> ProfilePaths:
    """A data folder change chosen in Settings happens now, before the store is opened."""
    from nargis_desktop.services.data_folder import apply_pending

    try:
        return apply_pending(paths)
    except NargisError as err:
        QMessageBox.warning(None, "The data folder was not changed", user_message(err))
        return paths


def _wait_until_shown(window: Any, view: str, timeout_ms: int = 10000) -> None:
    """The view reads the store on a worker: wait for its widgets to be filled before grabbing.

    In an event loop, not a processEvents() loop: PySide6 6.12's processEvents() drops a reference
    to None on each call, and spinning it through a slow read (Insights) aborted Python (none_dealloc).
    """
    from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer

    page = window.pages[view]
    deadline = QDeadlineTimer(timeout_ms)
    loop = QEventLoop()
    page.loaded.connect(loop.quit)
    while page.loading and not deadline.hasExpired():
        QTimer.singleShot(max(deadline.remainingTime(), 0), loop.quit)
        loop.exec()
    page.loaded.disconnect(loop.quit)
    QApplication.processEvents()  # once: the filled widgets lay out and paint


def run_app(
    open_with: Callable[[PassphrasePrompt], Profile],
    now_override: datetime | None,
    screenshot: Path | None,
    view: str = "today",
    hidden: bool = False,
) -> int:
    """Open the profile (asking for a passphrase in a dialog when needed) and show the window."""
    from nargis_desktop.app import intent_classifier_loader, language_model_loader
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from nargis_desktop.ui.about_dialog import app_icon

    QApplication.setWindowIcon(app_icon())
    QApplication.setDesktopFileName("io.nargis.Nargis")  # Wayland matches the window to its .desktop entry
    prompt: PassphrasePrompt = dialog_passphrase
    paths = ProfilePaths.from_environment()
    if screenshot is None:
        paths = _apply_data_folder_change(paths)
    if screenshot is None and not paths.store_file.exists() and not os.environ.get(PASSPHRASE_ENV):
        from nargis_desktop.ui.first_run import run_first_run

        chosen = run_first_run(paths)
        if chosen is None:
            return 1
        prompt = chosen
    from nargis_desktop.errors import WrongKeyError

    for attempt in range(3):
        try:
            profile = open_with(prompt)
            break
        except WrongKeyError:
            # Asked again; the store is never replaced by a new empty one.
            if screenshot is not None or os.environ.get(PASSPHRASE_ENV) or attempt == 2:
                raise
            QMessageBox.warning(None, "Wrong passphrase", "That passphrase does not open your data. Try again.")
            prompt = dialog_passphrase
        except NargisError as err:
            if screenshot is None:
                QMessageBox.critical(None, "Nargis cannot open your data", user_message(err))
            raise
    try:
        clock = (lambda: now_override) if now_override else (lambda: datetime.now().replace(microsecond=0))
        assistant = Assistant(
            profile.data, language_model_loader(profile.paths), intent_classifier_loader(profile.paths.cache_dir)
        )
        # A screenshot shows the window as a person with a microphone sees it; no device is opened.
        factory = _never_pressed if screenshot is not None else voice_factory_for(profile, clock)
        apply_theme(app, profile)
        window = MainWindow(profile, clock, assistant, factory)
        window.select(view)
        if not hidden or screenshot is not None:
            window.show()
        if screenshot is None:
            _start_reminders(window, app)
            if hidden and getattr(window, "tray", None) is None:
                window.show()  # no tray to come back from: hiding would lose the window
            _start_global_hotkey(window, app, profile)
            start_device_sync(window, app)
            window.start_voice()  # models warm while the person looks at the window
        if screenshot is not None:
            window.features.watchdog.stop()  # a screenshot holds the main thread on purpose
            _wait_until_shown(window, view)
            if not window.grab().save(str(screenshot)):
                raise NargisError(f"could not write the screenshot {screenshot}", code="screenshot-failed")
            return 0
        return int(app.exec())
    finally:
        profile.close()
