"""Settings → Sync → "Google Sheets": connect, status, sync now, disconnect.

Talking to Google (and the browser sign-in, which may wait for minutes) runs on a pool thread with
a store connection of its own, so the store worker and the window stay free; status reads and
disconnecting are quick store work on the store worker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from nargis_desktop.app import SHEETS_ENDPOINT_ENV, Profile
from nargis_desktop.errors import user_message
from nargis_desktop.secrets import SecretStore
from nargis_desktop.ui.background import StoreWorker, run_in_background, store_pool
from nargis_desktop.ui.sheets_dialog import SERVICE_ACCOUNT, SheetsConnect, ask_sheets_connect
from nargis_desktop.ui.sync_section import SyncSection

if TYPE_CHECKING:
    from nargis_desktop.sync.sheets.engine import SheetsStatus, SyncResult

KIND = "sheets"
_BAD_CELLS = re.compile(r"(\d+) rows with bad cells")


def describe(status: SheetsStatus) -> str:
    """Last sync, what waits, bad cells, conflicts: what the person needs to know, in one paragraph."""
    if not status.connected:
        return ""
    found = _BAD_CELLS.search(status.last_result or "")
    parts = [
        f"Last sync: {(status.last_sync_at or 'never').replace('T', ' ')}",
        f"{status.pending_local_changes} changes queued",
        f"{found.group(1) if found else 0} rows with bad cells",
        f"{status.conflicts} conflicts recorded",
    ]
    if status.include_journal:
        parts.append("journal included")
    if status.deletions_to_undo:
        parts.append(f"{status.deletions_to_undo} items deleted from the sheet (undo: nargis sync sheets undo)")
    text = "; ".join(parts) + "."
    if status.last_result and not status.last_result[0].isdigit():  # "not synced: …", "failed: …"
        text += f"\nLast try: {status.last_result}"
    return text


def _own_connection(profile: Profile) -> Profile:
    """A second connection to the same store, for work that waits on the network."""
    return profile.own_connection()


class SheetsPanel(QObject):
    data_changed = Signal()  # the sheet's edits were applied here: the views read again

    def __init__(
        self, profile: Profile, section: SyncSection, worker: StoreWorker, secret_store: SecretStore | None = None
    ) -> None:
        super().__init__(section)
        self.profile, self.section, self.worker = profile, section, worker
        self.secrets = secret_store or profile.secrets
        self.ask: Callable[[QWidget | None, bool], SheetsConnect | None] = ask_sheets_connect
        self.status: SheetsStatus | None = None
        self._closing = False
        section.offer(KIND, "Connect…", self.connect_sheet)
        section.add_action(KIND, "Sync now", self.sync_now)
        section.add_action(KIND, "Disconnect", self.disconnect_sheet)

    def stop(self) -> None:
        """On quit: results still on their way are not shown any more."""
        self._closing = True

    def _failed(self, error: BaseException) -> None:
        if self._closing:
            return
        self.section.set_busy(KIND, False)
        self.show_status(then_say=user_message(error))

    def show_status(self, then_say: str = "") -> None:
        from nargis_desktop.app import sheets_sync

        if self.worker.stopped:  # the window is closing: the store is about to be closed
            return
        profile, secrets, lock = self.profile, self.secrets, self.worker.lock

        def read() -> SheetsStatus:
            with lock:
                return sheets_sync(profile, secret_store=secrets).status()

        run_in_background(read, lambda found: self._show(found, then_say), self._unreadable, store_pool())

    def _unreadable(self, error: BaseException) -> None:
        """The status itself could not be read: said once, not retried."""
        if not self._closing:
            self.section.set_busy(KIND, False)
            self.section.show_state(KIND, user_message(error))

    def _show(self, found: SheetsStatus, then_say: str) -> None:
        if self._closing:
            return
        self.status = found
        text = "\n".join(t for t in (describe(found), then_say) if t)
        self.section.show_state(KIND, text, found.connected)

    def _on_network(self, work: Callable[[Profile], Any], then: Callable[[Any], None]) -> None:
        profile = self.profile

        def run() -> Any:
            own = _own_connection(profile)
            try:
                return work(own)
            finally:
                own.store.close()

        self.section.set_busy(KIND, True)
        run_in_background(run, then, self._failed)

    def connect_sheet(self, request: SheetsConnect | None = None) -> None:
        endpoint = os.environ.get(SHEETS_ENDPOINT_ENV)  # a test server: no Google credentials needed
        request = request or self.ask(self.section.window(), not endpoint)
        if request is None:
            return
        from nargis_desktop.app import sheets_sync
        from nargis_desktop.errors import InputError
        from nargis_desktop.sync.sheets import credentials as google

        secrets, asked = self.secrets, request
        if asked.credentials_file is None and not endpoint:
            self.section.show_state(KIND, "Choose the Google credentials file first.")
            return

        def work(own: Profile) -> str:
            creds: dict[str, Any] | None = None
            if asked.credentials_file is not None:
                if not secrets.available():  # before the browser sign-in, not after
                    google.keep(secrets, own.store.device_id, {})
                if asked.credentials_kind == SERVICE_ACCOUNT:
                    creds = google.service_account(asked.credentials_file)
                else:
                    creds = google.authorize_installed_app(asked.credentials_file)
            elif not endpoint:
                raise InputError("choose the Google credentials file", code="sheets-no-credentials")
            sync = sheets_sync(own, secret_store=secrets, credentials=creds)
            sheet_id = sync.connect(asked.spreadsheet_id, include_journal=asked.include_journal)
            if creds is not None:
                google.keep(secrets, own.store.device_id, creds)
            return sheet_id

        def connected(sheet_id: str) -> None:
            if self._closing:
                return
            self.section.set_busy(KIND, False)
            self.show_status(then_say=f"Connected: https://docs.google.com/spreadsheets/d/{sheet_id}")

        self.section.show_state(KIND, "Connecting to Google Sheets…")
        self._on_network(work, connected)

    def sync_now(self) -> None:
        from nargis_desktop.app import sheets_sync

        secrets = self.secrets

        def synced(result: SyncResult) -> None:
            if self._closing:
                return
            self.section.set_busy(KIND, False)
            if result.applied_here:
                self.data_changed.emit()
            self.show_status(then_say="Synced: " + result.summary())

        self.section.show_state(KIND, "Syncing with Google Sheets…")
        self._on_network(lambda own: sheets_sync(own, secret_store=secrets).run(), synced)

    def disconnect_sheet(self) -> None:
        from nargis_desktop.app import sheets_sync
        from nargis_desktop.sync.sheets import credentials as google

        profile, secrets, lock = self.profile, self.secrets, self.worker.lock

        def forget() -> None:
            with lock:
                sheets_sync(profile, secret_store=secrets).disconnect()
            google.forget(secrets, profile.store.device_id)

        def done(_result: None) -> None:
            if self._closing:
                return
            self.section.set_busy(KIND, False)
            self.show_status(then_say="Disconnected; the sheet and your data stay as they are.")

        self.section.set_busy(KIND, True)
        run_in_background(forget, done, self._failed, store_pool())
