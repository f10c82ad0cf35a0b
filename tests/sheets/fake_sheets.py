"""A fake Google Sheets v4 (and Drive file-create) server on 127.0.0.1, with fault injection.

It implements what Nargis's Sheets adapter and gspread use: Drive `files.create` for new
spreadsheets, `spreadsheets.get`, `values` get/batchGet/update/batchUpdate/append/clear/batchClear and
`spreadsheets:batchUpdate` (addSheet, deleteSheet, updateSheetProperties,
updateDimensionProperties, updateCells, appendCells, deleteDimension). Cells hold strings, as
FORMATTED_VALUE shows them. Faults: 429 and 500 on a chosen share of requests, dropped
connections (before or after the request is applied), and edits "by another user" run before
a chosen request. Every request is logged with the time of an injectable clock, so tests can
count writes per minute.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26


@dataclass
class FakeSheet:
    sheet_id: int
    title: str
    index: int
    row_count: int = DEFAULT_ROWS
    column_count: int = DEFAULT_COLUMNS
    frozen_rows: int = 0
    hidden_columns: set[int] = field(default_factory=set)
    rows: list[list[str]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> str:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def set_cell(self, row: int, col: int, value: str) -> None:
        if row >= self.row_count or col >= self.column_count:
            raise ApiFailureError(400, f"Range ({self.title}!R{row + 1}C{col + 1}) exceeds grid limits")
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        while len(line) <= col:
            line.append("")
        line[col] = value

    def used_rows(self) -> int:
        """Rows up to the last one with any content (what `append` finds as the table's end)."""
        last = 0
        for number, line in enumerate(self.rows, start=1):
            if any(line):
                last = number
        return last

    def properties(self) -> dict[str, Any]:
        return {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": {
                "rowCount": self.row_count,
                "columnCount": self.column_count,
                "frozenRowCount": self.frozen_rows,
            },
        }


@dataclass
class FakeSpreadsheet:
    spreadsheet_id: str
    title: str
    sheets: list[FakeSheet] = field(default_factory=list)

    def sheet(self, title: str) -> FakeSheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise ApiFailureError(400, f"Unable to parse range: {title}")

    def sheet_by_id(self, sheet_id: int) -> FakeSheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise ApiFailureError(400, f"No grid with id: {sheet_id}")


class ApiFailureError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class LoggedRequest:
    at_s: float
    method: str
    path: str
    is_write: bool
    status: int  # 0 = the connection was dropped


@dataclass
class Faults:
    """Shares of requests that fail; `rng` makes a run reproducible."""

    share_429: float = 0.0
    share_500: float = 0.0
    share_dropped: float = 0.0
    drop_after_applying_share: float = 0.5  # a dropped write may or may not have been applied
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    # Request number (1-based, over the server's life) → fault name ("429", "500", "drop", "drop-after").
    scripted: dict[int, str] = field(default_factory=dict)


_A1 = re.compile(r"^([A-Z]*)(\d*)$")


def column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_a1(text: str) -> tuple[str, int, int, int | None, int | None]:
    """'Tasks'!A2:C → (title, first row, first col, last row or None, last col or None), 0-based."""
    if "!" in text:
        title, cells = text.rsplit("!", 1)
    else:
        title, cells = text, ""
    if title.startswith("'") and title.endswith("'"):
        title = title[1:-1].replace("''", "'")
    if not cells:
        return title, 0, 0, None, None
    start, _, end = cells.partition(":")
    m1, m2 = _A1.match(start.upper()), _A1.match((end or start).upper())
    if not m1 or not m2:
        raise ApiFailureError(400, f"Unable to parse range: {text}")
    first_col = column_index(m1.group(1)) if m1.group(1) else 0
    first_row = int(m1.group(2)) - 1 if m1.group(2) else 0
    last_col = column_index(m2.group(1)) if m2.group(1) else None
    last_row = int(m2.group(2)) - 1 if m2.group(2) else None
    return title, first_row, first_col, last_row, last_col


def _cell_text(value: dict[str, Any]) -> str:
    entered = value.get("userEnteredValue") or {}
    if "stringValue" in entered:
        return str(entered["stringValue"])
    if "boolValue" in entered:
        return "TRUE" if entered["boolValue"] else "FALSE"
    if "numberValue" in entered:
        number = entered["numberValue"]
        return str(int(number)) if float(number).is_integer() else str(number)
    return ""


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if value is None:
        return ""
    return str(value)


