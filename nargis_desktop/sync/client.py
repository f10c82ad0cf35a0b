"""The one interface the sync engine talks to (`SyncBackend`) and its HTTP adapter for our server."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from nargis_desktop.errors import SyncAuthError, SyncError, SyncOfflineError, SyncProtocolError
from nargis_sync_server.wire import (
    Credentials,
    DeviceInfo,
    DeviceList,
    EncryptedChange,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    RegisterRequest,
    SuccessorRequest,
    TokenResponse,
)

_LOGGER = logging.getLogger(__name__)
# Answers after which retrying cannot help: the person has to log in again.
_FATAL_AUTH = {"device-revoked", "refresh-reused", "bad-refresh-token", "bad-credentials"}


class SyncBackend(Protocol):
    def push(self, batch_id: str, changes: list[EncryptedChange]) -> PushResponse: ...

    def pull(self, after: int, limit: int) -> PullResponse: ...

    def continue_as(self, device_id: str) -> None:
        """Move this device's session to `device_id` (a restored store's new device id)."""

    def use_saved_session(self) -> None:
        """Take up the session another process of this profile saved since this one loaded it."""

    # The account and the live feed, for the CLI, the window and the background syncer.
    def devices(self) -> list[DeviceInfo]: ...

    def revoke(self, device_id: str) -> None: ...

    def logout(self) -> None: ...

    def live_url(self) -> str:
        """Where the server says, as it happens, that another device pushed."""
        ...

    def access_token(self) -> str:
        """The current session's token (refreshed as needed), for the live feed."""
        ...


@dataclass
class Session:
    access_token: str
    refresh_token: str


def _request(method: str, url: str, timeout_s: float, session: Any = None, **kwargs: Any) -> Any:
    import requests

    try:
        response = (session or requests).request(method, url, timeout=timeout_s, **kwargs)
    except requests.RequestException as err:
        raise SyncOfflineError(f"the sync server at {url.split('/v1', maxsplit=1)[0]} cannot be reached") from err
    return response


_SERVER_BODY_TOO_LARGE = "body-too-large"  # the server's code; relayed as sync-body-too-large


def _problem(response: Any) -> tuple[str, str]:
    try:
        body = response.json()
        return str(body.get("code", "")), str(body.get("message", ""))
    except ValueError:
        return "", response.text[:200]


def _raise_for(response: Any) -> None:
    if response.status_code < 400:
        return
    code, message = _problem(response)
    if response.status_code == 401:
        raise SyncAuthError(f"the server refused this device: {message} ({code})", code=f"sync-{code or 'auth'}")
    if response.status_code >= 500:
        raise SyncOfflineError(f"the sync server had an error ({response.status_code}); will retry")
    if response.status_code == 429:
        raise SyncOfflineError("the sync server asks to slow down; will retry")
    if response.status_code == 413:  # also a proxy's refusal, which carries no code
        code = _SERVER_BODY_TOO_LARGE
    raise SyncProtocolError(
        f"the sync server refused the request: {message} ({code}, {response.status_code})",
        code=f"sync-{code or 'protocol'}",
    )


def start_session(url: str, body: Credentials, *, timeout_s: float = 15.0) -> TokenResponse:
    """Register (a `RegisterRequest`) or log in; the answer carries the account's key check."""
    path = "/v1/accounts" if isinstance(body, RegisterRequest) else "/v1/sessions"
    response = _request("POST", url.rstrip("/") + path, timeout_s, json=body.model_dump())
    if response.status_code == 409:
        raise SyncError("an account with this email exists; log in without --register", code="sync-account-exists")
    _raise_for(response)
    return TokenResponse.model_validate(response.json())


@contextlib.contextmanager
def profile_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on a file in the profile, held across processes (the app and the CLI)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the server's grace window covers the race there
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class HttpSyncBackend:
    """Talks to `nargis-sync-server`; refreshes the access token once when it has expired.

    One refresh at a time per profile: a refresh token is good once, so two processes refreshing
    with the same token would look like theft. Under `refresh_lock`, the session is read again
    (`load_session`): when another process already refreshed, its new tokens are used instead.
    """

    def __init__(
        self,
        url: str,
        session: Session,
        save_session: Callable[[Session], None],
        *,
        timeout_s: float = 15.0,
        load_session: Callable[[], Session | None] | None = None,
        refresh_lock: Path | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.session = session
        self._save_session = save_session
        self._load_session = load_session
        self._refresh_lock = refresh_lock
        self._timeout_s = timeout_s
        self._http: Any = None

    def _connection(self) -> Any:
        """One keep-alive connection pool per backend: a sync is many small requests."""
        if self._http is None:
            import requests

            self._http = requests.Session()
        return self._http

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.session.access_token}"}
            response = _request(method, self.url + path, self._timeout_s, self._connection(), headers=headers, **kwargs)
            if response.status_code == 401 and _problem(response)[0] == "bad-token" and attempt == 1:
                self._refresh()
                continue
            _raise_for(response)
            return response
        raise AssertionError("unreachable")

    def _refresh(self) -> None:
        if self._refresh_lock is None:
            self._refresh_unlocked()
            return
        with profile_lock(self._refresh_lock):
            stored = self._load_session() if self._load_session is not None else None
            if stored is not None and stored.refresh_token != self.session.refresh_token:
                self.session = stored  # another process refreshed while we waited: use its tokens
                return
            self._refresh_unlocked()

    def _refresh_unlocked(self) -> None:
        body = RefreshRequest(refresh_token=self.session.refresh_token).model_dump()
        response = _request("POST", self.url + "/v1/sessions/refresh", self._timeout_s, self._connection(), json=body)
        _raise_for(response)
        tokens = TokenResponse.model_validate(response.json())
        self.session = Session(tokens.access_token, tokens.refresh_token)
        self._save_session(self.session)

    def push(self, batch_id: str, changes: list[EncryptedChange]) -> PushResponse:
        body = PushRequest(batch_id=batch_id, changes=changes).model_dump()
        return PushResponse.model_validate(self._call("POST", "/v1/changes", json=body).json())

    def pull(self, after: int, limit: int) -> PullResponse:
        response = self._call("GET", "/v1/changes", params={"after": after, "limit": limit})
        return PullResponse.model_validate(response.json())

    def use_saved_session(self) -> None:
        stored = self._load_session() if self._load_session is not None else None
        if stored is not None and stored != self.session:
            self.session = stored

    def continue_as(self, device_id: str) -> None:
        import platform

        name = platform.node()[:100]
        body = SuccessorRequest(device_id=device_id, device_name="".join(ch for ch in name if ch.isprintable()))
        response = self._call("POST", "/v1/devices/successor", json=body.model_dump())
        tokens = TokenResponse.model_validate(response.json())
        self.session = Session(tokens.access_token, tokens.refresh_token)
        self._save_session(self.session)

    def devices(self) -> list[DeviceInfo]:
        return DeviceList.model_validate(self._call("GET", "/v1/devices").json()).devices

    def revoke(self, device_id: str) -> None:
        """Remove a device from the account: its sessions end and its pushes are refused."""
        self._call("DELETE", f"/v1/devices/{device_id}")

    def logout(self) -> None:
        self._call("DELETE", "/v1/sessions/current")

    def live_url(self) -> str:
        return self.url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/v1/live"

    def access_token(self) -> str:
        return self.session.access_token
