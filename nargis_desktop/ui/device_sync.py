"""Settings → Sync → "Your other devices": sign in, status, sync now, sign out; and the background sync.

Network calls never run on the Qt main thread: signing in, syncing and signing out run on the store
worker (they read and write the store too), the background sync on its own thread and its own store
connection. What the background sync hears comes back by queued signal.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from nargis_desktop.app import Profile
from nargis_desktop.errors import NargisError, SyncError, user_message
from nargis_desktop.secrets import SecretStore
from nargis_desktop.ui.background import StoreWorker, run_in_background, store_pool
from nargis_desktop.ui.sign_in_dialog import SignIn, ask_sign_in
from nargis_desktop.ui.sync_section import SyncSection

if TYPE_CHECKING:
    from nargis_desktop.app import BackgroundSync
    from nargis_desktop.sync.service import SyncStatus

_LOGGER = logging.getLogger(__name__)
KIND = "devices"


def short_status(status: SyncStatus) -> str:
    """A few words for the window's status line."""
    if status.state == "not-configured":
        return ""
    if status.state == "offline":
        return f"Sync: offline, {status.pending} changes waiting"
    if status.state == "stopped":
        return "Sync stopped (see Settings → Sync)"
    if status.last_sync:
        return f"Synced {status.last_sync.replace('T', ' ')[:16]}"
    return "Sync: not yet"


