"""Settings → Sync → "Your other devices" in the running app (offscreen), against a real sync server
on 127.0.0.1: signing in, the background sync refreshing the views, offline queueing, a revoked
device stopping and saying why, signing out."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.domain.tasks import Task
from nargis_desktop.secrets import NoSecretStore
from nargis_desktop.sync.crypto import new_recovery_phrase
from tests.conftest import MemoryKeyring
from tests.helpers.sync_window import open_sync_window
from tests.moments import NOW
from tests.sync.devices import PASSWORD, Device, new_email
from tests.sync.servers import RunningServer, running_server, settings_for

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WAIT_MS = 15000


@pytest.fixture
def profile(paths: ProfilePaths, memory_keyring: MemoryKeyring) -> Iterator[Profile]:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    yield opened
    opened.close()


@pytest.fixture
def window(profile: Profile, qtbot: Any) -> Iterator[Any]:
    yield from open_sync_window(profile, qtbot, NOW)


def state_text(window: Any) -> str:
    return str(window.settings_page.sync.states["devices"].text())


def sign_in(window: Any, qtbot: Any, url: str, email: str, phrase: str, *, register: bool) -> None:
    from nargis_desktop.ui.sign_in_dialog import SignIn

    devices = window.settings_page.devices
    devices.ask = lambda _parent: SignIn(url, email, PASSWORD, phrase, register)
    window.settings_page.sync.buttons["devices"].click()
    qtbot.waitUntil(lambda: "last sync 20" in state_text(window), timeout=WAIT_MS)  # the first background sync


def test_the_sign_in_dialog_needs_the_phrase_written_down_or_given(qtbot: Any) -> None:
    from nargis_desktop.ui.sign_in_dialog import PHRASE_WARNING, SignInDialog

    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    dialog.url.setText("sync.example.org")
    dialog.email.setText("me@example.org")
    dialog.password.setText("pw")
    assert "https://" in dialog.problem.text() and not ok.isEnabled()
    dialog.url.setText("http://127.0.0.1:8000")
    assert "recovery phrase" in dialog.problem.text() and not ok.isEnabled()  # joining: the phrase is asked
    dialog.phrase.setText("ABCD-EFGH")
    assert ok.isEnabled() and dialog.request().phrase == "ABCD-EFGH" and not dialog.request().register
    dialog.register.setChecked(True)  # creating the account: a new phrase, shown with the warning
    assert dialog.warning.isVisibleTo(dialog) and dialog.new_phrase in dialog.warning.text()
    assert PHRASE_WARNING.split(":")[0] in dialog.warning.text() and "If you lose it" in dialog.warning.text()
    assert "passwords differ" in dialog.problem.text() and not ok.isEnabled()
    dialog.password_again.setText("pw")
    assert "Write the recovery phrase down" in dialog.problem.text() and not ok.isEnabled()
    dialog.wrote_it_down.setChecked(True)
    assert ok.isEnabled() and dialog.request().phrase == dialog.new_phrase and dialog.request().register


def test_signing_in_syncs_in_the_background_and_shows_another_devices_task(
    window: Any, qtbot: Any, sqlite_server: RunningServer, tmp_path: Path
) -> None:
    email, phrase = new_email(), new_recovery_phrase()
    with window.store_lock:
        window.profile.data.add_task("Written before signing in", NOW)
    sign_in(window, qtbot, sqlite_server.url, email, phrase, register=True)
    assert f"syncing with {sqlite_server.url} as {email}" in state_text(window)
    assert window.statusBar().findChild(object, "sync-indicator").text().startswith("Synced ")
    actions = window.settings_page.sync.extra_buttons["devices"]
    assert not actions["Sync now"].isHidden() and window.settings_page.sync.buttons["devices"].isHidden()
    phone = Device.create(tmp_path / "phone.db")
    try:
        phone.join(sqlite_server.url, email, phrase)
        phone.sync()
        assert [t.title for t in phone.store.tasks.list()] == ["Written before signing in"]
        window.select("tasks")
        phone.store.tasks.add(Task("Written on the phone", created_at=NOW))
        phone.sync()  # the server's live stream wakes the app's background sync
        table = window.pages["tasks"].table
        qtbot.waitUntil(
            lambda: "Written on the phone" in [table.item(r, 0).text() for r in range(table.rowCount())],
            timeout=WAIT_MS,
        )
        window.command.setText("add water the plants")  # a change made here goes out without waiting a minute

        def phone_has_it() -> bool:
            phone.sync()
            return "Water the plants" in [t.title for t in phone.store.tasks.list()]

        window.type_command()
        qtbot.waitUntil(phone_has_it, timeout=WAIT_MS)
    finally:
        phone.close()


def test_offline_changes_wait_and_a_revoked_device_stops_and_says_why(window: Any, qtbot: Any, tmp_path: Path) -> None:
    email, phrase = new_email(), new_recovery_phrase()
    database = f"sqlite:///{tmp_path / 'server.db'}"
    with running_server(settings_for(database)) as server:
        sign_in(window, qtbot, server.url, email, phrase, register=True)
        port = server.url.rsplit(":", 1)[1]
    with window.store_lock:
        window.profile.data.add_task("Written offline", NOW)
        window.profile.data.add_task("Also offline", NOW)
    window.settings_page.sync.extra_buttons["devices"]["Sync now"].click()
    qtbot.waitUntil(lambda: state_text(window).startswith("offline, 2 changes waiting"), timeout=WAIT_MS)
    assert window.statusBar().findChild(object, "sync-indicator").text() == "Sync: offline, 2 changes waiting"
    with running_server(settings_for(database), port=int(port)) as server:
        # Back online: the live stream reconnects and the queued changes go out without a click.
        qtbot.waitUntil(lambda: "last sync" in state_text(window), timeout=WAIT_MS)
        assert state_text(window).endswith("; 0 changes waiting")
        laptop = Device.create(tmp_path / "laptop.db")
        try:
            laptop.join(server.url, email, phrase)
            laptop.sync()
            assert sorted(t.title for t in laptop.store.tasks.list()) == ["Also offline", "Written offline"]
            token = laptop.service.backend.session.access_token  # type: ignore[union-attr]
            gone = requests.delete(
                f"{server.url}/v1/devices/{window.profile.store.device_id}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert gone.status_code == 204
            with window.store_lock:
                window.profile.data.add_task("Written after removal", NOW)
            window.settings_page.sync.extra_buttons["devices"]["Sync now"].click()
            qtbot.waitUntil(lambda: state_text(window).startswith("stopped: "), timeout=WAIT_MS)
            assert "removed from the account" in state_text(window) and "1 changes waiting" in state_text(window)
            assert window.statusBar().findChild(object, "sync-indicator").text().startswith("Sync stopped")
            laptop.sync()
            assert laptop.store.tasks.count() == 2  # nothing of a revoked device gets through
            again = window.settings_page.sync.buttons["devices"]
            assert not again.isHidden() and again.text() == "Sign in again…"
            sign_in(window, qtbot, server.url, email, phrase, register=False)  # the password brings it back
            qtbot.waitUntil(lambda: state_text(window).endswith("; 0 changes waiting"), timeout=WAIT_MS)
            laptop.sync()
            assert laptop.store.tasks.count() == 3 and again.isHidden()
        finally:
            laptop.close()
        window.settings_page.sync.extra_buttons["devices"]["Sign out"].click()
        qtbot.waitUntil(lambda: state_text(window) == "Not connected", timeout=WAIT_MS)
        assert not window.settings_page.sync.buttons["devices"].isHidden()
        assert window.settings_page.devices.background is None


@pytest.mark.parametrize("choice", ["both", "other", "keep"])
def test_a_journal_entry_edited_on_two_devices_shows_both_and_the_choice_settles_it_everywhere(
    window: Any, qtbot: Any, sqlite_server: RunningServer, tmp_path: Path, choice: str
) -> None:
    from nargis_desktop.store.sync_state import journal_conflicts

    email, phrase = new_email(), new_recovery_phrase()
    with window.store_lock:
        entry = window.profile.data.add_journal("Walked to the lake.", NOW)
    sign_in(window, qtbot, sqlite_server.url, email, phrase, register=True)
    phone = Device.create(tmp_path / "phone.db")
    try:
        phone.join(sqlite_server.url, email, phrase)
        phone.sync()
        with window.store_lock:  # edited here while the phone edits too; not sent yet
            window.profile.store.journal.save(entry.edit("Walked to the lake. Saw herons.", NOW))
        theirs = phone.store.journal.get(entry.id)
        phone.store.journal.save(theirs.edit("Walked to the lake with Sam.", NOW))
        phone.sync()  # the live stream wakes the app: it sends its edit and receives the phone's
        window.select("journal")
        journal = window.pages["journal"]
        qtbot.waitUntil(lambda: journal.entries.count() == 1 and "⚠" in journal.entries.item(0).text(), timeout=WAIT_MS)
        journal.entries.setCurrentRow(0)
        qtbot.waitUntil(lambda: not journal.conflict.isHidden(), timeout=WAIT_MS)
        assert "Edited on two devices" in journal.conflict.title.text()
        this, other = journal.editor.toPlainText(), journal.conflict.other.toPlainText()
        assert {this, other} == {"Walked to the lake. Saw herons.", "Walked to the lake with Sam."}
        journal.conflict.buttons[choice].click()
        qtbot.waitUntil(journal.conflict.isHidden, timeout=WAIT_MS)
        with window.store_lock:
            merged = window.profile.store.journal.get(entry.id).text
            assert not journal_conflicts(window.profile.store)
        assert merged == {"both": f"{this}\n\n{other}", "other": other, "keep": this}[choice]
        qtbot.waitUntil(lambda: journal.editor.toPlainText() == merged, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: "⚠" not in journal.entries.item(0).text(), timeout=WAIT_MS)
        window.settings_page.sync.extra_buttons["devices"]["Sync now"].click()

        def phone_has_the_choice() -> bool:  # the same text, and no conflict left there either
            phone.sync()
            return phone.store.journal.get(entry.id).text == merged and not journal_conflicts(phone.store)

        qtbot.waitUntil(phone_has_the_choice, timeout=WAIT_MS)
    finally:
        phone.close()


def test_joining_with_the_wrong_phrase_says_so_and_stays_signed_out(
    window: Any, qtbot: Any, sqlite_server: RunningServer, tmp_path: Path
) -> None:
    from nargis_desktop.store.sync_state import get_value
    from nargis_desktop.ui.sign_in_dialog import SignIn

    email = new_email()
    laptop = Device.create(tmp_path / "laptop.db")
    try:
        laptop.join(sqlite_server.url, email, new_recovery_phrase(), register=True)
    finally:
        laptop.close()
    devices = window.settings_page.devices
    devices.ask = lambda _parent: SignIn(sqlite_server.url, email, PASSWORD, new_recovery_phrase(), False)
    window.settings_page.sync.buttons["devices"].click()
    qtbot.waitUntil(lambda: "recovery phrase" in state_text(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: devices.status is not None, timeout=WAIT_MS)
    assert devices.status.state == "not-configured" and devices.background is None
    assert window.settings_page.sync.buttons["devices"].isEnabled()
    with window.store_lock:
        assert get_value(window.profile.store, "sync_key") is None


def test_each_choice_gives_the_entry_its_text() -> None:
    from nargis_desktop.ui.journal_conflict import KEEP_BOTH, KEEP_THIS, USE_OTHER, resolved_text

    assert resolved_text(KEEP_THIS, "mine", ["theirs"]) == "mine"
    assert resolved_text(USE_OTHER, "mine", ["older", "theirs"]) == "theirs"
    assert resolved_text(KEEP_BOTH, "mine", ["theirs"]) == "mine\n\ntheirs"
