"""One Sheets sync run: read every worksheet in one request, merge, write in batches, then apply locally.

Order matters for resuming: the sheet is written first (new rows carry their id), and only
then the store, in one transaction with the rows' new "last synced" state and the change-log
cursor. A run cut off anywhere leaves either nothing done, or a sheet that already shows
some of the outcome, which the next run's three-way merge recognises by row id (nothing is
appended twice, nothing is taken for a deletion).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from nargis_desktop.errors import SheetsError, SheetsOfflineError
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store import sheets_state as keys
from nargis_desktop.store.sheets_state import SheetsState
from nargis_desktop.sync.sheets.api import SheetsApi
from nargis_desktop.sync.sheets.layout import Kind, Lookups, kinds
from nargis_desktop.sync.sheets.merge import Plan, plan_kind
from nargis_desktop.sync.sheets.writes import batches, header_request, plan_requests

_LOGGER = logging.getLogger(__name__)
EMPTY_SHEET = "Sheet1"


@dataclass(frozen=True)
class SyncResult:
    rows_written: int = 0
    applied_here: int = 0
    conflicts: int = 0
    bad_rows: int = 0
    reads: int = 0
    writes: int = 0
    retries: int = 0

    def summary(self) -> str:
        return (
            f"{self.rows_written} rows written to the sheet, {self.applied_here} changes taken from it, "
            f"{self.conflicts} conflicts, {self.bad_rows} rows with bad cells "
            f"({self.reads} reads, {self.writes} writes, {self.retries} retries)"
        )


@dataclass(frozen=True)
class SheetsStatus:
    connected: bool
    spreadsheet_id: str | None
    include_journal: bool
    pending_local_changes: int
    last_sync_at: str | None
    last_result: str | None
    conflicts: int
    deletions_to_undo: int


class SheetsSync:
    """`api` is called only when Google is needed, so `status` works without credentials or network."""

    def __init__(
        self,
        data: PersonalData,
        api: Callable[[], SheetsApi],
        now: Callable[[], datetime],
        checkpoint: Callable[[str], None] = lambda _step: None,
    ) -> None:
        self.data = data
        self.store = data.store
        self.state = SheetsState(data.store)
        self._api_factory = api
        self._api: SheetsApi | None = None
        self.now = now
        self.checkpoint = checkpoint  # tests cut a run short here

    @property
    def api(self) -> SheetsApi:
        if self._api is None:
            self._api = self._api_factory()
            saved = self.state.get(keys.WRITE_BUDGET)
            if saved:
                self._api.budget.restore(saved)
        return self._api

    def kinds(self) -> tuple[Kind, ...]:
        return kinds(self.state.include_journal())

    # Connecting ----------------------------------------------------------------------------
    def connect(self, spreadsheet_id: str | None = None, *, include_journal: bool = False) -> str:
        """Create the spreadsheet (or use the given one) and lay out its worksheets; returns its id."""
        api = self.api
        created = spreadsheet_id is None
        sheet_id = spreadsheet_id or api.create_spreadsheet(self._title())
        self.state.set(keys.INCLUDE_JOURNAL, "1" if include_journal else "0")
        self._lay_out(sheet_id, remove_empty_first_sheet=created)
        self.state.set(keys.SPREADSHEET_ID, sheet_id)
        return sheet_id

    def _title(self) -> str:
        return self.api.settings.spreadsheet_title

    def _lay_out(self, spreadsheet_id: str, *, remove_empty_first_sheet: bool) -> None:
        """Add missing worksheets with a frozen header and the id column hidden; one write."""
        meta = self.api.metadata(spreadsheet_id)
        existing = {s["properties"]["title"]: int(s["properties"]["sheetId"]) for s in meta.get("sheets", [])}
        requests: list[dict[str, Any]] = []
        for kind in self.kinds():
            if kind.title not in existing:
                grid = {"frozenRowCount": 1, "columnCount": kind.width}
                requests.append({"addSheet": {"properties": {"title": kind.title, "gridProperties": grid}}})
        if remove_empty_first_sheet and EMPTY_SHEET in existing and requests:
            requests.append({"deleteSheet": {"sheetId": existing[EMPTY_SHEET]}})
        if requests:
            replies = self.api.batch_update(spreadsheet_id, requests).get("replies", [])
            for reply in replies:
                if "addSheet" in reply:
                    props = reply["addSheet"]["properties"]
                    existing[props["title"]] = int(props["sheetId"])
        ids = {kind.title: existing[kind.title] for kind in self.kinds()}
        followups: list[dict[str, Any]] = []
        for kind in self.kinds():
            followups.append(header_request(kind, ids[kind.title]))
            span = {"sheetId": ids[kind.title], "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}
            followups.append(
                {
                    "updateDimensionProperties": {
                        "range": span,
                        "properties": {"hiddenByUser": True},
                        "fields": "hiddenByUser",
                    }
                }
            )
        self.api.batch_update(spreadsheet_id, followups)
        self.state.set(keys.SHEET_IDS, json.dumps(ids))

    def disconnect(self) -> None:
        """Forget the spreadsheet here; the sheet itself and the data here are left as they are."""
        self.state.forget()

    # Syncing --------------------------------------------------------------------------------
    def run(self) -> SyncResult:
        spreadsheet_id = self.state.get(keys.SPREADSHEET_ID)
        if spreadsheet_id is None:
            raise SheetsError(
                "no Google Sheet is connected: run `nargis sync sheets connect`", code="sheets-not-connected"
            )
        before = self.api.counts.__class__(**asdict(self.api.counts))
        try:
            try:
                result = self._run(spreadsheet_id)
            finally:
                self.state.set(keys.WRITE_BUDGET, self.api.budget.snapshot())
        except SheetsOfflineError as err:
            queued = f"{self._pending()} local changes queued for the next sync"
            self._remember(f"not synced: {err.message}; {queued}")
            raise SheetsOfflineError(f"{err.message} ({queued})", code=err.code) from err
        except SheetsError as err:
            self._remember(f"failed: {err.message}")
            raise
        counts = self.api.counts - before
        result = SyncResult(
            **{**asdict(result), "reads": counts.reads, "writes": counts.writes, "retries": counts.retries}
        )
        self._remember(result.summary(), synced=True)
        return result

    def _run(self, spreadsheet_id: str) -> SyncResult:
        chosen = self.kinds()
        cursor = self.state.latest_change()  # edits made while this run works are seen by the next one
        lookups = Lookups.load(self.store)
        tables = self._read(spreadsheet_id, chosen)
        self.checkpoint("read")
        now = self.now()
        plans = [self._plan(kind, table, lookups, now) for kind, table in zip(chosen, tables, strict=True)]
        sheet_ids = self.state.sheet_ids()
        requests = [r for plan in plans for r in plan_requests(plan, sheet_ids[plan.kind.title])]
        for number, batch in enumerate(batches(requests, self.api.settings.rows_per_write)):
            self.api.batch_update(spreadsheet_id, batch)
            self.checkpoint(f"wrote-{number}")
        self.checkpoint("before-local")
        self._apply(plans, cursor, now)
        return SyncResult(
            rows_written=sum(p.sheet_writes for p in plans),
            applied_here=sum(p.local_writes for p in plans),
            conflicts=sum(len(p.conflicts) for p in plans),
            bad_rows=sum(p.bad_rows for p in plans),
        )

    def _read(self, spreadsheet_id: str, chosen: tuple[Kind, ...]) -> list[list[list[str]]]:
        try:
            return self.api.read_ranges(spreadsheet_id, [kind.read_range() for kind in chosen])
        except SheetsError as err:
            if err.code != "sheets-rejected":
                raise
            # A worksheet was deleted or renamed by hand: lay it out again, then read once more.
            _LOGGER.warning("re-creating missing worksheets: %s", err.message)
            self._lay_out(spreadsheet_id, remove_empty_first_sheet=False)
            return self.api.read_ranges(spreadsheet_id, [kind.read_range() for kind in chosen])

    def _plan(self, kind: Kind, table: list[list[str]], lookups: Lookups, now: datetime) -> Plan:
        repository = kind.repository(self.store)
        local = {item.id: item for item in repository.list()}
        return plan_kind(
            kind,
            table,
            local,
            repository.ids(deleted=True),
            self.state.base_rows(kind.name),
            lookups,
            now,
            self.state.last_local_hlc,
        )

    def _apply(self, plans: list[Plan], cursor: int, now: datetime) -> None:
        changed = any(p.local_writes or p.new_base or p.dropped_base or p.conflicts for p in plans)
        if not changed and cursor == self.state.cursor():
            return  # steady state: not even the store is written
        stamp = now.isoformat()
        with self.store.transaction():
            # With no local edit since the run began, the only newer changes are this run's own.
            quiet = self.state.latest_change() == cursor
            for plan in plans:
                repository = plan.kind.repository(self.store)
                if plan.local_adds:
                    repository.add_many(plan.local_adds)
                for item in plan.local_saves:
                    repository.save(item)
                for item_id in plan.local_deletes:
                    repository.delete(item_id)
                    self.state.record_deletion(plan.kind.name, item_id, stamp)
                for item_id in plan.dropped_base:
                    self.state.drop_base(plan.kind.name, item_id)
                for item_id, cells in plan.new_base.items():
                    self.state.save_base(plan.kind.name, item_id, cells)
                for conflict in plan.conflicts:
                    self.state.record_conflict(conflict, stamp)
            self.state.set(keys.CURSOR, str(self.state.latest_change() if quiet else cursor))

    # Undo and status ------------------------------------------------------------------------------
    def undo_deletions(self) -> int:
        """Bring back the items deleted because their rows went from the sheet; the next sync re-adds the rows."""
        undone = 0
        with self.store.transaction():
            for seq, kind_name, item_id in self.state.deletions_to_undo():
                kind = next(k for k in kinds(include_journal=True) if k.name == kind_name)
                kind.repository(self.store).undelete(item_id)
                self.state.mark_undone(seq)
                undone += 1
        return undone

    def _pending(self) -> int:
        return self.state.pending_local_changes([k.entity for k in self.kinds()])

    def _remember(self, result: str, *, synced: bool = False) -> None:
        self.state.set(keys.LAST_RESULT, result)
        if synced:
            self.state.set(keys.LAST_SYNC_AT, self.now().isoformat())

    def status(self) -> SheetsStatus:
        return SheetsStatus(
            connected=self.state.connected(),
            spreadsheet_id=self.state.get(keys.SPREADSHEET_ID),
            include_journal=self.state.include_journal(),
            pending_local_changes=self._pending() if self.state.connected() else 0,
            last_sync_at=self.state.get(keys.LAST_SYNC_AT),
            last_result=self.state.get(keys.LAST_RESULT),
            conflicts=len(self.state.conflicts()),
            deletions_to_undo=len(self.state.deletions_to_undo()),
        )
