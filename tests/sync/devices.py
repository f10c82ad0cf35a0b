"""A device for the sync tests: its own encrypted store file, logged in with the session in the store."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.store.database import Store
from nargis_desktop.sync import account
from nargis_desktop.sync.client import HttpSyncBackend
from nargis_desktop.sync.crypto import SyncKey
from nargis_desktop.sync.service import SyncService

PASSWORD = "correct horse battery"


def new_email() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.org"


@dataclass
class Device:
    store: Store
    service: SyncService | None = None
    key: bytes = b""

    @classmethod
    def create(cls, path: Path, key: bytes | None = None) -> Device:
        key = key or secrets.token_bytes(32)
        return cls(Store.open(path, key), key=key)

    def resume(self) -> SyncService:
        """Open the store file again and sync with what it holds (as the app does at start)."""
        assert self.store.path is not None
        self.store.close()  # (a no-op when a restore closed it already)
        self.store = Store.open(self.store.path, self.key)
        joined = account.current(self.store)
        vault = account.SessionVault(self.store, NoSecretStore())
        session = vault.load()
        assert session is not None
        backend = HttpSyncBackend(
            joined.url, session, vault.save, load_session=vault.load, refresh_lock=vault.refresh_lock
        )
        self.service = SyncService(self.store, backend, joined.key)
        return self.service

    def another_process(self) -> Device:
        """The same store file opened again, as the app and the command line each hold it."""
        assert self.store.path is not None
        return Device(Store.open(self.store.path, self.key), key=self.key)

    def join(self, url: str, email: str, phrase: str | SyncKey, *, register: bool = False) -> SyncService:
        """With a phrase as a person would; with a ready key where a test derives it once for many runs."""
        vault = account.SessionVault(self.store, NoSecretStore())
        if isinstance(phrase, SyncKey):
            joined = account.join_with_key(self.store, vault, url, email, PASSWORD, phrase, register=register)
        else:
            joined = account.join(self.store, vault, url, email, PASSWORD, phrase, register=register)
        session = vault.load()
        assert session is not None
        backend = HttpSyncBackend(
            joined.url, session, vault.save, load_session=vault.load, refresh_lock=vault.refresh_lock
        )
        self.service = SyncService(self.store, backend, joined.key)
        return self.service

    def sync(self) -> None:
        assert self.service is not None
        self.service.sync_now()

    def close(self) -> None:
        self.store.close()
