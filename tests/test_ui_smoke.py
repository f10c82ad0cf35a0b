"""The main window, offscreen with pytest-qt: views, typed commands, push-to-talk on a recording."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nargis_desktop.app import Profile, open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import NoSecretStore
from tests.moments import NOW

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def profile(paths: ProfilePaths) -> Any:
    opened = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    opened.data.add_task("Call mom", NOW, due=date(2026, 11, 25))
    opened.data.add_task("Later", NOW, due=date(2026, 12, 25), recurrence="FREQ=WEEKLY")
    opened.data.add_habit("Meditate", NOW)
    yield opened
    opened.close()


def window_for(profile: Profile, qtbot: Any, voice_factory: Any = None) -> Any:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data), voice_factory)
    qtbot.addWidget(window)
    settle(window, qtbot)
    return window


def settle(window: Any, qtbot: Any) -> None:
    """Wait until the shown page has the store worker's latest read (reads are never on this thread)."""
    qtbot.waitUntil(lambda: not window.stack.currentWidget().loading, timeout=5000)


def test_today_lists_due_tasks_and_ticking_completes_one(profile: Profile, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    window = window_for(profile, qtbot)
    today = window.pages["today"]
    assert [today.tasks.item(i).text() for i in range(today.tasks.count())] == ["Call mom"]
    assert today.habits.count() == 1
    today.tasks.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: today.tasks.count() == 0)
    assert [t.title for t in profile.store.tasks.list() if t.done] == ["Call mom"]


def test_a_typed_command_runs_off_the_main_thread_and_shows_in_the_conversation(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot)
    window.command.setText("add buy stamps tomorrow")
    window.type_command()
    conversation = window.pages["conversation"].turns
    qtbot.waitUntil(lambda: any("added Buy stamps" in conversation.item(i).text() for i in range(conversation.count())))
    assert "Buy stamps" in [t.title for t in profile.data.tasks()]
    action = next(
        conversation.item(i) for i in range(conversation.count()) if "add task" in conversation.item(i).text()
    )
    conversation.itemDoubleClicked.emit(action)  # the action links to the view showing the new task
    assert window.stack.currentWidget() is window.pages["tasks"]


def test_tasks_view_shows_repeats_in_words_and_edits_inline(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot)
    window.select("tasks")
    settle(window, qtbot)
    table = window.pages["tasks"].table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert table.item(rows["Later"], 3).text() == "every week"
    assert len(table.item(rows["Later"], 4).text().split(", ")) == 3
    table.item(rows["Call mom"], 0).setText("Call mom and dad")
    qtbot.waitUntil(lambda: "Call mom and dad" in [t.title for t in profile.data.tasks()], timeout=5000)


def test_the_journal_autosaves(profile: Profile, qtbot: Any) -> None:
    window = window_for(profile, qtbot)
    window.select("journal")
    journal = window.pages["journal"]
    journal.editor.setPlainText("A quiet morning by the river.")
    qtbot.waitUntil(lambda: profile.store.journal.count() == 1, timeout=3000)
    assert profile.store.journal.list()[0].text == "A quiet morning by the river."


