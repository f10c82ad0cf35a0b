"""Google credentials through gspread's own auth helpers, kept in the OS keyring and never in a file.

OAuth for installed apps stores the authorized-user info (the refresh token, no access token);
a service account stores the key file's contents, so the person may delete the downloaded file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nargis_desktop.errors import InputError, SheetsError
from nargis_desktop.secrets import SecretStore

_LOGGER = logging.getLogger(__name__)
AUTHORIZED_USER = "authorized_user"
SERVICE_ACCOUNT = "service_account"
Flow = Callable[..., Any]  # gspread.auth.FlowCallable: (client_config, scopes, port) → credentials


def secret_name(device_id: str) -> str:
    return f"sheets-credentials:{device_id}"


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the {what} {path}: {err}", code="sheets-bad-credentials-file") from err
    if not isinstance(data, dict):
        raise InputError(f"the {what} {path} is not a JSON object", code="sheets-bad-credentials-file")
    return data


def authorize_installed_app(client_secrets: Path, flow: Flow | None = None) -> dict[str, Any]:
    """Run Google's consent flow in the browser (gspread's local-server flow); returns what to keep."""
    import gspread

    config = _read_json(client_secrets, "OAuth client secrets file")
    try:
        _client, authorized = gspread.oauth_from_dict(credentials=config, flow=flow or gspread.auth.local_server_flow)
    except Exception as err:  # google-auth-oauthlib raises many kinds; all mean "not authorized"
        raise SheetsError(f"Google sign-in did not complete: {err}", code="sheets-auth-failed") from err
    info = json.loads(authorized) if isinstance(authorized, str) else dict(authorized)
    return {"type": AUTHORIZED_USER, "info": info}


def service_account(key_file: Path) -> dict[str, Any]:
    info = _read_json(key_file, "service account key file")
    if info.get("type") != "service_account":
        raise InputError(f"{key_file} is not a service account key file", code="sheets-bad-credentials-file")
    return {"type": SERVICE_ACCOUNT, "info": info}


def keep(secrets: SecretStore, device_id: str, credentials: Mapping[str, Any]) -> None:
    if not secrets.available():
        raise SheetsError(
            f"Google credentials are kept only in the OS keyring, and there is none usable here ({secrets.describe()})",
            code="sheets-no-keyring",
        )
    secrets.set(secret_name(device_id), json.dumps(credentials))


def load(secrets: SecretStore, device_id: str) -> dict[str, Any] | None:
    stored = secrets.get(secret_name(device_id))
    return None if stored is None else dict(json.loads(stored))


def forget(secrets: SecretStore, device_id: str) -> None:
    if secrets.available():  # with no keyring nothing was ever kept
        secrets.delete(secret_name(device_id))


def http_client(credentials: Mapping[str, Any] | None, endpoint: str | None) -> Any:
    """gspread's HTTP client for these credentials; with `endpoint`, its requests go there instead of Google."""
    import gspread
    import requests
    from gspread.http_client import HTTPClient

    from nargis_desktop.sync.sheets.api import redirect_to

    if credentials is None:
        if endpoint is None:
            raise SheetsError(
                "no Google credentials are stored: run `nargis sync sheets connect`", code="sheets-not-connected"
            )
        client = HTTPClient(None, session=requests.Session())  # type: ignore[arg-type]  # a test server needs no auth
    elif credentials["type"] == AUTHORIZED_USER:
        client = gspread.oauth_from_dict(authorized_user_info=credentials["info"])[0].http_client
    elif credentials["type"] == SERVICE_ACCOUNT:
        client = gspread.service_account_from_dict(credentials["info"]).http_client
    else:
        raise SheetsError(f"unknown kind of stored credentials {credentials['type']!r}", code="sheets-bad-credentials")
    if endpoint is not None:
        redirect_to(endpoint, client.session)
    return client
