"""The three-way merge of one worksheet: the sheet now, the store now, and both as last synced.

A field edited on one side only takes that side; edited on both to different values, the
local edit wins (it is the newer: the sheet's was made before this sync saw it) and the
conflict is recorded with the discarded value. A row gone from the sheet is deleted locally
(undoably) unless it changed locally since the last sync; a row without a known id is a new
item. Bad cells are reported in the row's status cell and not applied. Planning is pure:
`Plan` says what to write to the sheet and to the store, and nothing is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.ids import new_id
from nargis_desktop.store.sheets_state import Conflict
from nargis_desktop.sync.sheets.cells import BadCellError
from nargis_desktop.sync.sheets.layout import Cells, Kind, Lookups

_ID = re.compile(r"[0-9a-f]{32}")  # as `new_id` makes them; anything else in the id cell was typed by hand


@dataclass
class Plan:
    kind: Kind
    header_ok: bool = True
    row_writes: list[tuple[int, list[str]]] = field(default_factory=list)  # (row index, cells from column B)
    id_row_writes: list[tuple[int, list[str]]] = field(default_factory=list)  # (row index, cells from column A)
    row_deletes: list[int] = field(default_factory=list)
    appends: list[list[str]] = field(default_factory=list)
    local_adds: list[Any] = field(default_factory=list)
    local_saves: list[Any] = field(default_factory=list)
    local_deletes: list[str] = field(default_factory=list)
    new_base: dict[str, Cells] = field(default_factory=dict)
    dropped_base: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    bad_rows: int = 0

    @property
    def sheet_writes(self) -> int:
        return len(self.row_writes) + len(self.id_row_writes) + len(self.row_deletes) + len(self.appends)

    @property
    def local_writes(self) -> int:
        return len(self.local_adds) + len(self.local_saves) + len(self.local_deletes)


@dataclass(frozen=True)
class SheetRow:
    index: int  # 0-based, as in the API; the header is row 0
    item_id: str
    raw: list[str]  # the field cells, as typed
    status: str


def read_rows(kind: Kind, table: list[list[str]]) -> tuple[bool, dict[str, SheetRow], list[SheetRow]]:
    """(header as expected, rows by id, rows without a usable id). A repeated id counts as no id (a copied row)."""
    header_ok = bool(table) and [c.strip() for c in table[0][: kind.width]] == kind.headers
    by_id: dict[str, SheetRow] = {}
    without_id: list[SheetRow] = []
    fields = len(kind.columns)
    for index, line in enumerate(table[1:], start=1):
        padded = [*line[: kind.width], *[""] * (kind.width - len(line))]
        item_id, raw, status = padded[0].strip(), padded[1 : 1 + fields], padded[1 + fields]
        if not any(cell.strip() for cell in raw) and not item_id:
            continue  # an empty row (perhaps with our old status) is no row
        row = SheetRow(index, item_id, raw, status)
        if item_id and item_id not in by_id:
            by_id[item_id] = row
        else:
            without_id.append(row)
    return header_ok, by_id, without_id


def _check(kind: Kind, raw: list[str], lookups: Lookups, was: Cells | None = None) -> tuple[Cells, dict[str, str]]:
    """Canonical texts of the cells that pass, and a message per cell that does not.

    A cell still showing exactly what was last synced is taken as is: it is not the person's
    edit (and a check-in naming a habit deleted since is no error of theirs).
    """
    good: Cells = {}
    bad: dict[str, str] = {}
    for column, value in zip(kind.columns, raw, strict=True):
        if was is not None and value == was[column.header]:
            good[column.header] = value
            continue
        try:
            good[column.header] = column.check(value, lookups)
        except BadCellError as err:
            bad[column.header] = str(err)
    return good, bad


def _status(bad: dict[str, str]) -> str:
    return "; ".join(f"{header}: {message}" for header, message in bad.items())


def _row(kind: Kind, cells: Cells, status: str) -> list[str]:
    return [*(cells[c.header] for c in kind.columns), status]


def plan_kind(
    kind: Kind,
    table: list[list[str]],
    local: dict[str, Any],
    tombstones: set[str],
    base: dict[str, Cells],
    lookups: Lookups,
    now: datetime,
    local_hlc: Any = lambda _kind, _id: None,
) -> Plan:
    plan = Plan(kind)
    plan.header_ok, sheet, without_id = read_rows(kind, table)
    rendered = {item_id: kind.render(item, lookups) for item_id, item in local.items()}

    for item_id in sorted(set(sheet) | set(rendered) | set(base)):
        row, mine, was = sheet.get(item_id), rendered.get(item_id), base.get(item_id)
        if row is None:
            _missing_from_sheet(plan, item_id, mine, was, local_hlc)
        elif mine is None:
            if item_id in tombstones or was is not None:
                plan.row_deletes.append(row.index)  # deleted here: the sheet follows
                plan.dropped_base.append(item_id)
            else:
                # A row carrying an id unknown here: written by a run cut off before it finished.
                _new_from_sheet(plan, row, item_id, lookups, now, keep_id=_ID.fullmatch(item_id) is not None)
        else:
            _merge_row(plan, row, local[item_id], mine, was, lookups, now, local_hlc)
    for row in without_id:
        _new_from_sheet(plan, row, "", lookups, now, keep_id=False)
    return plan


def _missing_from_sheet(plan: Plan, item_id: str, mine: Cells | None, was: Cells | None, local_hlc: Any) -> None:
    kind = plan.kind
    if mine is None:
        if was is not None:
            plan.dropped_base.append(item_id)
        return
    if was is None or mine != was:
        # New here, or deleted in the sheet after a local edit: the edit wins and the row comes back.
        if was is not None:
            plan.conflicts.append(
                Conflict(
                    kind.name, item_id, "row", "edited here", "deleted in the sheet", local_hlc(kind.entity, item_id)
                )
            )
        plan.appends.append([item_id, *_row(kind, mine, "")])
        plan.new_base[item_id] = mine
        return
    plan.local_deletes.append(item_id)
    plan.dropped_base.append(item_id)


def _new_from_sheet(plan: Plan, row: SheetRow, item_id: str, lookups: Lookups, now: datetime, keep_id: bool) -> None:
    kind = plan.kind
    if not keep_id:
        item_id = new_id()
    good, bad = _check(kind, row.raw, lookups)
    item = None
    if not bad:
        try:
            item = kind.build(good, None, item_id, now, lookups)
        except (DomainError, KeyError, ValueError) as err:
            bad = {"row": getattr(err, "message", str(err))}
    if item is None:
        plan.bad_rows += 1
        if row.status != _status(bad):
            plan.row_writes.append((row.index, [*row.raw, _status(bad)]))
        return
    cells = kind.render(item, lookups)
    target = _row(kind, cells, "")
    if not keep_id or target != [*row.raw, row.status]:
        plan.id_row_writes.append((row.index, [item_id, *target]))
    plan.local_adds.append(item)
    plan.new_base[item_id] = cells


def _merge_row(
    plan: Plan,
    row: SheetRow,
    item: Any,
    mine: Cells,
    was: Cells | None,
    lookups: Lookups,
    now: datetime,
    local_hlc: Any,
) -> None:
    kind = plan.kind
    good, bad = _check(kind, row.raw, lookups, was)
    merged: Cells = {}
    keep_raw: dict[str, str] = {}  # bad cells the person still has to fix stay as typed
    for column, raw in zip(kind.columns, row.raw, strict=True):
        name, here = column.header, mine[column.header]
        then = None if was is None else was[name]
        theirs = good.get(name)
        if not column.editable or was is None or theirs is None:
            merged[name] = here
            if theirs is None and here == then:
                keep_raw[name] = raw
            continue
        if theirs in (then, here):
            merged[name] = here
        elif here == then:
            merged[name] = theirs
        else:
            merged[name] = here
            plan.conflicts.append(Conflict(kind.name, item.id, name, here, theirs, local_hlc(kind.entity, item.id)))
    bad = {k: v for k, v in bad.items() if k in keep_raw}
    if merged != mine:
        try:
            updated = kind.build(merged, item, item.id, now, lookups)
        except (DomainError, KeyError, ValueError) as err:
            # The sheet's edits together make no valid item: report, apply nothing, leave the row as typed.
            plan.bad_rows += 1
            status = _status({"row": getattr(err, "message", str(err))})
            if status != row.status:
                plan.row_writes.append((row.index, [*row.raw, status]))
            return
        plan.local_saves.append(updated)
        mine = kind.render(updated, lookups)
    if bad:
        plan.bad_rows += 1
    target = [*(keep_raw.get(c.header, mine[c.header]) for c in kind.columns), _status(bad)]
    if target != [*row.raw, row.status]:
        plan.row_writes.append((row.index, target))
    if mine != was:
        plan.new_base[item.id] = mine
