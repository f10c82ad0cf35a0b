from __future__ import annotations

import json

import pytest

from nargis_desktop.app import open_profile
from nargis_desktop.config import KdfSettings, ProfilePaths
from nargis_desktop.errors import KeyUnavailableError, WrongKeyError
from nargis_desktop.secrets import KeyringSecretStore, NoSecretStore
from nargis_desktop.store.keys import unlock
from tests.conftest import NOW, MemoryKeyring


def test_a_new_profile_keeps_a_random_key_in_the_keyring(
    paths: ProfilePaths, memory_keyring: MemoryKeyring, no_passphrase_env: None
) -> None:
    profile = open_profile(paths)
    profile.data.add_task("Buy milk", NOW)
    profile.close()
    (stored,) = memory_keyring.entries.values()
    assert len(bytes.fromhex(stored)) == 32
    record = json.loads(paths.key_file.read_text())
    assert record["method"] == "keyring"
    assert stored not in paths.key_file.read_text()
    reopened = open_profile(paths)
    assert [t.title for t in reopened.data.tasks()] == ["Buy milk"]
    reopened.close()


def test_without_a_keyring_a_passphrase_is_required_and_named(paths: ProfilePaths, no_passphrase_env: None) -> None:
    with pytest.raises(KeyUnavailableError, match="NARGIS_PASSPHRASE"):
        unlock(paths, NoSecretStore())


def test_the_passphrase_path_derives_the_key_and_a_wrong_one_is_refused(
    paths: ProfilePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARGIS_PASSPHRASE", "correct horse")
    open_profile(paths, NoSecretStore()).close()
    record = json.loads(paths.key_file.read_text())
    assert record["method"] == "passphrase" and record["kdf"]["memory_cost_kib"] == KdfSettings().memory_cost_kib
    monkeypatch.setenv("NARGIS_PASSPHRASE", "wrong horse")
    with pytest.raises(WrongKeyError):
        open_profile(paths, NoSecretStore())


def test_a_keyring_store_whose_entry_is_gone_says_so(
    paths: ProfilePaths, memory_keyring: MemoryKeyring, no_passphrase_env: None
) -> None:
    open_profile(paths).close()
    memory_keyring.entries.clear()
    with pytest.raises(KeyUnavailableError, match="no entry"):
        open_profile(paths)


def test_plain_file_keyrings_do_not_count_as_a_keyring() -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert not KeyringSecretStore().available()
    finally:
        keyring.set_keyring(previous)
