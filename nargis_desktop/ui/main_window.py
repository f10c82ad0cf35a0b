"""The main window: views on the left, push-to-talk and typed commands at the bottom, and the
voice pipeline's state (listening / thinking / speaking, live transcript, latency) in between."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nargis_desktop.app import Profile
from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.assistant.calls import Turn
from nargis_desktop.assistant.voice import VoiceEvent, VoicePipeline, stage_timings
from nargis_desktop.errors import NargisError, user_message
from nargis_desktop.ui.background import StoreWorker, keep_what_is_loaded, run_in_background, store_pool
from nargis_desktop.ui.global_hotkey import GlobalHotkey
from nargis_desktop.ui.habits_page import HabitsPage
from nargis_desktop.ui.insights_page import InsightsPage
from nargis_desktop.ui.model_download import MissingModelButton, missing_voice_model
from nargis_desktop.ui.pages import ConversationPage, JournalPage, Page, TodayPage
from nargis_desktop.ui.reminder_banner import ReminderBanner
from nargis_desktop.ui.settings_page import SettingsPage
from nargis_desktop.ui.tasks_page import TasksPage
from nargis_desktop.ui.voice_bridge import VoiceBridge
from nargis_desktop.ui.window_features import WindowFeatures

VIEWS = ("today", "tasks", "habits", "journal", "insights", "conversation", "settings")
STATE_TEXT = {
    "listening_started": "Listening…",
    "listening_stopped": "Thinking…",
    "speaking_started": "Speaking…",
    "speaking_finished": "Ready",
    "error": "Something went wrong",
}
_LOGGER = logging.getLogger(__name__)
TALK_KEY_REPEAT_GRACE_MS = 50  # an X auto-repeat's release and press come together; a person's take longer
VoiceFactory = Callable[[Callable[[str], Turn]], VoicePipeline]


class MainWindow(QMainWindow):
    def __init__(
        self,
        profile: Profile,
        clock: Callable[[], datetime],
        assistant: Assistant,
        voice_factory: VoiceFactory | None = None,
    ) -> None:
        super().__init__()
        self.profile, self.clock, self.assistant = profile, clock, assistant
        self.store_lock = threading.RLock()  # one connection: the store worker and a voice turn take turns
        self.store_worker = StoreWorker(self.store_lock, self._show_error)  # every store read and write
        self.voice_factory = voice_factory
        self.voice: VoicePipeline | None = None
        self._voice_building = False
        self.voice_warm = False  # the voice's models are loaded and its devices opened once
        self._closed = False
        self._key_down = False  # the talk key or button is held (a press may wait for the pipeline)
        self._repeats = 0  # auto-repeats of the held talk key, ignored (logged for the tests)
        self._released_at_ns: int | None = None
        self._pending_release = QTimer(self)
        self._pending_release.setSingleShot(True)
        self._pending_release.setInterval(TALK_KEY_REPEAT_GRACE_MS)
        self._pending_release.timeout.connect(self._talk_key_up)
        self.turn_events: list[VoiceEvent] = []
        self.bridge = VoiceBridge()
        self.bridge.happened.connect(self._on_voice_event)
        self.setWindowTitle("Nargis")
        self.resize(1180, 760)  # the saved size, if any, replaces it (`WindowFeatures`)
        root = QWidget()
        outer = QVBoxLayout(root)
        self.banner = ReminderBanner(profile, clock, self.reminders_changed, self.store_worker)
        outer.addWidget(self.banner)
        self.scheduler: Any = None  # set by the app; tests drive `check_reminders` with their own clock
        self.hotkey: GlobalHotkey | None = None  # the global talk key, when turned on in Settings
        body = QHBoxLayout()
        self.nav = QListWidget()
        self.nav.addItems([v.capitalize() for v in VIEWS])
        self.nav.setFixedWidth(150)
        self.nav.currentRowChanged.connect(self.show_view)
        self.stack = QStackedWidget()
        worker = self.store_worker
        self.pages: dict[str, Page] = {
            "today": TodayPage(profile, clock, worker),
            "tasks": TasksPage(profile, clock, worker),
            "habits": HabitsPage(profile, clock, worker),
            "journal": JournalPage(profile, clock, worker),
            "insights": InsightsPage(profile, clock, worker),
            "conversation": ConversationPage(profile, clock, worker),
            "settings": SettingsPage(profile, clock, worker),
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.features = WindowFeatures(self, outer)  # toast with Undo, shortcuts, tray, theme, stall watchdog
        outer.addLayout(self._voice_bar())
        self.setCentralWidget(root)
        for index in range(len(VIEWS)):  # Ctrl+1 … Ctrl+7 switch views
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self.nav.setCurrentRow(i))
        self.conversation.open_view = self.select
        for page in self.pages.values():  # a restored backup: every view reads it afresh
            self.settings_page.data_replaced.connect(page.forget_shown)
        self.settings_page.data_replaced.connect(self.reminders_changed)
        self.settings_page.data_replaced.connect(self.check_reminders)
        self.features.finish()
        self.nav.setCurrentRow(0)
        self.check_reminders()  # reminders missed while the app was closed show once, now
        if self.voice_factory is not None:
            self.check_voice_models()
        self.installEventFilter(self)  # the talk key sent to the window itself (see eventFilter)
        self._keys_watched = False  # and at its native window, once it exists (`showEvent`)

    # Reminders -----------------------------------------------------------------------------
    def check_reminders(self) -> None:
        self.banner.check()

    def reminders_changed(self) -> None:
        self.refresh_current()
        if self.scheduler is not None:
            from nargis_desktop.reminders.service import upcoming

            data, now, scheduler = self.profile.data, self.clock(), self.scheduler
            self.store_worker.run(lambda: scheduler.schedule(upcoming(data.store, now)))

    def _voice_bar(self) -> QVBoxLayout:
        bar = QVBoxLayout()
        status = QHBoxLayout()
        self.state = QLabel("Ready")
        self.state.setStyleSheet("font-weight: 600")
        self.transcript = QLabel("")
        self.transcript.setStyleSheet("color: palette(mid)")
        self.latency = QLabel("")
        from nargis_desktop.settings import AppSettings

        settings = AppSettings.load(self.profile.paths.config_dir / "settings.toml")
        self.latency.setVisible(settings.show_latency)
        sequence = QKeySequence(settings.talk_shortcut)
        self.talk_key = sequence[0].key() if sequence.count() else Qt.Key.Key_Space  # type: ignore[index]
        status.addWidget(self.state)
        status.addWidget(self.transcript, 1)
        status.addWidget(self.latency)
        bar.addLayout(status)
        row = QHBoxLayout()
        self.talk = QPushButton("Hold to talk  (Space)")
        self.talk.setMinimumHeight(56)
        self.talk.setStyleSheet("font-size: 14pt; font-weight: 600")
        from nargis_desktop.settings import AppSettings

        if AppSettings.load(self.profile.paths.config_dir / "settings.toml").click_to_toggle:
            self.talk.setText("Click to talk")
            self.talk.clicked.connect(self.toggle)
        else:
            self.talk.pressed.connect(self.press)
            self.talk.released.connect(self.release)
        self.talk_text = self.talk.text()
        if self.voice_factory is None:
            self.talk.setEnabled(False)
            self.talk.setText("No microphone found — type below")
        self.get_model = MissingModelButton(self.profile.paths)  # shown when a voice model is missing
        self.get_model.installed.connect(self._model_installed)
        self.get_model.failed.connect(self.state.setText)
        self.command = QLineEdit()
        self.command.setPlaceholderText("…or type: remind me to call mom tomorrow at 5")
        self.command.returnPressed.connect(self.type_command)
        row.addWidget(self.talk, 1)
        row.addWidget(self.get_model)
        row.addWidget(self.command, 2)
        bar.addLayout(row)
        return bar

    # Views ---------------------------------------------------------------------------------
    def show_view(self, index: int) -> None:
        page = self.pages[VIEWS[index]]
        page.refresh()  # read on the store worker; the page fills when the result arrives
        self.stack.setCurrentWidget(page)

    def select(self, view: str) -> None:
        self.nav.setCurrentRow(VIEWS.index(view))

    def refresh_current(self) -> None:
        self.show_view(self.nav.currentRow())

    # Typed commands --------------------------------------------------------------------------
    def act(self, text: str) -> Turn:
        """One assistant turn; called on worker threads."""
        with self.store_lock:
            return self.assistant.handle(text, self.clock())

    def act_on_doubt(self, text: str) -> Turn:
        """A turn on a transcript heard with low confidence: it asks before writing anything."""
        with self.store_lock:
            return self.assistant.handle(text, self.clock(), misheard=True)

    def type_command(self) -> None:
        text = self.command.text().strip()
        if not text:
            return
        self.command.clear()
        self.conversation.add("You", text)
        self.state.setText("Thinking…")
        run_in_background(lambda: self.act(text), self._show_turn, self._show_error)

    @property
    def settings_page(self) -> SettingsPage:
        page = self.pages["settings"]
        assert isinstance(page, SettingsPage)
        return page

    @property
    def conversation(self) -> ConversationPage:
        page = self.pages["conversation"]
        assert isinstance(page, ConversationPage)
        return page

    def _show_turn(self, turn: Turn) -> None:
        self.conversation.add_actions([(a.tool, a.status) for a in turn.actions])
        self.conversation.add("Nargis", turn.reply)
        self.features.show_turn(turn)
        self.state.setText("Ready")
        self.reminders_changed()

    def _show_error(self, error: BaseException) -> None:
        self.state.setText("Something went wrong")
        self.conversation.add("Error", user_message(error))
        self.features.toast.show_message(user_message(error), error=True)

    # Voice -----------------------------------------------------------------------------------
    # The pipeline is built (no device opened, no model loaded) right after the window shows, then
    # its engines warm on a worker. Press and release go straight to the pipeline, which handles
    # them in order on its own thread and ignores repeats; a press while the engines still load is
    # heard (its audio waits) rather than lost.
    def start_voice(self) -> None:
        """Build the voice pipeline and warm its models off the main thread."""
        if self.voice_factory is None or self.voice is not None or self._voice_building:
            return
        self._voice_building = True
        self.state.setText("Loading voice models… (you can already talk)")
        factory = self.voice_factory
        run_in_background(lambda: self._build_voice(factory), self._voice_ready, self._voice_failed)

    def press(self) -> None:
        if self.voice_factory is None:
            self.state.setText("No microphone found: type your command below")
            return
        self._key_down = True
        if self.voice is None:
            self.start_voice()  # the press is replayed once the pipeline exists
            return
        self.turn_events = []
        self.voice.press()

    def release(self, at_ns: int | None = None) -> None:
        self._key_down = False
        if self.voice is not None:
            self.voice.release(at_ns)

    def _build_voice(self, factory: VoiceFactory) -> VoicePipeline:
        pipeline = factory(self.act)
        pipeline.act_on_doubt = self.act_on_doubt
        phrases = pipeline.phrases
        if phrases is not None:
            pipeline.phrases = lambda: self._with_store(phrases)
        pipeline.subscribe(self.bridge.relay)
        return pipeline

    def _with_store(self, read: Callable[[], Any]) -> Any:
        with self.store_lock:
            return read()

    def _voice_ready(self, pipeline: VoicePipeline) -> None:
        self._voice_building = False
        if self._closed:
            pipeline.close()
            return
        self.voice = pipeline
        if self._key_down:  # held while the pipeline was being built: that press starts now
            self.turn_events = []
            pipeline.press()
        run_in_background(pipeline.warm_up, self._voice_warm, self._voice_failed)

    def _voice_warm(self, _result: object) -> None:
        if self._closed:
            return
        keep_what_is_loaded()
        self.voice_warm = True
        _LOGGER.info("voice ready")
        if self.voice is not None and not self.voice.listening:
            self.state.setText(f"Ready: hold {self._talk_key_name()} or the button and speak")

    def _voice_failed(self, error: BaseException) -> None:
        self._voice_building = False
        if self._closed:
            return
        self.talk.setEnabled(True)
        if getattr(error, "code", "") == "model-not-installed":
            self.check_voice_models()  # the button explains and offers the download
        self._show_error(error)

    def _talk_key_name(self) -> str:
        return QKeySequence(self.talk_key).toString() or "Space"

    def check_voice_models(self) -> None:
        """Off the main thread: is a voice model missing? Then the talk button says so and offers it."""
        paths = self.profile.paths
        run_in_background(lambda: missing_voice_model(paths), self._offer_model, self._show_error)

    def _offer_model(self, model_id: str | None) -> None:
        if model_id is None:
            return
        self.talk.setEnabled(False)
        self.talk.setText("Voice needs a model — type below")
        self.state.setText(f"The model {model_id} is not on this computer yet")
        self.get_model.offer(model_id)

    def _model_installed(self, model_id: str) -> None:
        self.talk.setText(self.talk_text)
        self.talk.setEnabled(True)
        self.state.setText(f"{model_id} installed: hold the button and speak")
        self.check_voice_models()  # the voice may need a second one

    def toggle(self) -> None:
        """Click-to-talk: the first click listens, the next one stops."""
        if self.voice is not None and self.voice.listening:
            self.release()
        else:
            self.press()

    def _on_voice_event(self, event: VoiceEvent) -> None:
        _LOGGER.info("voice event %s %s", event.kind, event.data.get("text", event.data.get("code", "")))
        self.turn_events.append(event)
        if event.kind in STATE_TEXT:
            self.state.setText(STATE_TEXT[event.kind])
        if event.kind == "partial_transcript":
            self.transcript.setText(event.data["text"])
        elif event.kind == "final_transcript":
            self.transcript.setText(event.data["text"])
            if event.data["text"]:
                self.conversation.add("You (said)", event.data["text"])
        elif event.kind == "actions_taken":
            self.conversation.add_actions([(a["tool"], a["status"]) for a in event.data["actions"]])
            self.reminders_changed()
        elif event.kind == "reply_text":
            self.conversation.add("Nargis", event.data["text"])
            self.features.show_spoken_reply(event.data["text"], self.turn_events)
        elif event.kind == "speaking_started":
            timings = stage_timings(self.turn_events)
            if "first_audio_after_release_ms" in timings:
                self.latency.setText(f"{timings['first_audio_after_release_ms']:.0f} ms")
        elif event.kind == "no_speech":
            self.state.setText("No speech heard: nothing done")
        elif event.kind == "turn_cancelled":
            self.state.setText("Cancelled: you pressed again")
        elif event.kind == "error":
            self.state.setText(f"Problem: {event.data.get('message')}")
            self.conversation.add("Error", str(event.data.get("message")))

    def start_global_hotkey(self, hotkey: GlobalHotkey) -> None:
        """Hold-to-talk from any app; the listener's thread reaches this one by queued signal."""
        if not hotkey.available:
            self.state.setText(f"Ready (the global talk key is off: {hotkey.reason})")
            return
        relay = VoiceBridge(self)
        relay.happened.connect(lambda what: self._global_key(str(what)))
        try:
            hotkey.start(lambda: relay.relay("press"), lambda: relay.relay("release"))
        except NargisError as err:
            self.state.setText(f"Ready (the global talk key is off: {err.message})")
            return
        self.hotkey = hotkey

    def _global_key(self, what: str) -> None:
        if what == "press" and self.talk.isEnabled():
            self.press()
        elif what == "release":
            self.release()

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        if self.features.keep_running_in_tray(event):
            return
        self._closed = True
        self._pending_release.stop()
        if self.hotkey is not None:
            self.hotkey.stop()
        if self.voice is not None:
            self.voice.close()  # the microphone and speaker close; a turn being answered finishes
            self.voice.wait(10)
        self.store_worker.stop()
        self.finish_store_work()
        super().closeEvent(event)  # type: ignore[arg-type]

    def finish_store_work(self, timeout_ms: int = 10000) -> None:
        """Before the store is closed: the store worker's queue runs out and a running turn ends."""
        store_pool().waitForDone(timeout_ms)
        with self.store_lock:
            pass

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        handle = self.windowHandle()
        if handle is not None and not self._keys_watched:
            handle.installEventFilter(self)
            self._keys_watched = True
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The talk key works wherever the focus is in this window, except in a text field.

        The window system hands a key to the native window (a QWindow) before the focused widget
        (the view list took Space for itself), so the filter sits there, and on the window for keys
        sent to it directly. Not on the whole application: a Python filter there ran for every
        event of every widget, hundreds per view switch, each waiting for the GIL while a worker
        held it. A held key repeats: where the X server's repeats are not flagged as such they
        arrive as a release and a press at once, so a release only counts once no press follows
        within TALK_KEY_REPEAT_GRACE_MS (stamped with the moment the key came up).
        """
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not self._is_talk_key(event):
            return False
        if event.type() == QEvent.Type.KeyPress:
            if event.isAutoRepeat() or self._pending_release.isActive():  # type: ignore[attr-defined]
                self._pending_release.stop()  # the key never came up: a repeat
                self._repeats += 1
            else:
                self._repeats = 0
                self.press()
        elif not event.isAutoRepeat():  # type: ignore[attr-defined]
            self._released_at_ns = time.monotonic_ns()
            self._pending_release.start()
        return True

    def _talk_key_up(self) -> None:
        _LOGGER.info("talk key released after %d repeats", self._repeats)
        self.release(self._released_at_ns)

    def _is_talk_key(self, event: object) -> bool:
        """The talk key (Space unless changed in Settings) for this window, not typed into a text field."""
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit

        if not isinstance(event, QKeyEvent) or event.key() != self.talk_key:
            return False
        focus = QApplication.focusWidget()
        typing = isinstance(focus, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox | QComboBox)
        return not typing and self.talk.isEnabled()
