"""Composition root: the one place that picks the concrete adapters for a profile."""

from __future__ import annotations

from dataclasses import dataclass

from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import KeyringSecretStore, SecretStore
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from nargis_desktop.store.keys import PassphrasePrompt, env_passphrase, unlock


@dataclass
class Profile:
    paths: ProfilePaths
    store: Store
    key: bytes
    data: PersonalData

    def close(self) -> None:
        self.store.close()


def open_profile(
    paths: ProfilePaths | None = None,
    secret_store: SecretStore | None = None,
    prompt: PassphrasePrompt = env_passphrase,
) -> Profile:
    paths = paths or ProfilePaths.from_environment()
    paths.ensure()
    key = unlock(paths, secret_store or KeyringSecretStore(), prompt)
    store = Store.open(paths.store_file, key)
    return Profile(paths=paths, store=store, key=key, data=PersonalData(store))
