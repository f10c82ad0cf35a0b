"""Between the store's change log and the wire: encrypt outgoing changes, check and decrypt incoming ones.

A pulled change that does not decrypt or is not a well-formed Nargis change is set aside
(quarantined) and the rest of the batch applies: anyone with the account password can push
such a change, so it must not stop sync. Every device checked the recovery phrase against the
account's key check when it joined, so "does not decrypt" means a foreign writer, not a wrong key.
A clock far in this device's future still refuses the batch: that is this device's clock to fix.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from nargis_desktop.errors import SyncClockError, SyncKeyError, SyncProtocolError
from nargis_desktop.store.hlc import HlcTimestamp
from nargis_desktop.store.sync_state import Change, check_change
from nargis_desktop.sync.crypto import SyncKey
from nargis_sync_server.wire import MAX_CIPHERTEXT_CHARS, EncryptedChange

MAX_SKEW_MS = 60 * 60 * 1000  # as Actual does: an hour apart means a wrong clock, not a slow network


def _associated(change_id: str, device_id: str, hlc: str) -> bytes:
    return f"{change_id}|{device_id}|{hlc}".encode()


def seal(change: Change, key: SyncKey) -> EncryptedChange:
    payload = {"e": change.entity, "i": change.entity_id, "f": change.fields, "b": change.bases}
    # Unpaired surrogates (older stores) pass as escapes rather than stopping the push.
    # Non-ASCII as UTF-8, not \u escapes: a journal entry in Persian would otherwise grow six-fold.
    plaintext = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode(
        "utf-8", "backslashreplace"
    )
    ciphertext = key.encrypt(plaintext, _associated(change.change_id, change.device_id, change.hlc))
    if len(ciphertext) > MAX_CIPHERTEXT_CHARS:  # written before the store refused items this large
        raise SyncProtocolError(
            f"a {change.entity} change is too large to sync ({len(plaintext) // 1024} KB); "
            "shorten that item and sync again",
            code="sync-change-too-large",
        )
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
    except (ValueError, KeyError, TypeError, RecursionError) as err:
        raise SyncProtocolError(f"change {sealed.change_id} decrypted but is not a Nargis change") from err


@dataclass(frozen=True)
class OpenedBatch:
    changes: list[Change]
    set_aside: list[tuple[EncryptedChange, str]] = field(default_factory=list)  # with the reason


def open_batch(
    batch: Sequence[EncryptedChange], key: SyncKey, now_ms: int | None = None, max_skew_ms: int = MAX_SKEW_MS
) -> OpenedBatch:
    """Every change that decrypts and is well formed; the others set aside with the reason.

    A clock far in the future refuses the whole batch (this device's clock is likely wrong).
    """
    now_ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    for sealed in batch:
        ahead_ms = HlcTimestamp.decode(sealed.hlc).wall_ms - now_ms
        if ahead_ms > max_skew_ms:
            raise SyncClockError(
                f"device {sealed.device_id} wrote a change {ahead_ms // 60_000} minutes in this device's future; "
                "check the date and time on both devices (nothing was applied)"
            )
    opened = OpenedBatch([])
    for sealed in batch:
        try:
            change = open_sealed(sealed, key)
            check_change(change)
        except SyncKeyError:
            opened.set_aside.append((sealed, "does not decrypt with the account's sync key"))
        except SyncProtocolError as err:
            opened.set_aside.append((sealed, err.message))
        else:
            opened.changes.append(change)
    return opened
