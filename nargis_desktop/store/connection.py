"""Opening a SQLCipher file with a raw 32-byte key, and telling a wrong key from a bad file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from nargis_desktop.errors import NotAStoreError, StoreError, WrongKeyError

_LOGGER = logging.getLogger(__name__)
PAGE_SIZE_BYTES = 4096
_PLAIN_SQLITE_MAGIC = b"SQLite format 3\x00"
KEY_LENGTH_BYTES = 32
BUSY_TIMEOUT_MS = 10_000


def connect(path: Path | str, key: bytes) -> Any:
    """An open, keyed, verified SQLCipher connection in autocommit mode.

    The key goes in as a raw hex key (no SQLCipher PBKDF2: the key is already random or
    Argon2-derived), as the very first statement on the connection.
    """
    import sqlcipher3

    if len(key) != KEY_LENGTH_BYTES:
        raise StoreError(f"the store key must be {KEY_LENGTH_BYTES} bytes", code="store-bad-key-length")
    path = Path(path)
    if path.exists() and path.stat().st_size == 0:
        # Not a new store: something created the file and wrote nothing (a copy that did not finish?).
        raise StoreError(
            f"the store file {path} is empty (0 bytes): it holds no data. Restore a backup with "
            "`nargis restore FILE`, or move the empty file away to start a new store",
            code="store-empty",
        )
    existed = path.exists()
    if existed:
        _reject_foreign_file(path)
    try:
        conn = sqlcipher3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlcipher3.Error as err:
        raise StoreError(f"cannot open the store {path}: {err}", code="store-open-failed") from err
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, not as C log lines
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as err:
        damaged = _damaged_not_wrong_key(conn, path)
        conn.close()
        if damaged:
            raise StoreError(
                f"the store {path} is damaged ({damaged}); restore a backup with `nargis restore FILE`",
                code="store-damaged",
            ) from err
        raise WrongKeyError("cannot open the store: wrong key") from err
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _damaged_not_wrong_key(conn: Any, path: Path) -> str | None:
    """Under a wrong key no page checks out; in a damaged file only some fail. Which pages, or None."""
    try:
        failed = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
    except Exception:  # sqlcipher3.Error: cannot even tell; "wrong key" is the likelier story
        return None
    pages = max(1, path.stat().st_size // PAGE_SIZE_BYTES)
    if not failed or len(failed) >= pages:
        return None
    return f"{len(failed)} of {pages} pages fail their check, first: {failed[0]}"


def _reject_foreign_file(path: Path) -> None:
    """A plain SQLite file or one that is not whole pages is no Nargis store; say so, not 'wrong key'."""
    with path.open("rb") as handle:
        head = handle.read(len(_PLAIN_SQLITE_MAGIC))
    if head == _PLAIN_SQLITE_MAGIC:
        raise NotAStoreError(f"{path} is a plain, unencrypted SQLite file, not a Nargis store")
    if path.stat().st_size % PAGE_SIZE_BYTES:
        raise NotAStoreError(f"{path} is not a Nargis store, or it is damaged (its size is not whole pages)")
