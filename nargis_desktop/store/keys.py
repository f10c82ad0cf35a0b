"""Where the store key comes from: a random key in the OS keyring, or a passphrase via Argon2id.

`store-key.json` beside the store records which, plus the KDF salt and parameters. It never
holds the key. A headless Linux machine has no keyring backend; there a passphrase is
required (NARGIS_PASSPHRASE for scripts, a prompt in a terminal or the app).
"""

from __future__ import annotations

import json
import os
import secrets as _random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from nargis_desktop.config import PASSPHRASE_ENV, KdfSettings, ProfilePaths
from nargis_desktop.errors import KeyUnavailableError, StoreError
from nargis_desktop.secrets import SecretStore
from nargis_desktop.store.connection import KEY_LENGTH_BYTES

KEYRING = "keyring"
PASSPHRASE = "passphrase"
SALT_BYTES = 16

# Asked for a passphrase when one is needed; `confirm` is True when a new store is made.
PassphrasePrompt = Callable[[bool], str | None]


@dataclass(frozen=True)
class KeyRecord:
    method: str
    keyring_name: str | None = None
    salt_hex: str | None = None
    kdf: KdfSettings | None = None

    def write(self, path: Path) -> None:
        data = asdict(self)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, path)

    @classmethod
    def read(cls, path: Path) -> KeyRecord:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            kdf = KdfSettings(**data["kdf"]) if data.get("kdf") else None
            return cls(
                method=data["method"], keyring_name=data.get("keyring_name"), salt_hex=data.get("salt_hex"), kdf=kdf
            )
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise StoreError(f"the key record {path} is unreadable: {err}", code="store-key-record") from err


def derive_key(passphrase: str, salt: bytes, kdf: KdfSettings) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_cost_kib,
        parallelism=kdf.parallelism,
        hash_len=kdf.key_length_bytes,
        type=Type.ID,
    )


def env_passphrase(_confirm: bool) -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


def unlock(
    paths: ProfilePaths,
    secret_store: SecretStore,
    prompt: PassphrasePrompt = env_passphrase,
    kdf: KdfSettings | None = None,
) -> bytes:
    """The key of this profile's store, creating it (and its record) for a new profile."""
    if paths.key_file.exists():
        return _existing_key(KeyRecord.read(paths.key_file), secret_store, prompt)
    if paths.store_file.exists() and paths.store_file.stat().st_size > 0:
        raise StoreError(
            f"{paths.key_file} is missing, so the store {paths.store_file} cannot be unlocked", code="store-key-record"
        )
    return _new_key(paths, secret_store, prompt, kdf or KdfSettings())


def _existing_key(record: KeyRecord, secret_store: SecretStore, prompt: PassphrasePrompt) -> bytes:
    if record.method == KEYRING:
        assert record.keyring_name is not None
        if not secret_store.available():
            raise KeyUnavailableError(
                "this store's key is kept in the OS keyring, but no keyring backend is usable now "
                f"({secret_store.describe()})"
            )
        stored = secret_store.get(record.keyring_name)
        if stored is None:
            raise KeyUnavailableError(f"the OS keyring has no entry {record.keyring_name!r} for this store's key")
        return bytes.fromhex(stored)
    if record.method == PASSPHRASE and record.salt_hex and record.kdf:
        passphrase = prompt(False)
        if not passphrase:
            raise KeyUnavailableError(
                f"this store is locked with a passphrase: set {PASSPHRASE_ENV} or run in a terminal"
            )
        return derive_key(passphrase, bytes.fromhex(record.salt_hex), record.kdf)
    raise StoreError(f"unknown key method {record.method!r}", code="store-key-record")


def _new_key(paths: ProfilePaths, secret_store: SecretStore, prompt: PassphrasePrompt, kdf: KdfSettings) -> bytes:
    paths.ensure()
    from_env = os.environ.get(PASSPHRASE_ENV)
    if not from_env and secret_store.available():
        key = _random.token_bytes(KEY_LENGTH_BYTES)
        name = f"store-key:{paths.data_dir}"
        secret_store.set(name, key.hex())
        KeyRecord(method=KEYRING, keyring_name=name).write(paths.key_file)
        return key
    passphrase = prompt(True)
    if not passphrase:
        raise KeyUnavailableError(
            f"no usable OS keyring here ({secret_store.describe()}): set {PASSPHRASE_ENV} "
            "to protect the store with a passphrase instead"
        )
    salt = _random.token_bytes(SALT_BYTES)
    KeyRecord(method=PASSPHRASE, salt_hex=salt.hex(), kdf=kdf).write(paths.key_file)
    return derive_key(passphrase, salt, kdf)
