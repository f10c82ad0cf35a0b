"""The sync engine: push queued local changes, pull and apply everyone else's, remember the cursors.

Local changes stay queued until the server acknowledges them, so a dropped connection or a
crashed server loses nothing; a retry re-sends the same change ids, which the server stores once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from nargis_desktop.errors import SyncAuthError, SyncError, SyncOfflineError
from nargis_desktop.store import sync_state
from nargis_desktop.store.database import Store
from nargis_desktop.sync.client import SyncBackend
from nargis_desktop.sync.crypto import SyncKey
from nargis_desktop.sync.merge import MAX_SKEW_MS, open_batch, seal
from nargis_sync_server.wire import MAX_BATCH_CHANGES, MAX_PULL_CHANGES

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncSettings:
    push_batch_changes: int = MAX_BATCH_CHANGES
    pull_page_changes: int = MAX_PULL_CHANGES
    max_skew_ms: int = MAX_SKEW_MS

    def __post_init__(self) -> None:
        if not 0 < self.push_batch_changes <= MAX_BATCH_CHANGES:
            raise ValueError(f"push_batch_changes must be 1..{MAX_BATCH_CHANGES}")


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    received: int


@dataclass(frozen=True)
class SyncStatus:
    state: str  # "not-configured", "synced", "offline", "stopped", "never"
    pending: int
    last_sync: str | None
    detail: str

    def describe(self) -> str:
        if self.state == "offline":
            return f"offline, {self.pending} changes waiting ({self.detail})"
        if self.state == "stopped":
            return f"stopped: {self.detail}; {self.pending} changes waiting"
        if self.state == "not-configured":
            return "sync is not set up: run `nargis sync login URL`"
        when = self.last_sync or "never"
        return f"{self.detail}; last sync {when}; {self.pending} changes waiting"


class SyncService:
    def __init__(self, store: Store, backend: SyncBackend, key: SyncKey, settings: SyncSettings | None = None) -> None:
        self.store = store
        self.backend = backend
        self.key = key
        self.settings = settings or SyncSettings()

    def sync_now(self) -> SyncReport:
        try:
            pushed = self.push()
            received = self.pull()
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
        return SyncReport(pushed, received)

    def push(self) -> int:
        pushed = 0
        while batch := sync_state.pending_changes(self.store, self.settings.push_batch_changes):
            sealed = [seal(change, self.key) for _, change in batch]
            self.backend.push(uuid.uuid4().hex, sealed)
            sync_state.mark_pushed(self.store, batch[-1][0])
            pushed += len(batch)
        return pushed

    def pull(self) -> int:
        received = 0
        while True:
            after = int(sync_state.get_value(self.store, "pull_cursor") or 0)
            page = self.backend.pull(after, self.settings.pull_page_changes)
            changes = open_batch(
                [item.change for item in page.changes], self.key, max_skew_ms=self.settings.max_skew_ms
            )
            received += sync_state.apply_remote(self.store, changes)
            sync_state.set_values(self.store, {"pull_cursor": str(page.cursor)})
            if not page.more:
                return received


def status(store: Store) -> SyncStatus:
    pending = sync_state.pending_count(store)
    url = sync_state.get_value(store, "server_url")
    if url is None:
        return SyncStatus("not-configured", pending, None, "")
    error = sync_state.get_value(store, "last_error")
    detail = sync_state.get_value(store, "last_error_detail") or ""
    last = sync_state.get_value(store, "last_sync")
    if error in ("offline", "stopped"):
        return SyncStatus(error, pending, last, detail)
    email = sync_state.get_value(store, "email") or "?"
    state = "synced" if last else "never"
    return SyncStatus(
        state, pending, last, f"syncing with {url} as {email}" + (f" (last try: {detail})" if error else "")
    )