@pytest.mark.slow  # real Piper and whisper
def test_push_to_talk_on_a_recording_shows_transcript_action_and_reply(profile: Profile, qtbot: Any) -> None:
    from nargis_desktop.assistant.voice import VoicePipeline
    from nargis_desktop.audio.pcm import to_pcm16
    from nargis_desktop.audio.wav_io import WavFileSource, WavSink
    from nargis_desktop.models.engines import open_speech_to_text, open_text_to_speech
    from nargis_desktop.models.manager import ModelManager

    manager = ModelManager(profile.paths)
    tts = open_text_to_speech(manager.resolve("tts"))
    chunks = list(tts.synthesize("Remind me to call mom tomorrow at five."))
    speech = to_pcm16(np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2"), chunks[0].sample_rate_hz)

    def factory(act: Any) -> VoicePipeline:
        stt = open_speech_to_text(manager.resolve_entry(manager.entry("whisper-tiny-en")))
        return VoicePipeline(WavFileSource(pcm16=speech, realtime=True), stt, act, tts, WavSink())

    window = window_for(profile, qtbot, factory)
    window.press()  # the first press loads the voice models in the background
    qtbot.waitUntil(lambda: window.voice is not None, timeout=60000)
    window.press()
    qtbot.waitUntil(lambda: any(e.kind == "listening_stopped" for e in window.turn_events), timeout=30000)
    qtbot.waitUntil(lambda: any(e.kind == "speaking_finished" for e in window.turn_events), timeout=60000)
    kinds = [e.kind for e in window.turn_events]
    assert kinds.index("final_transcript") < kinds.index("actions_taken") < kinds.index("reply_text")
    assert "call mom" in window.transcript.text().lower()
    conversation = window.pages["conversation"].turns
    texts = [conversation.item(i).text() for i in range(conversation.count())]
    assert any(t.startswith("Nargis: Okay, I'll remind you to call mom") for t in texts)
    assert profile.store.reminders.list()[0].at == datetime(2026, 11, 26, 17, 0)


@pytest.mark.parametrize("view", ["today", "tasks", "habits", "journal", "conversation", "settings"])
def test_every_view_renders_a_screenshot(profile: Profile, tmp_path: Path, view: str) -> None:
    from PySide6.QtGui import QImage

    from nargis_desktop.ui.application import run_app

    shot = tmp_path / f"{view}.png"
    assert run_app(lambda _prompt: profile, NOW, shot, view) == 0
    image = QImage(str(shot))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert image.width() > 600 and len(colours) > 5  # not blank


def test_a_due_reminder_shows_and_snooze_moves_it(profile: Profile, qtbot: Any) -> None:
    from datetime import timedelta

    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.main_window import MainWindow

    reminder = profile.data.add_reminder("Stretch", NOW + timedelta(minutes=20), NOW)
    clock = {"now": NOW}
    window = MainWindow(profile, lambda: clock["now"], Assistant(profile.data))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.banner.shown):
        pass
    assert window.banner.isHidden()
    clock["now"] = NOW + timedelta(minutes=21)  # the clock is injected: no real waiting
    window.check_reminders()
    qtbot.waitUntil(lambda: window.banner.current_id == reminder.id, timeout=5000)
    assert "Stretch" in window.banner.text.text()
    window.banner.buttons["10 min"].click()
    qtbot.waitUntil(window.banner.isHidden, timeout=5000)
    snoozed = profile.store.reminders.get(reminder.id)
    assert snoozed.snoozed_until == NOW + timedelta(minutes=31)


def test_reminders_missed_while_closed_show_at_start_and_done_rolls_a_repeat(profile: Profile, qtbot: Any) -> None:
    from datetime import timedelta

    missed = profile.data.add_reminder(
        "Standup", NOW - timedelta(hours=2), NOW - timedelta(days=1), recurrence="FREQ=DAILY"
    )
    window = window_for(profile, qtbot)
    qtbot.waitUntil(lambda: window.banner.current_id == missed.id, timeout=5000)
    window.banner.buttons["Done"].click()
    qtbot.waitUntil(lambda: window.banner.current_id is None, timeout=5000)
    rolled = profile.store.reminders.get(missed.id)
    assert not rolled.done and rolled.at == NOW - timedelta(hours=2) + timedelta(days=1)


def test_the_scheduler_keeps_jobs_in_memory_at_each_reminders_time(profile: Profile) -> None:
    from datetime import timedelta

    from nargis_desktop.domain.recurrence import to_aware
    from nargis_desktop.reminders.scheduler import ReminderScheduler
    from nargis_desktop.reminders.service import upcoming

    reminder = profile.data.add_reminder("Stretch", NOW + timedelta(minutes=20), NOW)
    scheduler = ReminderScheduler(lambda _id: None)
    assert scheduler.schedule(upcoming(profile.store, NOW)) == 1
    assert scheduler.next_run(reminder.id) == to_aware(reminder.at)
    assert not list(profile.paths.data_dir.glob("*.sqlite")) and not list(profile.paths.data_dir.glob("jobs*"))


def test_settings_save_choices_and_back_up(profile: Profile, qtbot: Any, tmp_path: Path) -> None:
    from nargis_desktop.settings import AppSettings
    from nargis_desktop.store.database import Store

    window = window_for(profile, qtbot)
    window.select("settings")
    settle(window, qtbot)
    settings = window.pages["settings"]
    settings.rate.setValue(1.3)
    settings.theme.setCurrentText("dark")
    saved = AppSettings.load(profile.paths.config_dir / "settings.toml")
    assert (saved.speaking_rate, saved.theme) == (1.3, "dark")
    ids = [settings.models.item(r, 0).text() for r in range(settings.models.rowCount())]
    assert "gemma3-270m" in ids and "vosk-small-en" in ids
    backup = settings.backup(tmp_path / "b.db")
    assert backup is not None
    qtbot.waitUntil(lambda: settings.message.text().startswith("Backed up"), timeout=5000)
    with Store.open(backup, profile.key) as copy:
        assert copy.tasks.count() == 2