class DeviceSync(QObject):
    status_changed = Signal(str)  # the short status, for the window's status line
    remote_changes = Signal()  # another device's changes were applied here: the views read again
    _heard = Signal(object)  # a background sync's report or error, from the sync thread

    def __init__(
        self,
        profile: Profile,
        section: SyncSection,
        worker: StoreWorker,
        secret_store: SecretStore | None = None,
    ) -> None:
        super().__init__(section)
        self.profile, self.section, self.worker = profile, section, worker
        self.secrets = secret_store or profile.secrets
        self.ask: Callable[[QWidget | None], SignIn | None] = ask_sign_in  # tests answer for the person
        self.background: BackgroundSync | None = None
        self.status: SyncStatus | None = None
        self._quitting = False
        section.offer(KIND, "Sign in…", self.sign_in)
        section.add_action(KIND, "Sync now", self.sync_now)
        section.add_action(KIND, "Sign out", self.sign_out)
        self._heard.connect(self._on_result)

    # Store work with our own failure handling, on the one store worker.
    def _on_store(
        self,
        work: Callable[[], Any],
        then: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self.worker.stopped:  # the window is closing: the store is about to be closed
            return
        lock = self.worker.lock

        def locked() -> Any:
            with lock:
                return work()

        run_in_background(locked, then, failed or self._failed, store_pool())

    def _failed(self, error: BaseException) -> None:
        if self._quitting:
            return
        self.section.set_busy(KIND, False)
        self.section.show_state(KIND, user_message(error))
        self.show_status(keep_text=True)

    def show_status(self, keep_text: bool = False) -> None:
        from nargis_desktop.sync.service import status

        profile = self.profile
        self._on_store(lambda: status(profile.store), lambda found: self._show(found, keep_text), self._unreadable)

    def _unreadable(self, error: BaseException) -> None:
        """The status itself could not be read (the store is being replaced): said once, not retried."""
        if not self._quitting:
            self.section.set_busy(KIND, False)
            self.section.show_state(KIND, user_message(error))

    def _show(self, found: SyncStatus, keep_text: bool = False) -> None:
        if self._quitting:  # the window is going away: nothing to show the status in
            return
        self.status = found
        connected = found.state != "not-configured"
        text = found.describe() if connected else ""
        if keep_text:  # an error message stays; only the buttons follow the state
            text = self.section.states[KIND].text()
        self.section.show_state(KIND, text, connected)
        if found.state == "stopped":  # the server refused this device: signing in again brings it back
            self.section.buttons[KIND].setVisible(True)
            self.section.buttons[KIND].setText("Sign in again…")
        else:
            self.section.buttons[KIND].setText("Sign in…")
        self.status_changed.emit(short_status(found))

    # Signing in and out ------------------------------------------------------------------------
    def sign_in(self, request: SignIn | None = None) -> None:
        from nargis_desktop.sync import account

        request = request or self.ask(self.section.window())
        if request is None:
            return
        profile, secrets, asked = self.profile, self.secrets, request
        stopped, self.background = self.background, None  # only a stopped one can be here: it ends now

        def join() -> None:
            if stopped is not None:
                stopped.stop()
            vault = account.SessionVault(profile.store, secrets)
            account.join(
                profile.store, vault, asked.url, asked.email, asked.password, asked.phrase, register=asked.register
            )

        def joined(_result: None) -> None:
            if self._quitting:
                return
            self.section.set_busy(KIND, False)
            self.show_status()
            self.start_background()

        self.section.set_busy(KIND, True)
        self.section.show_state(KIND, f"Signing in to {request.url}…")
        self._on_store(join, joined)

    def sign_out(self) -> None:
        from nargis_desktop.app import sync_service
        from nargis_desktop.sync import account

        running, self.background = self.background, None
        profile, secrets = self.profile, self.secrets

        def leave() -> None:
            if running is not None:
                running.stop()
            with contextlib.suppress(SyncError):  # offline or already revoked: forgetting here is what matters
                sync_service(profile, secrets).backend.logout()
            account.forget(profile.store, account.SessionVault(profile.store, secrets))

        def left(_result: None) -> None:
            if self._quitting:
                return
            self.section.set_busy(KIND, False)
            self.show_status()

        self.section.set_busy(KIND, True)
        self.section.show_state(KIND, "Signing out…")
        self._on_store(leave, left)

    # Syncing -----------------------------------------------------------------------------------
    def sync_now(self) -> None:
        """The background sync does it when it runs; otherwise (stopped, not started) the store worker."""
        running = self.background
        self.section.show_state(KIND, "Syncing…")
        if running is not None and running.syncer.stopped_because is None:
            running.syncer.sync_soon()
            return
        from nargis_desktop.app import sync_service

        profile, secrets = self.profile, self.secrets

        def run() -> object:
            try:
                return sync_service(profile, secrets).sync_now()
            except SyncError as err:  # stored as the status ("offline", "stopped: …")
                return err

        self._on_store(run, self._on_result)

    def nudge(self) -> None:
        """A view was written or read again: local changes go out now, not at the next tick.
        Not while offline or stopped: the background sync's backoff decides when to try again."""
        from nargis_desktop.sync.service import changes_waiting

        running, profile = self.background, self.profile
        if running is None or self.status is None or self.status.state not in ("synced", "never"):
            return

        def send_if_waiting(waiting: int) -> None:
            if waiting:
                running.syncer.sync_soon()

        self._on_store(lambda: changes_waiting(profile.store), send_if_waiting)

    def start_background(self) -> None:
        """Start syncing in the background when this device is signed in (at app start, after sign-in)."""
        if self.background is not None or self._quitting:
            return
        from nargis_desktop.app import background_sync

        profile, secrets, heard = self.profile, self.secrets, self._heard

        def open_background() -> BackgroundSync | None:
            try:
                return background_sync(profile, secrets, heard.emit)
            except SyncError:  # not signed in: nothing to run
                return None

        run_in_background(open_background, self._started, self._failed)

    def _started(self, running: BackgroundSync | None) -> None:
        if running is None:
            return
        if self._quitting or self.background is not None:
            running.stop()
            return
        self.background = running
        running.start()

    def _on_result(self, result: object) -> None:
        from nargis_desktop.sync.service import SyncReport

        if self._quitting:
            return
        if isinstance(result, SyncReport) and result.received:
            self.remote_changes.emit()
        if isinstance(result, NargisError):
            _LOGGER.info("sync: %s", result.message)
        self.show_status()

    def stop(self) -> None:
        """On quit: the background sync ends and closes its store connection."""
        self._quitting = True
        running, self.background = self.background, None
        if running is not None:
            running.stop()
