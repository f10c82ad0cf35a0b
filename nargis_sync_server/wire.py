"""The wire format both sides share: the only module of the server that the desktop imports.

Every model refuses unknown fields, and every list and string has an upper bound, so a
malformed or oversized request fails validation before anything is stored.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MAX_BATCH_CHANGES = 500
# One change may hold a long journal entry: the store refuses a change whose fields are over
# 512 KiB of JSON at write time, which seals to well under this many base64 characters.
MAX_CIPHERTEXT_CHARS = 1_048_576
MAX_PULL_CHANGES = 1_000
# A pull page stops growing once its ciphertext passes this many characters (it always holds one).
MAX_PULL_CHARS = 2 * 1024 * 1024
# A client packs a push batch up to this many ciphertext characters; the server's default body
# limit (4 MiB) leaves room for the JSON around them, and a smaller limit makes the client halve.
MAX_PUSH_CHARS = 2 * 1024 * 1024
DEVICE_ID = r"^[0-9a-f]{8,32}$"
# `HlcTimestamp.encode()`: 13-digit wall ms, 6-digit counter, device id; sorts like the clock.
HLC = r"^[0-9]{13}-[0-9]{6}-[0-9a-f]{8,32}$"
CHANGE_ID = r"^[0-9a-f]{8,32}-[0-9]{1,12}$"
TOKEN = r"^[A-Za-z0-9_-]{20,100}$"


def _printable(text: str) -> str:
    """NUL and other control characters have no place in a name or an address (PostgreSQL refuses NUL)."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise ValueError("control characters are not allowed")
    return text


def _no_nul(text: str) -> str:
    if "\x00" in text or any(unicodedata.category(ch) == "Cs" for ch in text):
        raise ValueError("NUL and unpaired surrogates are not allowed")
    return text


PrintableText = Annotated[str, AfterValidator(_printable)]
PasswordText = Annotated[str, AfterValidator(_no_nul)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EncryptedChange(Strict):
    """One field-level change as the server sees it: ids, clock and opaque ciphertext."""

    change_id: str = Field(pattern=CHANGE_ID, description="device id and the device's local sequence")
    device_id: str = Field(pattern=DEVICE_ID)
    hlc: str = Field(pattern=HLC)
    ciphertext: str = Field(min_length=16, max_length=MAX_CIPHERTEXT_CHARS, pattern=r"^[A-Za-z0-9_=-]+$")


class PushRequest(Strict):
    batch_id: str = Field(pattern=r"^[0-9a-f]{32}$", description="client-generated; a retry reuses it")
    changes: list[EncryptedChange] = Field(min_length=1, max_length=MAX_BATCH_CHANGES)


class PushResponse(Strict):
    stored: int
    duplicates: int
    cursor: int


class StoredChange(Strict):
    seq: int
    change: EncryptedChange


class PullResponse(Strict):
    changes: list[StoredChange]
    cursor: int
    more: bool


class Credentials(Strict):
    email: PrintableText = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    password: PasswordText = Field(min_length=8, max_length=1024)
    device_id: str = Field(pattern=DEVICE_ID)
    device_name: PrintableText = Field(default="", max_length=100)


class RegisterRequest(Credentials):
    key_check: str = Field(
        min_length=16,
        max_length=1024,
        pattern=r"^[A-Za-z0-9_=-]+$",
        description="a fixed text encrypted with the sync key; the server keeps it opaque",
    )


class SuccessorRequest(Strict):
    """A restored or copied store continues as a new device of the same account (a new device epoch)."""

    device_id: str = Field(pattern=DEVICE_ID)
    device_name: PrintableText = Field(default="", max_length=100)


class RefreshRequest(Strict):
    refresh_token: str = Field(pattern=TOKEN)


class TokenResponse(Strict):
    access_token: str
    refresh_token: str
    expires_in_s: int
    key_check: str


class DeviceInfo(Strict):
    device_id: str
    name: str
    created_at: str
    revoked: bool


class DeviceList(Strict):
    devices: list[DeviceInfo]


class Problem(Strict):
    code: str
    message: str


class Health(Strict):
    status: str
    database: str
