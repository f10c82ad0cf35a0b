"""The one interface the sync engine talks to (`SyncBackend`) and its HTTP adapter for our server."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from nargis_desktop.errors import SyncAuthError, SyncError, SyncOfflineError, SyncProtocolError
from nargis_sync_server.wire import (
    Credentials,
    EncryptedChange,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
)

_LOGGER = logging.getLogger(__name__)
# Answers after which retrying cannot help: the person has to log in again.
_FATAL_AUTH = {"device-revoked", "refresh-reused", "bad-refresh-token", "bad-credentials"}


class SyncBackend(Protocol):
    def push(self, batch_id: str, changes: list[EncryptedChange]) -> PushResponse: ...

    def pull(self, after: int, limit: int) -> PullResponse: ...


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
    raise SyncProtocolError(f"the sync server refused the request: {message} ({code}, {response.status_code})")


def start_session(url: str, body: Credentials, *, timeout_s: float = 15.0) -> TokenResponse:
    """Register (a `RegisterRequest`) or log in; the answer carries the account's key check."""
    path = "/v1/accounts" if isinstance(body, RegisterRequest) else "/v1/sessions"
    response = _request("POST", url.rstrip("/") + path, timeout_s, json=body.model_dump())
    if response.status_code == 409:
        raise SyncError("an account with this email exists; log in without --register", code="sync-account-exists")
    _raise_for(response)
    return TokenResponse.model_validate(response.json())


class HttpSyncBackend:
    """Talks to `nargis-sync-server`; refreshes the access token once when it has expired."""

    def __init__(
        self, url: str, session: Session, save_session: Callable[[Session], None], *, timeout_s: float = 15.0
    ) -> None:
        self.url = url.rstrip("/")
        self.session = session
        self._save_session = save_session
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

    def logout(self) -> None:
        self._call("DELETE", "/v1/sessions/current")

    def live_url(self) -> str:
        return self.url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/v1/live"
