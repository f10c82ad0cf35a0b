"""The few Sheets calls the sync makes, through gspread's HTTP client, with a write budget and retries.

Reads are retried on 429, 5xx and dropped connections. Writes are retried on 429 (Google has
applied nothing). A 5xx or a dropped connection leaves a write uncertain: one that only sets
cells is simply sent again, but repeating a row append or delete is not safe, so the run stops
there and the next run reconciles by row id.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from nargis_desktop.errors import SheetsError, SheetsOfflineError
from nargis_desktop.sync.sheets.budget import WriteBudget
from nargis_desktop.sync.sheets.settings import SheetsSettings

_LOGGER = logging.getLogger(__name__)
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
_RETRIED_STATUSES = {429, 500, 502, 503, 504}
_REPEATABLE_REQUESTS = {"updateCells", "updateDimensionProperties", "updateSheetProperties"}  # same result twice


def redirect_to(base_url: str, session: requests.Session) -> requests.Session:
    """Send `session`'s Google requests to `base_url` instead (a test server); the rest of it is unchanged."""
    original = session.request

    def request(method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        for host in GOOGLE_HOSTS:
            if text.startswith(host):
                text = base_url.rstrip("/") + text[len(host) :]
        return original(method if isinstance(method, str) else method.decode(), text, *args, **kwargs)

    session.request = request  # type: ignore[method-assign]
    return session


@dataclass
class RequestCounts:
    reads: int = 0
    writes: int = 0
    retries: int = 0

    def __sub__(self, other: RequestCounts) -> RequestCounts:
        return RequestCounts(self.reads - other.reads, self.writes - other.writes, self.retries - other.retries)


@dataclass
class SheetsApi:
    """One spreadsheet's calls. `sleep`, `clock` and `rng` are injected so tests never really wait."""

    http: HTTPClient
    settings: SheetsSettings
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    rng: random.Random = field(default_factory=random.Random)
    counts: RequestCounts = field(default_factory=RequestCounts)

    def __post_init__(self) -> None:
        self.http.set_timeout(self.settings.timeout_s)
        self.budget = WriteBudget(self.settings.writes_per_minute, self.settings.burst_writes, self.clock, self.sleep)

    # Calls ----------------------------------------------------------------------------------
    def create_spreadsheet(self, title: str) -> str:
        from gspread.urls import DRIVE_FILES_API_V3_URL

        payload = {"name": title, "mimeType": "application/vnd.google-apps.spreadsheet"}
        response = self._call(
            lambda: self.http.request("post", DRIVE_FILES_API_V3_URL, json=payload, params={"supportsAllDrives": True}),
            write=True,
        )
        return str(response.json()["id"])

    def metadata(self, spreadsheet_id: str) -> Mapping[str, Any]:
        return self._call(lambda: self.http.fetch_sheet_metadata(spreadsheet_id), write=False)  # type: ignore[no-any-return]

    def read_ranges(self, spreadsheet_id: str, ranges: list[str]) -> list[list[list[str]]]:
        """All ranges in one request; each as rows of cell texts (as the sheet shows them)."""
        answer = self._call(lambda: self.http.values_batch_get(spreadsheet_id, list(ranges)), write=False)
        return [[[str(v) for v in row] for row in vr.get("values", [])] for vr in answer.get("valueRanges", [])]

    def batch_update(self, spreadsheet_id: str, requests_: list[dict[str, Any]]) -> Any:
        repeatable = all(set(r) <= _REPEATABLE_REQUESTS for r in requests_)
        return self._call(
            lambda: self.http.batch_update(spreadsheet_id, {"requests": requests_}), write=True, repeatable=repeatable
        )

    # Retries --------------------------------------------------------------------------------
    def _call(self, send: Callable[[], Any], *, write: bool, repeatable: bool = False) -> Any:
        last: BaseException | None = None
        for attempt in range(self.settings.max_attempts):
            if attempt:
                self.counts.retries += 1
                self.sleep(self._backoff_s(attempt))
            if write:
                self.budget.take()
                self.counts.writes += 1
            else:
                self.counts.reads += 1
            try:
                return send()
            except APIError as err:
                status = err.response.status_code
                if status not in _RETRIED_STATUSES:
                    raise SheetsError(f"Google Sheets refused the request: {err}", code="sheets-rejected") from err
                if write and status != 429 and not repeatable:
                    raise SheetsOfflineError(
                        f"Google Sheets failed during a write ({status}); the next sync picks up from there",
                        code="sheets-write-interrupted",
                    ) from err
                _LOGGER.info("Sheets answered %d; retrying", status)
                last = err
            except requests.RequestException as err:
                if write and not repeatable:
                    raise SheetsOfflineError(
                        "the connection to Google Sheets dropped during a write; the next sync picks up from there",
                        code="sheets-write-interrupted",
                    ) from err
                _LOGGER.info("Sheets not reachable (%s); retrying", err)
                last = err
        if isinstance(last, APIError):
            raise SheetsError(
                f"Google Sheets is busy or failing ({last.response.status_code}); local changes wait for the next sync",
                code="sheets-unavailable",
            ) from last
        raise SheetsOfflineError("Google Sheets cannot be reached; local changes wait for the next sync") from last

    def _backoff_s(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half the step fixed, half random (AWS architecture blog, 2015)."""
        ceiling = min(self.settings.backoff_cap_s, self.settings.backoff_base_s * 2 ** (attempt - 1))
        return self.rng.uniform(ceiling / 2, ceiling)
