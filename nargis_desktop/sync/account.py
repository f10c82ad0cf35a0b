"""Joining a device to a sync account: register or log in, check the recovery phrase, keep the session.

Session tokens go to the OS keyring when there is one, otherwise into the encrypted store
(never a plain file). The sync key lives only in the encrypted store.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from pathlib import Path

from nargis_desktop.errors import SyncNotConfiguredError
from nargis_desktop.secrets import SecretStore
from nargis_desktop.store import sync_state
from nargis_desktop.store.database import Store
from nargis_desktop.sync.client import Session, start_session
from nargis_desktop.sync.crypto import SyncKey
from nargis_sync_server.wire import Credentials, RegisterRequest


class SessionVault:
    def __init__(self, store: Store, secrets: SecretStore) -> None:
        self._store = store
        self._secrets = secrets

    @property
    def _name(self) -> str:
        # Fixed at login: after a restore the store has a new device id, but its session is this one.
        return sync_state.get_value(self._store, "session_name") or f"sync-session-{self._store.device_id}"

    @property
    def refresh_lock(self) -> Path | None:
        """The file that makes token refreshes of this profile take turns (None for a store in memory)."""
        path = self._store.path
        return None if path is None else path.with_name(path.name + ".sync-refresh.lock")

    def _in_keyring(self) -> bool:
        try:
            return self._secrets.available()
        except Exception:  # a keyring that cannot even say whether it works is not one to trust
            return False

    def load(self) -> Session | None:
        text = self._secrets.get(self._name) if self._in_keyring() else None
        text = text or sync_state.get_value(self._store, "session")
        if not text:
            return None
        try:
            data = json.loads(text)
            return Session(str(data["access_token"]), str(data["refresh_token"]))
        except (ValueError, KeyError, TypeError):
            return None  # a damaged entry is no session: the person logs in again

    def save(self, session: Session) -> None:
        text = json.dumps({"access_token": session.access_token, "refresh_token": session.refresh_token})
        if self._in_keyring():
            self._secrets.set(self._name, text)
            sync_state.set_values(self._store, {"session": None})
        else:
            sync_state.set_values(self._store, {"session": text})

    def clear(self) -> None:
        if self._in_keyring():
            self._secrets.delete(self._name)
        sync_state.set_values(self._store, {"session": None})


@dataclass(frozen=True)
class SyncAccount:
    url: str
    email: str
    key: SyncKey


def join(
    store: Store, vault: SessionVault, url: str, email: str, password: str, phrase: str, *, register: bool
) -> SyncAccount:
    """Register a new account or log this device in; a wrong phrase stores nothing."""
    return join_with_key(store, vault, url, email, password, SyncKey.from_phrase(phrase), register=register)


def join_with_key(
    store: Store, vault: SessionVault, url: str, email: str, password: str, key: SyncKey, *, register: bool
) -> SyncAccount:
    name = platform.node()[:100] or "nargis"  # how the person tells their devices apart in the device list
    fields = {"email": email, "password": password, "device_id": store.device_id, "device_name": name}
    body = RegisterRequest(**fields, key_check=key.key_check()) if register else Credentials(**fields)
    tokens = start_session(url, body)
    key.verify_key_check(tokens.key_check)
    sync_state.set_values(store, {"session_name": f"sync-session-{store.device_id}", "session_device": store.device_id})
    vault.save(Session(tokens.access_token, tokens.refresh_token))
    # Cursors start over: pushing everything again is harmless (the server keeps each change once).
    sync_state.set_values(
        store,
        {
            "server_url": url.rstrip("/"),
            "email": email,
            "sync_key": key.raw.hex(),
            "pushed_seq": "0",
            "pull_cursor": "0",
            "last_error": None,
            "last_error_detail": None,
        },
    )
    return SyncAccount(url.rstrip("/"), email, key)


def current(store: Store) -> SyncAccount:
    url = sync_state.get_value(store, "server_url")
    key = sync_state.get_value(store, "sync_key")
    if url is None or key is None:
        raise SyncNotConfiguredError("sync is not set up on this device: run `nargis sync login URL`")
    return SyncAccount(url, sync_state.get_value(store, "email") or "", SyncKey(bytes.fromhex(key)))


def forget(store: Store, vault: SessionVault) -> None:
    vault.clear()
    sync_state.set_values(
        store,
        {
            "server_url": None,
            "email": None,
            "sync_key": None,
            "last_sync": None,
            "session_name": None,
            "session_device": None,
        },
    )