class FakeSheetsServer:
    """Start with `with FakeSheetsServer() as fake:`; point clients at `fake.base_url`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, faults: Faults | None = None) -> None:
        self.clock = clock
        self.faults = faults or Faults()
        self.spreadsheets: dict[str, FakeSpreadsheet] = {}
        self.log: list[LoggedRequest] = []
        self.lock = threading.RLock()
        # Request number → edits "by another user" run just before that request is handled.
        self.edits_before: dict[int, list[Callable[[FakeSheetsServer], None]]] = {}
        self._requests_seen = 0
        self._next_sheet_id = 1000
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-sheets", daemon=True
        )

    # Life --------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeSheetsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeSheetsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # What tests look at ---------------------------------------------------------------------
    @property
    def requests_seen(self) -> int:
        return self._requests_seen

    def reads(self) -> int:
        return sum(1 for r in self.log if not r.is_write)

    def writes(self) -> int:
        return sum(1 for r in self.log if r.is_write)

    def max_writes_in_any_minute(self) -> int:
        times = sorted(r.at_s for r in self.log if r.is_write)
        best, start = 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= 60.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    def reset_log(self) -> None:
        with self.lock:
            self.log.clear()

    @contextmanager
    def paused_faults(self) -> Iterator[None]:
        saved = self.faults
        self.faults = Faults()
        try:
            yield
        finally:
            self.faults = saved

    # Edits "by another user" (1-based row numbers, as a person sees them) ----------------------
    def only_spreadsheet(self) -> FakeSpreadsheet:
        assert len(self.spreadsheets) == 1, self.spreadsheets.keys()
        return next(iter(self.spreadsheets.values()))

    def worksheet(self, title: str) -> FakeSheet:
        return self.only_spreadsheet().sheet(title)

    def values(self, title: str) -> list[list[str]]:
        with self.lock:
            sheet = self.worksheet(title)
            return [list(line) for line in sheet.rows[: sheet.used_rows()]]

    def set_cell(self, title: str, row: int, col: int, value: str) -> None:
        with self.lock:
            self.worksheet(title).set_cell(row - 1, col - 1, value)

    def append_row(self, title: str, values: list[str]) -> int:
        with self.lock:
            sheet = self.worksheet(title)
            row = sheet.used_rows()
            if row >= sheet.row_count:
                sheet.row_count = row + 1
            for col, value in enumerate(values):
                sheet.set_cell(row, col, value)
            return row + 1

    def delete_row(self, title: str, row: int) -> None:
        with self.lock:
            sheet = self.worksheet(title)
            if row - 1 < len(sheet.rows):
                del sheet.rows[row - 1]
            sheet.row_count -= 1

    def sort_rows(self, title: str, key: Callable[[list[str]], Any]) -> None:
        """Sort the data rows under the header, as the Data → Sort range menu does."""
        with self.lock:
            sheet = self.worksheet(title)
            used = sheet.rows[1 : sheet.used_rows()]
            sheet.rows[1 : sheet.used_rows()] = sorted(used, key=key)

    # Handling ---------------------------------------------------------------------------------
    def handle(self, method: str, raw_path: str, body: Any) -> tuple[int, Any] | str:
        """Returns (status, json) or "drop" / "drop-after" for a dropped connection."""
        with self.lock:
            self._requests_seen += 1
            number = self._requests_seen
            for edit in self.edits_before.pop(number, []):
                edit(self)
            is_write = method != "GET"
            fault = self.faults.scripted.get(number) or self._random_fault()
            if fault in ("429", "500", "drop"):
                status = {"429": 429, "500": 500, "drop": 0}[fault]
                self.log.append(LoggedRequest(self.clock(), method, raw_path, is_write, status))
                if fault == "drop":
                    return "drop"
                message = "Quota exceeded" if status == 429 else "Internal error"
                return status, {"error": {"code": status, "message": message, "status": "FAULT"}}
            try:
                result: tuple[int, Any] = (200, self._route(method, raw_path, body))
            except ApiFailureError as failure:
                result = (failure.status, {"error": {"code": failure.status, "message": failure.message}})
            self.log.append(LoggedRequest(self.clock(), method, raw_path, is_write, 0 if fault else result[0]))
            return "drop-after" if fault == "drop-after" else result

    def _random_fault(self) -> str | None:
        faults = self.faults
        roll = faults.rng.random()
        if roll < faults.share_429:
            return "429"
        roll -= faults.share_429
        if roll < faults.share_500:
            return "500"
        roll -= faults.share_500
        if roll < faults.share_dropped:
            return "drop-after" if faults.rng.random() < faults.drop_after_applying_share else "drop"
        return None

    def _route(self, method: str, raw_path: str, body: Any) -> Any:
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        if method == "POST" and path == "/drive/v3/files":
            return self._create(str(body.get("name", "Untitled")))
        match = re.match(r"^/v4/spreadsheets/([^/:]+)(.*)$", path)
        if not match:
            raise ApiFailureError(404, f"no such endpoint {path}")
        book = self.spreadsheets.get(match.group(1))
        if book is None:
            raise ApiFailureError(404, f"Requested entity was not found: {match.group(1)}")
        rest = match.group(2)
        if method == "GET" and rest == "":
            return self._metadata(book)
        if method == "POST" and rest == ":batchUpdate":
            return {"spreadsheetId": book.spreadsheet_id, "replies": [self._request(book, r) for r in body["requests"]]}
        if method == "GET" and rest == "/values:batchGet":
            return {
                "spreadsheetId": book.spreadsheet_id,
                "valueRanges": [self._get_range(book, r) for r in query.get("ranges", [])],
            }
        if method == "POST" and rest == "/values:batchUpdate":
            for data in body.get("data", []):
                self._put_range(book, data["range"], data.get("values", []))
            return {"spreadsheetId": book.spreadsheet_id, "totalUpdatedRows": len(body.get("data", []))}
        if method == "POST" and rest == "/values:batchClear":
            for a1 in body.get("ranges", []):
                self._clear(book, a1)
            return {"spreadsheetId": book.spreadsheet_id, "clearedRanges": body.get("ranges", [])}
        if rest.startswith("/values/"):
            quoted, _, action = rest[len("/values/") :].partition(":")  # the range's own colons come as %3A
            a1 = unquote(quoted)
            if method == "GET" and not action:
                return self._get_range(book, a1)
            if method == "PUT" and not action:
                self._put_range(book, a1, body.get("values", []))
                return {"spreadsheetId": book.spreadsheet_id, "updatedRange": a1}
            if method == "POST" and action == "append":
                return self._append(book, a1, body.get("values", []))
            if method == "POST" and action == "clear":
                self._clear(book, a1)
                return {"spreadsheetId": book.spreadsheet_id, "clearedRange": a1}
        raise ApiFailureError(404, f"no such endpoint {method} {path}")

    def _create(self, title: str) -> dict[str, Any]:
        book = FakeSpreadsheet(uuid.uuid4().hex, title, [FakeSheet(0, "Sheet1", 0)])
        self.spreadsheets[book.spreadsheet_id] = book
        return {"id": book.spreadsheet_id, "name": title, "mimeType": "application/vnd.google-apps.spreadsheet"}

    def _metadata(self, book: FakeSpreadsheet) -> dict[str, Any]:
        return {
            "spreadsheetId": book.spreadsheet_id,
            "properties": {"title": book.title, "locale": "en_US", "timeZone": "Etc/GMT"},
            "sheets": [{"properties": s.properties()} for s in sorted(book.sheets, key=lambda s: s.index)],
        }

    def _request(self, book: FakeSpreadsheet, request: dict[str, Any]) -> dict[str, Any]:
        (kind, spec), *_ = request.items()
        if kind == "addSheet":
            props = spec.get("properties", {})
            title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
            if any(s.title == title for s in book.sheets):
                raise ApiFailureError(400, f'A sheet with the name "{title}" already exists.')
            self._next_sheet_id += 1
            grid = props.get("gridProperties", {})
            sheet = FakeSheet(
                props.get("sheetId", self._next_sheet_id),
                title,
                len(book.sheets),
                grid.get("rowCount", DEFAULT_ROWS),
                grid.get("columnCount", DEFAULT_COLUMNS),
                grid.get("frozenRowCount", 0),
            )
            book.sheets.append(sheet)
            return {"addSheet": {"properties": sheet.properties()}}
        if kind == "deleteSheet":
            book.sheets.remove(book.sheet_by_id(spec["sheetId"]))
            return {}
        if kind == "updateSheetProperties":
            props = spec["properties"]
            sheet = book.sheet_by_id(props.get("sheetId", 0))
            grid = props.get("gridProperties", {})
            sheet.title = props.get("title", sheet.title)
            sheet.row_count = grid.get("rowCount", sheet.row_count)
            sheet.column_count = grid.get("columnCount", sheet.column_count)
            sheet.frozen_rows = grid.get("frozenRowCount", sheet.frozen_rows)
            del sheet.rows[sheet.row_count :]
            return {}
        if kind == "updateDimensionProperties":
            span = spec["range"]
            sheet = book.sheet_by_id(span["sheetId"])
            if span["dimension"] == "COLUMNS" and "hiddenByUser" in spec["properties"]:
                for col in range(span["startIndex"], span["endIndex"]):
                    (sheet.hidden_columns.add if spec["properties"]["hiddenByUser"] else sheet.hidden_columns.discard)(
                        col
                    )
            return {}
        if kind == "updateCells":
            start = spec["start"]
            sheet = book.sheet_by_id(start["sheetId"])
            self._write_rows(sheet, start.get("rowIndex", 0), start.get("columnIndex", 0), spec.get("rows", []))
            return {}
        if kind == "appendCells":
            sheet = book.sheet_by_id(spec["sheetId"])
            first = sheet.used_rows()
            needed = first + len(spec.get("rows", []))
            sheet.row_count = max(sheet.row_count, needed)
            self._write_rows(sheet, first, 0, spec.get("rows", []))
            return {}
        if kind == "deleteDimension":
            span = spec["range"]
            sheet = book.sheet_by_id(span["sheetId"])
            if span["dimension"] != "ROWS":
                raise ApiFailureError(400, "the fake deletes rows only")
            start, end = span["startIndex"], span["endIndex"]
            if end > sheet.row_count:
                raise ApiFailureError(400, "Invalid requests[0].deleteDimension: range outside the grid")
            del sheet.rows[start:end]
            sheet.row_count -= end - start
            return {}
        raise ApiFailureError(400, f"the fake does not implement the request {kind}")

    def _write_rows(self, sheet: FakeSheet, first_row: int, first_col: int, rows: list[dict[str, Any]]) -> None:
        for offset, row in enumerate(rows):
            for col_offset, value in enumerate(row.get("values", [])):
                sheet.set_cell(first_row + offset, first_col + col_offset, _cell_text(value))

    def _get_range(self, book: FakeSpreadsheet, a1: str) -> dict[str, Any]:
        title, first_row, first_col, last_row, last_col = parse_a1(a1)
        sheet = book.sheet(title)
        last_row = min(sheet.used_rows() - 1, last_row if last_row is not None else sheet.row_count)
        values: list[list[str]] = []
        for row in range(first_row, last_row + 1):
            width = len(sheet.rows[row]) if row < len(sheet.rows) else 0
            end = min(width - 1, last_col if last_col is not None else width)
            line = [sheet.cell(row, col) for col in range(first_col, end + 1)]
            while line and line[-1] == "":
                line.pop()
            values.append(line)
        while values and not values[-1]:
            values.pop()
        result: dict[str, Any] = {"range": a1, "majorDimension": "ROWS"}
        if values:
            result["values"] = values
        return result

    def _put_range(self, book: FakeSpreadsheet, a1: str, values: list[list[Any]]) -> None:
        title, first_row, first_col, _, _ = parse_a1(a1)
        sheet = book.sheet(title)
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                sheet.set_cell(first_row + r, first_col + c, _plain(value))

    def _append(self, book: FakeSpreadsheet, a1: str, values: list[list[Any]]) -> dict[str, Any]:
        title, _, first_col, _, _ = parse_a1(a1)
        sheet = book.sheet(title)
        first = sheet.used_rows()
        sheet.row_count = max(sheet.row_count, first + len(values))
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                sheet.set_cell(first + r, first_col + c, _plain(value))
        return {"spreadsheetId": book.spreadsheet_id, "updates": {"updatedRows": len(values)}}

    def _clear(self, book: FakeSpreadsheet, a1: str) -> None:
        title, first_row, first_col, last_row, last_col = parse_a1(a1)
        sheet = book.sheet(title)
        for row in range(first_row, min(len(sheet.rows), (last_row if last_row is not None else 10**9) + 1)):
            line = sheet.rows[row]
            for col in range(first_col, min(len(line), (last_col if last_col is not None else 10**9) + 1)):
                line[col] = ""


def _handler_for(fake: FakeSheetsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes; no 40 ms delayed-ACK stall

        def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else {}
            outcome = fake.handle(self.command, self.path, body)
            if isinstance(outcome, str):  # dropped: close without a response
                self.close_connection = True
                self.connection.close()
                return
            status, payload = outcome
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _serve  # noqa: N815

    return Handler
