"""The moment the tests call now, shared so every test reads the same clock: Wednesday
25 November 2026, 09:30. A test that needs another moment names it for what it is."""

from __future__ import annotations

from datetime import datetime

NOW = datetime(2026, 11, 25, 9, 30)  # a Wednesday morning
NOW_TEXT = NOW.isoformat(timespec="minutes")  # "2026-11-25T09:30", as `--now` takes it
