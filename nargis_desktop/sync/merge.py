"""Between the store's change log and the wire: encrypt outgoing changes, check and decrypt incoming ones.

Nothing from a pulled batch is applied unless every change in it decrypts and its clock is
within `max_skew_ms` of this device's wall clock: one bad change refuses the whole batch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from nargis_desktop.errors import SyncClockError, SyncProtocolError
from nargis_desktop.store.hlc import HlcTimestamp
from nargis_desktop.store.sync_state import Change
from nargis_desktop.sync.crypto import SyncKey
from nargis_sync_server.wire import EncryptedChange

MAX_SKEW_MS = 60 * 60 * 1000  # as Actual does: an hour apart means a wrong clock, not a slow network


def _associated(change_id: str, device_id: str, hlc: str) -> bytes:
    return f"{change_id}|{device_id}|{hlc}".encode()


def seal(change: Change, key: SyncKey) -> EncryptedChange:
    payload = {"e": change.entity, "i": change.entity_id, "f": change.fields, "b": change.bases}
    plaintext = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    ciphertext = key.encrypt(plaintext, _associated(change.change_id, change.device_id, change.hlc))
    return EncryptedChange(
        change_id=change.change_id, device_id=change.device_id, hlc=change.hlc, ciphertext=ciphertext
    )


def open_sealed(sealed: EncryptedChange, key: SyncKey) -> Change:
    plaintext = key.decrypt(sealed.ciphertext, _associated(sealed.change_id, sealed.device_id, sealed.hlc))
    try:
        payload = json.loads(plaintext)
        bases = payload["b"]
        return Change(
            change_id=sealed.change_id,
            entity=str(payload["e"]),
            entity_id=str(payload["i"]),
            fields=dict(payload["f"]),
            hlc=sealed.hlc,
            device_id=sealed.device_id,
            bases=None if bases is None else tuple(str(b) for b in bases),
        )
    except (ValueError, KeyError, TypeError) as err:
        raise SyncProtocolError(f"change {sealed.change_id} decrypted but is not a Nargis change") from err


def open_batch(
    batch: Sequence[EncryptedChange], key: SyncKey, now_ms: int | None = None, max_skew_ms: int = MAX_SKEW_MS
) -> list[Change]:
    """All or nothing: a wrong key or a clock far in the future refuses the batch."""
    now_ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    for sealed in batch:
        ahead_ms = HlcTimestamp.decode(sealed.hlc).wall_ms - now_ms
        if ahead_ms > max_skew_ms:
            raise SyncClockError(
                f"device {sealed.device_id} wrote a change {ahead_ms // 60_000} minutes in this device's future; "
                "check the date and time on both devices (nothing was applied)"
            )
    return [open_sealed(sealed, key) for sealed in batch]
