"""The Sheets sync with the real gspread client against the fake Sheets server on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.app import Profile
from nargis_desktop.errors import SheetsError, SheetsOfflineError
from nargis_desktop.secrets import KeyringSecretStore
from nargis_desktop.sync.sheets import credentials as google
from nargis_desktop.sync.sheets.engine import SheetsSync
from nargis_desktop.sync.sheets.layout import JOURNAL, STANDARD_KINDS, kinds
from nargis_desktop.sync.sheets.settings import SheetsSettings
from tests.conftest import NOW, MemoryKeyring
from tests.sheets.agreement import differences
from tests.sheets.conftest import FakeClock, SyncFactory
from tests.sheets.fake_sheets import FakeSheetsServer, Faults

TITLE, DUE, PRIORITY, DONE = 2, 3, 4, 5  # 1-based columns of the Tasks worksheet (A is the hidden id)


def connected(make_sync: SyncFactory, **kwargs: Any) -> SheetsSync:
    sync = make_sync(**kwargs)
    sync.connect()
    return sync


def row_of(fake: FakeSheetsServer, title: str, item_id: str) -> int:
    for number, row in enumerate(fake.values(title), start=1):
        if row and row[0] == item_id:
            return number
    raise AssertionError(f"no row for {item_id}")


def test_first_connect_creates_the_spreadsheet_with_one_worksheet_per_kind(
    make_sync: SyncFactory, fake: FakeSheetsServer
) -> None:
    sync = connected(make_sync)
    book = fake.only_spreadsheet()
    assert [s.title for s in book.sheets] == ["Tasks", "Habits", "Check-ins", "Reminders"]
    assert fake.values("Tasks")[0] == [
        "id",
        "title",
        "due",
        "priority",
        "done",
        "tags",
        "notes",
        "repeat",
        "sync status",
    ]
    assert all(s.hidden_columns == {0} and s.frozen_rows == 1 for s in book.sheets)
    assert sync.status().spreadsheet_id == book.spreadsheet_id


def test_local_items_are_uploaded_and_a_second_sync_with_nothing_changed_reads_once_and_writes_nothing(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    data = profile.data
    task = data.add_task("buy milk", NOW, due=date(2026, 11, 26), tags=["home"])
    habit = data.add_habit("run", NOW)
    data.check_in(habit, NOW.date(), NOW, value=5)
    data.add_reminder("call mom", NOW.replace(hour=18), NOW)
    sync = connected(make_sync)
    sync.run()
    assert fake.values("Tasks")[1] == [task.id, "buy milk", "2026-11-26", "", "FALSE", "home", "", "", ""]
    assert fake.values("Check-ins")[1][1:4] == ["run", "2026-11-25", "5"]
    assert differences(fake, profile.store, STANDARD_KINDS) == []
    fake.reset_log()
    result = sync.run()
    assert (fake.reads(), fake.writes()) == (1, 0)
    assert (result.reads, result.writes) == (1, 0)


def test_sheet_edits_come_back_even_after_the_rows_were_sorted(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    first = profile.data.add_task("b task", NOW)
    second = profile.data.add_task("a task", NOW)
    sync = connected(make_sync)
    sync.run()
    fake.sort_rows("Tasks", key=lambda row: row[1])
    fake.set_cell("Tasks", row_of(fake, "Tasks", first.id), DUE, "12/01/2026")
    fake.set_cell("Tasks", row_of(fake, "Tasks", second.id), PRIORITY, "h")
    sync.run()
    assert profile.store.tasks.get(first.id).due == date(2026, 12, 1)
    assert profile.store.tasks.get(second.id).priority.value == "high"
    assert fake.values("Tasks")[row_of(fake, "Tasks", second.id) - 1][PRIORITY - 1] == "high"  # tidied
    assert differences(fake, profile.store, STANDARD_KINDS) == []


def test_a_field_edited_on_both_sides_keeps_the_local_edit_and_records_the_conflict(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    task = profile.data.add_task("draft", NOW)
    sync = connected(make_sync)
    sync.run()
    fake.set_cell("Tasks", 2, TITLE, "sheet title")
    fake.set_cell("Tasks", 2, DUE, "2026-12-24")
    profile.data.edit_task(profile.store.tasks.get(task.id), title="local title")
    result = sync.run()
    kept = profile.store.tasks.get(task.id)
    assert (kept.title, kept.due) == ("local title", date(2026, 12, 24))  # the other field merged
    assert result.conflicts == 1
    (conflict,) = sync.state.conflicts()
    assert (conflict.field, conflict.kept, conflict.discarded) == ("title", "local title", "sheet title")
    assert conflict.local_hlc is not None
    assert differences(fake, profile.store, STANDARD_KINDS) == []


def test_a_row_deleted_in_the_sheet_deletes_the_item_and_undo_brings_both_back(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    keep = profile.data.add_task("keep", NOW)
    gone = profile.data.add_task("gone", NOW)
    sync = connected(make_sync)
    sync.run()
    fake.delete_row("Tasks", row_of(fake, "Tasks", gone.id))
    sync.run()
    assert profile.store.tasks.ids() == {keep.id}
    assert sync.status().deletions_to_undo == 1
    assert sync.undo_deletions() == 1
    sync.run()
    assert profile.store.tasks.ids() == {keep.id, gone.id}
    assert differences(fake, profile.store, STANDARD_KINDS) == []


def test_a_local_deletion_removes_the_row(make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile) -> None:
    task = profile.data.add_task("temporary", NOW)
    sync = connected(make_sync)
    sync.run()
    profile.store.tasks.delete(task.id)
    sync.run()
    assert len(fake.values("Tasks")) == 1


def test_rows_added_in_the_sheet_become_items_in_the_change_log_and_get_their_id(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    sync = connected(make_sync)
    profile.data.add_habit("Read", NOW)
    sync.run()
    fake.append_row("Tasks", ["", "pay rent", "2026-12-01", "high", "no", "#Home"])
    fake.append_row("Check-ins", ["", "read", "2026-11-24", "20"])
    sync.run()
    (task,) = profile.data.tasks()
    assert (task.title, task.due, task.tags) == ("pay rent", date(2026, 12, 1), ("home",))
    (checkin,) = profile.data.checkins()
    assert checkin.value == 20
    logged = profile.store.conn.execute("SELECT count(*) FROM changes WHERE entity_id = ?", (task.id,)).fetchone()[0]
    assert logged == 1
    assert fake.values("Tasks")[1][0] == task.id
    assert differences(fake, profile.store, STANDARD_KINDS) == []


def test_bad_cells_are_reported_in_the_status_column_and_not_applied(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    task = profile.data.add_task("water plants", NOW, due=date(2026, 11, 30))
    sync = connected(make_sync)
    sync.run()
    fake.set_cell("Tasks", 2, DUE, "someday soon")
    fake.set_cell("Tasks", 2, PRIORITY, "urgent!!")
    fake.set_cell("Tasks", 2, DONE, "maybe")
    fake.append_row("Tasks", ["", "", "2026-12-01"])  # no title
    result = sync.run()
    assert result.bad_rows == 2
    assert profile.store.tasks.get(task.id).due == date(2026, 11, 30)
    assert profile.store.tasks.count() == 1
    status = fake.values("Tasks")[1][-1]
    assert "due: 'someday soon' is not a date" in status and "priority" in status and "done" in status
    assert fake.values("Tasks")[1][DUE - 1] == "someday soon"  # left for the person to fix
    assert fake.values("Tasks")[2][-1] == "title: must not be empty"
    fake.reset_log()
    sync.run()
    assert fake.writes() == 0  # the report is not written again
    fake.set_cell("Tasks", 2, DUE, "2026-12-02")
    fake.set_cell("Tasks", 2, PRIORITY, "")
    fake.set_cell("Tasks", 2, DONE, "")
    sync.run()
    assert profile.store.tasks.get(task.id).due == date(2026, 12, 2)
    assert fake.values("Tasks")[1][-1] == ""


def test_the_journal_is_not_synced_unless_turned_on(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile, clock: FakeClock
) -> None:
    profile.data.add_journal("private thoughts", NOW, mood=4)
    sync = connected(make_sync)
    sync.run()
    assert "Journal" not in [s.title for s in fake.only_spreadsheet().sheets]
    assert not any("private" in str(v) for s in fake.only_spreadsheet().sheets for v in s.rows)
    sync.disconnect()
    with_journal = make_sync()
    with_journal.connect(fake.only_spreadsheet().spreadsheet_id, include_journal=True)
    with_journal.run()
    assert fake.values("Journal")[1][2:4] == ["private thoughts", "4"]
    assert differences(fake, profile.store, kinds(include_journal=True)) == []
    fake.set_cell("Journal", 2, 3, "edited in the sheet")
    with_journal.run()
    (entry,) = profile.store.journal.list()
    assert entry.text == "edited in the sheet" and entry.history[0].text == "private thoughts"
    assert JOURNAL.title == "Journal"


@pytest.mark.parametrize("fault", ["429", "500", "drop"])
def test_failed_reads_and_writes_are_retried_with_growing_pauses(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile, clock: FakeClock, fault: str
) -> None:
    sync = connected(make_sync)
    profile.data.add_task("retry me", NOW)
    first = fake.requests_seen + 1
    fake.faults.scripted.update({first: fault, first + 1: fault, first + 3: "429"})
    clock.slept.clear()
    result = sync.run()
    assert result.retries == 3
    assert clock.slept[1] > clock.slept[0] / 2 and clock.slept[1] >= 1.0
    assert differences(fake, profile.store, STANDARD_KINDS) == []


@pytest.mark.parametrize(("fault", "rows_after_fault"), [("drop-after", 6), ("500", 1)])
def test_an_uncertain_append_is_not_repeated_and_the_next_run_adds_no_duplicate(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile, fault: str, rows_after_fault: int
) -> None:
    sync = connected(make_sync)
    for i in range(5):
        profile.data.add_task(f"task {i}", NOW)
    fake.faults.scripted[fake.requests_seen + 2] = fault  # the append may have landed; its answer is lost
    with pytest.raises(SheetsOfflineError) as caught:
        sync.run()
    assert caught.value.code == "sheets-write-interrupted"
    assert len(fake.values("Tasks")) == rows_after_fault
    assert "queued" in (sync.status().last_result or "")
    sync.run()
    assert len(fake.values("Tasks")) == 6
    assert differences(fake, profile.store, STANDARD_KINDS) == []


@pytest.mark.parametrize("step", ["read", "wrote-0", "wrote-1", "before-local"])
def test_a_run_cut_off_at_any_step_resumes_without_duplicates(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile, step: str
) -> None:
    class CrashError(Exception):
        pass

    def crash_at(reached: str) -> None:
        if reached == step:
            raise CrashError(reached)

    for i in range(30):
        profile.data.add_task(f"task {i}", NOW)
    connected(make_sync).run()
    fake.append_row("Tasks", ["", "from the sheet", "2026-12-01"])
    fake.set_cell("Tasks", 2, TITLE, "renamed in the sheet")
    fake.delete_row("Tasks", 5)
    for i in range(30, 45):
        profile.data.add_task(f"task {i}", NOW)
    crashing = make_sync(settings=SheetsSettings(rows_per_write=10))
    crashing.checkpoint = crash_at
    with pytest.raises(CrashError):
        crashing.run()
    make_sync().run()
    assert differences(fake, profile.store, STANDARD_KINDS) == []
    titles = [t.title for t in profile.data.tasks()]
    assert len(titles) == 45 and titles.count("from the sheet") == 1 and "renamed in the sheet" in titles


def test_offline_the_changes_wait_and_the_status_says_so(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    sync = connected(make_sync)
    profile.data.add_task("while offline", NOW)
    fake.faults.share_dropped, fake.faults.drop_after_applying_share = 1.0, 0.0
    with pytest.raises(SheetsOfflineError, match="1 local changes queued"):
        sync.run()
    assert sync.status().pending_local_changes == 1
    assert "queued" in (sync.status().last_result or "")
    fake.faults = Faults()
    sync.run()
    assert sync.status().pending_local_changes == 0


def test_a_large_upload_keeps_under_60_writes_in_any_minute(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile, clock: FakeClock
) -> None:
    profile.store.tasks.add_many([profile.data.store.tasks.codec.from_row(_task_row(i)) for i in range(700)])
    sync = connected(make_sync, settings=SheetsSettings(rows_per_write=5))
    result = sync.run()
    assert result.writes == 140
    assert fake.max_writes_in_any_minute() <= 60
    assert clock.t > 60  # the budget made it wait (on the fake clock)
    assert differences(fake, profile.store, STANDARD_KINDS) == []


def _task_row(i: int) -> dict[str, Any]:
    return {
        "id": f"{i:032x}",
        "title": f"task {i}",
        "notes": "",
        "due": None,
        "priority": "none",
        "recurrence": None,
        "tags": "[]",
        "done": 0,
        "completed_at": None,
        "created_at": NOW.isoformat(),
    }


def test_a_spreadsheet_that_answers_only_with_errors_gives_a_clear_error(
    make_sync: SyncFactory, fake: FakeSheetsServer
) -> None:
    sync = connected(make_sync)
    fake.faults.share_500 = 1.0
    with pytest.raises(SheetsError) as caught:
        sync.run()
    assert caught.value.code == "sheets-unavailable"


def test_google_credentials_live_in_the_keyring_and_never_in_a_file(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from google.oauth2.credentials import Credentials

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    secrets_file = tmp_path / "client.json"
    secrets_file.write_text(json.dumps({"installed": {"client_id": "cid", "client_secret": "cs"}}))
    before = {p for p in tmp_path.rglob("*")}

    def consent(client_config: dict[str, Any], scopes: Any, port: int = 0) -> Credentials:
        installed = client_config["installed"]
        return Credentials(
            token="short-lived",
            refresh_token="refresh-me",
            client_id=installed["client_id"],
            client_secret=installed["client_secret"],
            token_uri="https://oauth2.googleapis.com/token",
        )

    creds = google.authorize_installed_app(secrets_file, flow=consent)
    google.keep(KeyringSecretStore(), "dev1", creds)
    stored = json.loads(memory_keyring.entries[("nargis", "sheets-credentials:dev1")])
    assert stored["info"]["refresh_token"] == "refresh-me"
    assert "short-lived" not in json.dumps(stored)  # the access token is not kept
    assert {p for p in tmp_path.rglob("*")} == before  # no gspread authorized_user.json anywhere
    assert google.load(KeyringSecretStore(), "dev1") == stored
    google.forget(KeyringSecretStore(), "dev1")
    assert google.load(KeyringSecretStore(), "dev1") is None


def test_check_ins_of_a_habit_deleted_here_are_not_reported_as_bad_cells(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    habit = profile.data.add_habit("Meditate", NOW)
    profile.data.check_in(habit, NOW.date(), NOW)
    sync = connected(make_sync)
    sync.run()
    profile.store.habits.delete(habit.id)
    result = sync.run()
    assert result.bad_rows == 0
    assert fake.values("Check-ins")[1][1:3] == ["Meditate", "2026-11-25"]
    assert len(fake.values("Habits")) == 1


def test_an_id_typed_by_hand_is_replaced_by_a_real_one(
    make_sync: SyncFactory, fake: FakeSheetsServer, profile: Profile
) -> None:
    sync = connected(make_sync)
    fake.append_row("Tasks", ["my-own-id", "typed with an id"])
    sync.run()
    (task,) = profile.data.tasks()
    assert task.id != "my-own-id" and fake.values("Tasks")[1][0] == task.id
    assert differences(fake, profile.store, STANDARD_KINDS) == []
