"""The sync engine: push queued local changes, pull and apply everyone else's, remember the cursors.

Local changes stay queued until the server acknowledges them, so a dropped connection or a
crashed server loses nothing; a retry re-sends the same change ids, which the server stores once.
A push that fails does not stop the pull: this device keeps receiving while its own changes wait.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from nargis_desktop.errors import SyncAuthError, SyncError, SyncOfflineError, SyncProtocolError
from nargis_desktop.store import sync_state
from nargis_desktop.store.database import Store
from nargis_desktop.sync.client import SyncBackend
from nargis_desktop.sync.crypto import SyncKey
from nargis_desktop.sync.merge import MAX_SKEW_MS, open_batch, seal
from nargis_sync_server.wire import MAX_BATCH_CHANGES, MAX_PULL_CHANGES, MAX_PUSH_CHARS, EncryptedChange

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncSettings:
    push_batch_changes: int = MAX_BATCH_CHANGES
    push_batch_chars: int = MAX_PUSH_CHARS
    pull_page_changes: int = MAX_PULL_CHANGES
    max_skew_ms: int = MAX_SKEW_MS

    def __post_init__(self) -> None:
        if not 0 < self.push_batch_changes <= MAX_BATCH_CHANGES:
            raise ValueError(f"push_batch_changes must be 1..{MAX_BATCH_CHANGES}")


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    received: int
    set_aside: int = 0  # changes from other devices this sync could not use (see `status`)


@dataclass(frozen=True)
class SyncStatus:
    state: str  # "not-configured", "synced", "offline", "stopped", "never"
    pending: int
    last_sync: str | None
    detail: str
    set_aside: tuple[sync_state.SetAside, ...] = ()  # changes from other devices that could not be used

    def describe(self) -> str:
        return self._main_line() + self._set_aside_line()

    def _main_line(self) -> str:
        if self.state == "offline":
            return f"offline, {self.pending} changes waiting ({self.detail})"
        if self.state == "stopped":
            return f"stopped: {self.detail}; {self.pending} changes waiting"
        if self.state == "not-configured":
            return "sync is not set up: run `nargis sync login URL`"
        when = self.last_sync or "never"
        return f"{self.detail}; last sync {when}; {self.pending} changes waiting"

    def _set_aside_line(self) -> str:
        if not self.set_aside:
            return ""
        lines = [
            f"\n{group.count} changes from device {group.device_id} could not be used and were set aside "
            f"({group.last_reason}); if you do not know that device, remove it: "
            f"`nargis sync revoke {group.device_id}`"
            for group in self.set_aside
        ]
        return "".join(lines)

    @property
    def set_aside_count(self) -> int:
        return sum(group.count for group in self.set_aside)


class SyncService:
    def __init__(self, store: Store, backend: SyncBackend, key: SyncKey, settings: SyncSettings | None = None) -> None:
        self.store = store
        self.backend = backend
        self.key = key
        self.settings = settings or SyncSettings()
        self._set_aside_now = 0

    def sync_now(self) -> SyncReport:
        try:
            self.move_session_to_this_device()
            push_failed: SyncError | None = None
            try:
                pushed = self.push()
            except SyncAuthError:
                raise
            except SyncError as err:  # the pull still runs: this device keeps receiving
                push_failed, pushed = err, 0
            received = self.pull()
            if push_failed is not None:
                raise push_failed
        except SyncOfflineError as err:
            sync_state.set_values(self.store, {"last_error": "offline", "last_error_detail": err.message})
            raise
        except SyncAuthError as err:
            sync_state.set_values(self.store, {"last_error": "stopped", "last_error_detail": err.message})
            raise
        except SyncError as err:
            sync_state.set_values(self.store, {"last_error": "failed", "last_error_detail": err.message})
            raise
        stamp = datetime.now().replace(microsecond=0).isoformat()
        sync_state.set_values(self.store, {"last_sync": stamp, "last_error": None, "last_error_detail": None})
        return SyncReport(pushed, received, self._set_aside_now)

    def move_session_to_this_device(self) -> None:
        """After a restore this store is a new device; the server session moves over to it first."""
        session_device = sync_state.get_value(self.store, "session_device")
        if session_device is None:
            return
        if session_device == self.store.device_id:
            # Another process of this store (the app, the command line) may have moved the session
            # after this one loaded the old device's tokens; pushing with those is refused.
            self.backend.use_saved_session()
            return
        self.backend.continue_as(self.store.device_id)
        sync_state.set_values(self.store, {"session_device": self.store.device_id})

    def push(self) -> int:
        try:
            return self._push()
        except SyncProtocolError as err:
            if err.code != "sync-change-id-conflict":
                raise
        # The server holds other changes under our ids: this store is a copy of another device's.
        _LOGGER.warning("the server already holds this device's change ids; continuing as a new device")
        sync_state.start_new_epoch(self.store)
        self.move_session_to_this_device()
        return self._push()

    def _push(self) -> int:
        pushed = 0
        limit = self.settings.push_batch_changes
        while batch := sync_state.pending_changes(self.store, limit):
            sealed = self._fitting([seal(change, self.key) for _, change in batch])
            try:
                self.backend.push(uuid.uuid4().hex, sealed)
            except SyncProtocolError as err:
                if err.code != "sync-body-too-large" or len(sealed) == 1:
                    raise
                limit = max(1, len(sealed) // 2)  # the server's body limit is lower than ours: halve
                continue
            sync_state.mark_pushed(self.store, batch[len(sealed) - 1][0])
            pushed += len(sealed)
        return pushed

    def _fitting(self, sealed: list[EncryptedChange]) -> list[EncryptedChange]:
        """The first changes of `sealed` that fit in one request (always at least one)."""
        size = 0
        for index, change in enumerate(sealed):
            size += len(change.ciphertext)
            if size > self.settings.push_batch_chars and index > 0:
                return sealed[:index]
        return sealed

    def pull(self) -> int:
        # The server leaves out the calling device's own changes; pulling as the pre-restore device
        # would step the cursor past changes this restored store no longer holds.
        self.move_session_to_this_device()
        received = 0
        self._set_aside_now = 0
        while True:
            after = int(sync_state.get_value(self.store, "pull_cursor") or 0)
            page = self.backend.pull(after, self.settings.pull_page_changes)
            stored = [item.change for item in page.changes]
            opened = open_batch(stored, self.key, max_skew_ms=self.settings.max_skew_ms)
            for sealed, reason in opened.set_aside:
                _LOGGER.warning("set aside change %s from device %s: %s", sealed.change_id, sealed.device_id, reason)
                sync_state.set_aside(
                    self.store, sealed.change_id, sealed.device_id, sealed.hlc, sealed.ciphertext, reason
                )
            originals = {c.change_id: (c.hlc, c.ciphertext) for c in stored}
            applied, refused = sync_state.apply_remote_or_set_aside(self.store, opened.changes, originals)
            received += applied
            self._set_aside_now += len(opened.set_aside) + len(refused)
            sync_state.set_values(self.store, {"pull_cursor": str(page.cursor)})
            if not page.more:
                return received


def changes_waiting(store: Store) -> int:
    """Local changes not yet sent: read from the store alone, no network."""
    return sync_state.pending_count(store)


def status(store: Store) -> SyncStatus:
    pending = sync_state.pending_count(store)
    url = sync_state.get_value(store, "server_url")
    if url is None:
        return SyncStatus("not-configured", pending, None, "")
    error = sync_state.get_value(store, "last_error")
    detail = sync_state.get_value(store, "last_error_detail") or ""
    last = sync_state.get_value(store, "last_sync")
    set_aside = tuple(sync_state.set_aside_by_device(store))
    if error in ("offline", "stopped"):
        return SyncStatus(error, pending, last, detail, set_aside)
    email = sync_state.get_value(store, "email") or "?"
    state = "synced" if last else "never"
    return SyncStatus(
        state,
        pending,
        last,
        f"syncing with {url} as {email}" + (f" (last try failed: {detail})" if error else ""),
        set_aside,
    )
