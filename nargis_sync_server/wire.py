"""The wire format both sides share: the only module of the server that the desktop imports.

Every model refuses unknown fields, and every list and string has an upper bound, so a
malformed or oversized request fails validation before anything is stored.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_BATCH_CHANGES = 500
MAX_CIPHERTEXT_CHARS = 65_536
MAX_PULL_CHANGES = 1_000
DEVICE_ID = r"^[0-9a-f]{8,32}$"
# `HlcTimestamp.encode()`: 13-digit wall ms, 6-digit counter, device id; sorts like the clock.
HLC = r"^[0-9]{13}-[0-9]{6}-[0-9a-f]{8,32}$"
CHANGE_ID = r"^[0-9a-f]{8,32}-[0-9]{1,12}$"
TOKEN = r"^[A-Za-z0-9_-]{20,100}$"


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
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=8, max_length=1024)
    device_id: str = Field(pattern=DEVICE_ID)
    device_name: str = Field(default="", max_length=100)


class RegisterRequest(Credentials):
    key_check: str = Field(
        min_length=16,
        max_length=1024,
        description="a fixed text encrypted with the sync key; the server keeps it opaque",
    )


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
