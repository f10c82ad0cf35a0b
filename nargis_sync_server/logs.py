"""Structured logs: one JSON object per line, with ids and timings but never a request body."""

from __future__ import annotations

import json
import logging
import time
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, separators=(",", ":"))


def configure(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("nargis_sync_server")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def request_logged(logger: logging.Logger, method: str, route: str, status: int, started: float, **ids: Any) -> None:
    fields = {
        "method": method,
        "route": route,
        "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    logger.info("request", extra={"fields": {**fields, **ids}})
