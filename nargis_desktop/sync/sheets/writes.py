"""A merge plan as `spreadsheets:batchUpdate` requests, in an order where row numbers stay right.

Row rewrites go first (no row moves), then deletions from the bottom up, then appends; the
list is cut into requests of at most `rows_per_write` rows each.
"""

from __future__ import annotations

from typing import Any

from nargis_desktop.sync.sheets.layout import Kind
from nargis_desktop.sync.sheets.merge import Plan

Request = dict[str, Any]


def _cells(values: list[str]) -> dict[str, Any]:
    return {"values": [{"userEnteredValue": {"stringValue": v}} for v in values]}


def _update(sheet_id: int, row: int, column: int, values: list[str]) -> Request:
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
            "rows": [_cells(values)],
            "fields": "userEnteredValue",
        }
    }


def header_request(kind: Kind, sheet_id: int) -> Request:
    return _update(sheet_id, 0, 0, kind.headers)


def plan_requests(plan: Plan, sheet_id: int) -> list[tuple[Request, int]]:
    """(request, rows it carries), in a safe order."""
    out: list[tuple[Request, int]] = []
    if not plan.header_ok:
        out.append((header_request(plan.kind, sheet_id), 1))
    out += [(_update(sheet_id, row, 1, values), 1) for row, values in plan.row_writes]
    out += [(_update(sheet_id, row, 0, values), 1) for row, values in plan.id_row_writes]
    for row in sorted(plan.row_deletes, reverse=True):
        span = {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}
        out.append(({"deleteDimension": {"range": span}}, 1))
    if plan.appends:
        rows = [_cells(values) for values in plan.appends]
        out.append(({"appendCells": {"sheetId": sheet_id, "rows": rows, "fields": "userEnteredValue"}}, len(rows)))
    return out


def batches(requests: list[tuple[Request, int]], rows_per_write: int) -> list[list[Request]]:
    """Cut into requests of at most `rows_per_write` rows; a long append is split across them."""
    out: list[list[Request]] = []
    current: list[Request] = []
    size = 0
    for request, rows in requests:
        for piece, piece_rows in _split(request, rows, rows_per_write):
            if current and size + piece_rows > rows_per_write:
                out.append(current)
                current, size = [], 0
            current.append(piece)
            size += piece_rows
    if current:
        out.append(current)
    return out


def _split(request: Request, rows: int, limit: int) -> list[tuple[Request, int]]:
    if "appendCells" not in request or rows <= limit:
        return [(request, rows)]
    spec = request["appendCells"]
    return [
        ({"appendCells": {**spec, "rows": spec["rows"][i : i + limit]}}, len(spec["rows"][i : i + limit]))
        for i in range(0, rows, limit)
    ]
