"""Server settings: one frozen dataclass, read from the command line or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ServerSettings:
    database_url: str = "sqlite:///nargis-sync.db"
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 60 * 60 * 24 * 60
    max_body_bytes: int = 4 * 1024 * 1024
    login_attempts_per_minute: int = 10
    pushes_per_minute: int = 600
    max_clock_ahead_ms: int = 60 * 60 * 1000
    # Argon2id cost for account passwords; tests lower it, production keeps the OWASP minimum or more.
    password_memory_kib: int = 19_456
    password_time_cost: int = 2

    def __post_init__(self) -> None:
        if not self.database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("database_url must start with sqlite:/// or postgresql://")
        if self.max_body_bytes < 1024 or self.access_token_ttl_s < 1:
            raise ValueError("limits must be positive")

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