def test_the_first_run_wizard_with_the_bundled_models(
    paths: ProfilePaths, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail
    from PySide6.QtWidgets import QWizard

    from nargis_desktop.ui.first_run import FirstRunWizard
    from tests.helpers.model_sizes import remember_builtin_sizes

    monkeypatch.delenv("NARGIS_PASSPHRASE", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # a headless machine: no keyring, so a passphrase is asked for
    remember_builtin_sizes(paths)  # the models page asks no server
    try:
        wizard = FirstRunWizard(paths)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        assert wizard.currentPage() is wizard.passphrase
        next_button = wizard.button(QWizard.WizardButton.NextButton)
        wizard.passphrase.first.setText("correct horse")
        wizard.passphrase.second.setText("correct hose")
        assert not next_button.isEnabled()
        wizard.passphrase.second.setText("correct horse")
        assert next_button.isEnabled()
        wizard.next()
        listed = [wizard.models.item(i).text() for i in range(wizard.models.count())]
        assert any(t.startswith("Language model: gemma3-270m (bundled") for t in listed)
        assert any(t.startswith("Voice: piper-joe-medium (bundled") for t in listed)
        wizard.next()
        wizard.next()
        wizard.accept()
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: wizard.chosen_passphrase())
        profile.data.add_task("First task", NOW)
        profile.close()
        with pytest.raises(Exception, match="wrong key"):
            open_profile(paths, NoSecretStore(), prompt=lambda _c: "another passphrase")
    finally:
        keyring.set_keyring(previous)


def test_the_talk_key_comes_from_settings(profile: Profile, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    from nargis_desktop.settings import AppSettings

    AppSettings(talk_shortcut="F8").save(profile.paths.config_dir / "settings.toml")
    window = window_for(profile, qtbot, voice_factory=lambda act: None)
    pressed: list[str] = []
    window.press = lambda: pressed.append("press")  # type: ignore[method-assign]
    window.show()
    window.setFocus()
    qtbot.keyPress(window, Qt.Key.Key_Space)
    qtbot.keyPress(window, Qt.Key.Key_F8)
    assert pressed == ["press"]


def test_a_view_reads_the_store_off_the_main_thread_and_the_window_stays_responsive(
    profile: Profile, qtbot: Any
) -> None:
    import threading

    window = window_for(profile, qtbot)
    tasks = window.pages["tasks"]
    held, release = threading.Event(), threading.Event()

    def hold_the_store() -> None:  # like a long voice turn or a sync holding the one connection
        with window.store_lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_store)
    holder.start()
    assert held.wait(5)
    window.select("tasks")  # returns at once: a read on this thread would wait for the lock
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=3000)  # the event loop keeps running meanwhile
    assert tasks.loading and tasks.table.rowCount() == 0
    release.set()
    holder.join()
    qtbot.waitUntil(lambda: tasks.table.rowCount() == 2, timeout=5000)
    timer.stop()
    assert not tasks.loading


def test_a_screenshot_waits_for_the_views_read_from_the_store(profile: Profile, qtbot: Any) -> None:
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.ui.application import _wait_until_shown
    from nargis_desktop.ui.main_window import MainWindow

    window = MainWindow(profile, lambda: NOW, Assistant(profile.data))
    qtbot.addWidget(window)
    window.select("tasks")
    _wait_until_shown(window, "tasks")
    assert window.pages["tasks"].table.rowCount() == 2


def test_no_store_work_starts_once_the_window_has_closed(profile: Profile, qtbot: Any) -> None:
    """A result delivered while the window closes may ask for a fresh read; the store closes next."""
    from nargis_desktop.ui.background import store_pool

    window = window_for(profile, qtbot)
    window.close()
    ran: list[str] = []
    window.store_worker.run(lambda: ran.append("read"))
    window.pages["tasks"].worker.run(lambda: ran.append("page read"))
    assert store_pool().waitForDone(5000)
    assert ran == []
