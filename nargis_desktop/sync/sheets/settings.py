"""Sheets sync settings: the write budget, retries and batch sizes."""

from __future__ import annotations

from dataclasses import dataclass

GOOGLE_WRITES_PER_MINUTE = 60


@dataclass(frozen=True)
class SheetsSettings:
    # A token bucket: at most `burst_writes + writes_per_minute` writes in any 60 s, kept under Google's 60.
    writes_per_minute: float = 45.0
    burst_writes: int = 10
    max_attempts: int = 7
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 64.0
    rows_per_write: int = 1000  # one batchUpdate carries at most this many rows (Google advises < 2 MB)
    timeout_s: float = 30.0
    spreadsheet_title: str = "Nargis"

    def __post_init__(self) -> None:
        if self.burst_writes + self.writes_per_minute >= GOOGLE_WRITES_PER_MINUTE:
            raise ValueError("the write budget must stay under Google's 60 writes per minute")
        if self.max_attempts < 1 or self.rows_per_write < 1:
            raise ValueError("at least one attempt and one row per write")
