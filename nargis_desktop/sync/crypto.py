"""End-to-end encryption of change payloads under a sync key derived from the recovery phrase.

The phrase (160 random bits, written as 32 base32 letters) never leaves the person's devices;
the server stores only AES-256-GCM ciphertext. The change's id, device and clock are bound in
as associated data, so the server cannot move a payload to another change without detection.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets

from nargis_desktop.errors import InputError, SyncKeyError

_PHRASE_BYTES = 20
_GROUP = 4
_NONCE_BYTES = 12
# A fixed salt is safe because the phrase itself carries 160 random bits; Argon2id only slows
# down an attacker who guesses phrases and must also run on a slow laptop in under a second.
_SALT = b"nargis-sync-key-v1"
KEY_CHECK_TEXT = b"nargis sync key check v1"


def new_recovery_phrase() -> str:
    letters = base64.b32encode(secrets.token_bytes(_PHRASE_BYTES)).decode()
    return "-".join(letters[i : i + _GROUP] for i in range(0, len(letters), _GROUP))


def normalize_phrase(phrase: str) -> bytes:
    """Spaces, dashes and case do not matter; typos do (the checksum is the key check)."""
    letters = "".join(ch for ch in phrase.upper() if ch.isalnum())
    try:
        raw = base64.b32decode(letters)
    except (binascii.Error, ValueError) as err:
        raise InputError("the recovery phrase has letters that are not in it (A-Z, 2-7)", code="bad-phrase") from err
    if len(raw) != _PHRASE_BYTES:
        raise InputError("the recovery phrase must have 32 letters (8 groups of 4)", code="bad-phrase")
    return raw


class SyncKey:
    """AES-256-GCM under a key derived with Argon2id from the recovery phrase."""

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(key) != 32:
            raise ValueError("a sync key has 32 bytes")
        self.raw = key
        self._aead = AESGCM(key)

    @classmethod
    def from_phrase(cls, phrase: str) -> SyncKey:
        from argon2.low_level import Type, hash_secret_raw

        secret = normalize_phrase(phrase)
        return cls(
            hash_secret_raw(secret, _SALT, time_cost=2, memory_cost=19_456, parallelism=1, hash_len=32, type=Type.ID)
        )

    def encrypt(self, plaintext: bytes, associated: bytes) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        return base64.urlsafe_b64encode(nonce + self._aead.encrypt(nonce, plaintext, associated)).decode()

    def decrypt(self, token: str, associated: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        try:
            blob = base64.urlsafe_b64decode(token.encode())
            return self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], associated)
        except (InvalidTag, ValueError, binascii.Error) as err:
            raise SyncKeyError(
                "synced data does not decrypt with this device's sync key: the recovery phrase is not the one "
                "this account was set up with (nothing was applied)"
            ) from err

    def key_check(self) -> str:
        return self.encrypt(KEY_CHECK_TEXT, b"key-check")

    def verify_key_check(self, token: str) -> None:
        if self.decrypt(token, b"key-check") != KEY_CHECK_TEXT:
            raise SyncKeyError("the recovery phrase does not match this account")
