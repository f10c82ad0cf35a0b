"""Accounts, devices and tokens: Argon2id passwords, short-lived access tokens and rotating refresh
tokens. A refresh token is good once; using it twice means it was stolen, so its family dies --
unless the second use follows the first within `refresh_grace_s` (two syncs of one device racing)."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from nargis_sync_server.db import Database, Transaction
from nargis_sync_server.errors import ApiError, unauthorized
from nargis_sync_server.limits import HashingPool
from nargis_sync_server.settings import ServerSettings
from nargis_sync_server.wire import Credentials, DeviceInfo, RegisterRequest, SuccessorRequest, TokenResponse


@dataclass(frozen=True)
class Caller:
    """Who a request speaks for: every query is scoped to `user_id`."""

    user_id: int
    device_pk: int
    device_id: str
    family: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Accounts:
    def __init__(self, db: Database, settings: ServerSettings) -> None:
        self._db = db
        self._settings = settings
        self._hasher = PasswordHasher(
            time_cost=settings.password_time_cost, memory_cost=settings.password_memory_kib, parallelism=1
        )
        self._pool = HashingPool(settings.password_hash_workers, settings.password_hash_queue)
        # Unknown emails still pay for one verification, so timing does not tell which accounts exist.
        self._dummy_hash = self._hasher.hash(secrets.token_hex(16))

    def close(self) -> None:
        self._pool.close()

    def register(self, request: RegisterRequest) -> TokenResponse:
        password_hash = self._pool.run(lambda: self._hasher.hash(request.password))
        with self._db.transaction() as tx:
            # ON CONFLICT, not a check first: two sign-ups racing for one email get one 409, not a 500.
            row = tx.one(
                "INSERT INTO users (email, password_hash, key_check, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (email) DO NOTHING RETURNING id",
                (request.email.lower(), password_hash, request.key_check, _now_iso()),
            )
            if row is None:
                raise ApiError(409, "account-exists", "an account with this email exists; log in instead")
            return self._start_session(tx, int(row[0]), request)

    def login(self, request: Credentials) -> TokenResponse:
        with self._db.transaction() as tx:
            row = tx.one("SELECT id, password_hash FROM users WHERE email = ?", (request.email.lower(),))
        if not self._pool.run(lambda: self._verify(row[1] if row else self._dummy_hash, request.password)):
            row = None
        if row is None:
            raise unauthorized("bad-credentials", "wrong email or password")
        with self._db.transaction() as tx:
            return self._start_session(tx, int(row[0]), request)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def _check_device_cap(self, tx: Transaction, user_id: int, device_id: str) -> None:
        known = tx.one("SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?", (user_id, device_id))
        if known is not None:
            return
        active = tx.one("SELECT count(*) FROM devices WHERE user_id = ? AND revoked = 0", (user_id,))[0]
        if int(active) >= self._settings.max_devices_per_account:
            raise ApiError(
                403,
                "device-limit",
                f"this account has {self._settings.max_devices_per_account} devices, the most it may have; "
                "remove one you no longer use first",
            )

    def _start_session(self, tx: Transaction, user_id: int, request: Credentials) -> TokenResponse:
        self._check_device_cap(tx, user_id, request.device_id)
        # A password login proves ownership, so it also brings back a device that was revoked.
        device = tx.one(
            "INSERT INTO devices (user_id, device_id, name, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id, device_id) DO UPDATE SET revoked = 0, name = excluded.name RETURNING id",
            (user_id, request.device_id, request.device_name, _now_iso()),
        )
        # Its earlier sessions end here, so tokens of a revoked device never come back to life.
        tx.execute("DELETE FROM tokens WHERE device_pk = ?", (device[0],))
        return self._issue(tx, user_id, int(device[0]), secrets.token_hex(16))

    def _issue(self, tx: Transaction, user_id: int, device_pk: int, family: str) -> TokenResponse:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = int(time.time())
        for token, kind, ttl in (
            (access, "access", self._settings.access_token_ttl_s),
            (refresh, "refresh", self._settings.refresh_token_ttl_s),
        ):
            tx.execute(
                "INSERT INTO tokens (hash, kind, user_id, device_pk, family, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (_digest(token), kind, user_id, device_pk, family, now + ttl),
            )
        key_check = tx.one("SELECT key_check FROM users WHERE id = ?", (user_id,))[0]
        return TokenResponse(
            access_token=access,
            refresh_token=refresh,
            expires_in_s=self._settings.access_token_ttl_s,
            key_check=key_check,
        )

    def refresh(self, refresh_token: str) -> TokenResponse:
        with self._db.transaction() as tx:
            row = tx.one(
                "SELECT t.user_id, t.device_pk, t.family, t.expires_at, t.used, d.revoked FROM tokens t "
                "JOIN devices d ON d.id = t.device_pk WHERE t.hash = ? AND t.kind = 'refresh'",
                (_digest(refresh_token),),
            )
            if row is None:
                raise unauthorized("bad-refresh-token", "this session has ended; log in again")
            user_id, device_pk, family, expires_at, used, revoked = row
            if revoked:
                raise unauthorized("device-revoked", "this device was removed from the account; log in again")
            now = int(time.time())
            # `used` holds when the token was first used (older servers wrote 1: long ago).
            in_grace = used and now - int(used) < self._settings.refresh_grace_s
            if used and not in_grace:
                tx.execute("DELETE FROM tokens WHERE family = ?", (family,))
                reused = True
            else:
                reused = False
                if not used:
                    tx.execute("UPDATE tokens SET used = ? WHERE hash = ?", (now, _digest(refresh_token)))
                if expires_at > now:
                    return self._issue(tx, int(user_id), int(device_pk), family)
        if reused:
            raise unauthorized("refresh-reused", "a refresh token was used twice; every session of it is closed")
        raise unauthorized("bad-refresh-token", "this session has expired; log in again")

    def authenticate(self, access_token: str) -> Caller:
        with self._db.transaction() as tx:
            row = tx.one(
                "SELECT t.user_id, t.device_pk, d.device_id, t.family, t.expires_at, d.revoked FROM tokens t "
                "JOIN devices d ON d.id = t.device_pk WHERE t.hash = ? AND t.kind = 'access'",
                (_digest(access_token),),
            )
        if row is None or row[4] <= time.time():
            raise unauthorized("bad-token", "the access token is unknown or expired; refresh it")
        if row[5]:
            raise unauthorized("device-revoked", "this device was removed from the account")
        return Caller(int(row[0]), int(row[1]), str(row[2]), str(row[3]))

    def session_alive(self, access_token: str) -> bool:
        """The token's session was not ended (logout, theft) and its device not removed; expiry aside."""
        with self._db.transaction() as tx:
            row = tx.one(
                "SELECT d.revoked FROM tokens t JOIN devices d ON d.id = t.device_pk "
                "WHERE t.hash = ? AND t.kind = 'access'",
                (_digest(access_token),),
            )
        return row is not None and not row[0]

    def logout(self, caller: Caller) -> None:
        with self._db.transaction() as tx:
            tx.execute("DELETE FROM tokens WHERE family = ? AND user_id = ?", (caller.family, caller.user_id))

    def devices(self, caller: Caller) -> list[DeviceInfo]:
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT device_id, name, created_at, revoked FROM devices WHERE user_id = ? ORDER BY id",
                (caller.user_id,),
            ).fetchall()
        return [DeviceInfo(device_id=r[0], name=r[1], created_at=r[2], revoked=bool(r[3])) for r in rows]

    def successor(self, caller: Caller, request: SuccessorRequest) -> TokenResponse:
        """A restored (or copied) store continues as a new device: its own id, so no change id repeats.

        The caller's session stays valid: if the store was copied, the original keeps syncing.
        """
        with self._db.transaction() as tx:
            self._check_device_cap(tx, caller.user_id, request.device_id)
            name = request.device_name or tx.one("SELECT name FROM devices WHERE id = ?", (caller.device_pk,))[0]
            # Two processes of the restored store may both ask (the app and the command line): the
            # second gets a session of its own for the same new device. A removed device stays removed.
            device = tx.one(
                "INSERT INTO devices (user_id, device_id, name, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id, device_id) DO UPDATE SET name = devices.name RETURNING id, revoked",
                (caller.user_id, request.device_id, name, _now_iso()),
            )
            if device[1]:
                raise unauthorized("device-revoked", "this device was removed from the account; log in again")
            return self._issue(tx, caller.user_id, int(device[0]), secrets.token_hex(16))

    def revoke(self, caller: Caller, device_id: str) -> None:
        with self._db.transaction() as tx:
            row = tx.one(
                "UPDATE devices SET revoked = 1 WHERE user_id = ? AND device_id = ? RETURNING id",
                (caller.user_id, device_id),
            )
            if row is None:  # same answer whether it is another person's device or none at all
                raise ApiError(404, "no-such-device", "no device with this id on your account")
