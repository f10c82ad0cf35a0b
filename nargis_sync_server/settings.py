"""Server settings: one frozen dataclass, read from the command line or the environment."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ServerSettings:
    database_url: str = "sqlite:///nargis-sync.db"
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 60 * 60 * 24 * 60
    max_body_bytes: int = 4 * 1024 * 1024
    # Logins per account from one client address; an address's logins and sign-ups over all accounts;
    # one account's logins from all addresses together (so a crowd cannot lock the owner out cheaply).
    login_attempts_per_minute: int = 10
    address_attempts_per_minute: int = 30
    account_attempts_per_minute: int = 100
    pushes_per_minute: int = 600
    # Addresses (or networks, comma-separated) of reverse proxies whose X-Forwarded-For is believed;
    # empty: the header is ignored and the peer's own address counts.
    trusted_proxies: str = ""
    # Password hashing runs on this many threads at once; this many more may wait, the rest get 503.
    password_hash_workers: int = 1
    password_hash_queue: int = 8
    max_devices_per_account: int = 20
    max_account_bytes: int = 512 * 1024 * 1024
    # A refresh token used again this soon after its first use is a race of two syncs, not a theft.
    refresh_grace_s: int = 30
    max_clock_ahead_ms: int = 60 * 60 * 1000
    # Argon2id cost for account passwords; tests lower it, production keeps the OWASP minimum or more.
    password_memory_kib: int = 19_456
    password_time_cost: int = 2

    def __post_init__(self) -> None:
        if not self.database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("database_url must start with sqlite:/// or postgresql://")
        if self.max_body_bytes < 1024 or self.access_token_ttl_s < 1:
            raise ValueError("limits must be positive")
        if self.password_hash_workers < 1 or self.password_hash_queue < 0 or self.max_devices_per_account < 1:
            raise ValueError("password_hash_workers and max_devices_per_account must be at least 1")
        self.proxy_networks()  # a typo in a proxy address fails at start, not on the first request

    def proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False) for part in self.trusted_proxies.split(",") if part.strip()
        )

    @classmethod
    def from_environment(cls, **overrides: object) -> ServerSettings:
        """NARGIS_SYNC_<FIELD> for any field, e.g. NARGIS_SYNC_DATABASE_URL, NARGIS_SYNC_PUSHES_PER_MINUTE."""
        values: dict[str, object] = {}
        for item in fields(cls):
            text = os.environ.get(f"NARGIS_SYNC_{item.name.upper()}")
            if text:
                values[item.name] = text if item.type == "str" else int(text)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
