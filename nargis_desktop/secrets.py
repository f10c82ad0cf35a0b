"""Secrets in the OS keyring, behind one small interface so tests can bring their own."""

from __future__ import annotations

import contextlib
import logging
from typing import Protocol

from nargis_desktop.errors import KeyUnavailableError

_LOGGER = logging.getLogger(__name__)
SERVICE_NAME = "nargis"


class SecretStore(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...

    def describe(self) -> str:
        """Which backend holds the secrets, in words for `nargis doctor`."""
        ...

    def available(self) -> bool: ...


def _is_plain_file(backend: object) -> bool:
    """keyrings.alt's file backends keep secrets in a file beside the data: no better than no keyring."""
    return type(backend).__module__.startswith("keyrings.alt")


class KeyringSecretStore:
    """The OS keyring through `keyring` (Secret Service, macOS Keychain, Windows Credential Locker)."""

    def __init__(self, service: str = SERVICE_NAME) -> None:
        self.service = service

    def _backend(self) -> object:
        import keyring

        return keyring.get_keyring()

    def available(self) -> bool:
        from keyring.backends import fail

        backend = self._backend()
        if isinstance(backend, fail.Keyring) or _is_plain_file(backend):
            return False
        priority = getattr(backend, "priority", 1)
        return bool(priority > 0)

    def describe(self) -> str:
        backend = self._backend()
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        return name if self.available() else f"none usable ({name})"

    def get(self, name: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(self.service, name)
        except KeyringError as err:
            raise KeyUnavailableError(f"the OS keyring did not answer: {err}") from err

    def set(self, name: str, value: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(self.service, name, value)
        except KeyringError as err:
            raise KeyUnavailableError(f"the OS keyring refused to store the key: {err}") from err

    def delete(self, name: str) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # already gone is what was asked for
            keyring.delete_password(self.service, name)


class NoSecretStore:
    """No keyring at all: the passphrase path (demo profiles, `--no-keyring`)."""

    def available(self) -> bool:
        return False

    def describe(self) -> str:
        return "none (not used for this profile)"

    def get(self, name: str) -> str | None:
        return None

    def set(self, name: str, value: str) -> None:
        raise KeyUnavailableError("no keyring is used for this profile")

    def delete(self, name: str) -> None:
        return None
