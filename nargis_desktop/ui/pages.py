"""The views: Today, Tasks, Habits, Journal and the conversation.

Each page reads the store on the store worker when shown (`read`, off the Qt main thread) and fills
its widgets from the result when it arrives by queued signal (`fill`); edits are written the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from nargis_desktop.app import Profile
from nargis_desktop.assistant.speech import when_words
from nargis_desktop.domain.journal import JournalEntry
from nargis_desktop.services.agenda import today
from nargis_desktop.ui import hand_actions
from nargis_desktop.ui.background import StoreWorker
from nargis_desktop.ui.theme import is_dark

_LOGGER = logging.getLogger(__name__)
ITEM_ID = Qt.ItemDataRole.UserRole
Clock = Callable[[], datetime]


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 18pt; font-weight: 600; margin-bottom: 6px")
    return label


def section(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; margin-top: 8px")
    return label


def empty_state(text: str) -> QLabel:
    """What an empty list says instead of a blank box: what to do to fill it."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text); font-size: 12pt; padding: 24px")
    label.hide()
    return label


def _log_failure(error: BaseException) -> None:
    _LOGGER.error("store work failed: %s", error)


_UNCHANGED = object()  # the read was skipped: the store and the page's inputs are as last shown


class Page(QWidget):
    """A view. `refresh` never touches the store on the main thread: `reader` returns the read to
    run on the store worker (capturing filters and the like first), `fill` shows its result.

    A view shown again over unchanged data is not read or filled again (the store's version and the
    page's `inputs` are as when it was last filled): rebuilding hundreds of rows on every visit held
    the main thread, and the reads competed with it for the GIL."""

    loaded = Signal()  # the widgets show the latest read
    acted = Signal(str)  # a change made by hand, in words: the window shows it with Undo
    reads_store = True  # False: the read depends on more than the store (files, the network): always read

    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__()
        self.profile, self.clock = profile, clock
        self.worker = worker or StoreWorker(threading.RLock(), _log_failure)
        self.layout_ = QVBoxLayout(self)
        self._asked = self._shown = 0
        self._filled_from: object = None  # (store version, inputs) of what the widgets show

    @property
    def loading(self) -> bool:
        return self._shown < self._asked

    def inputs(self) -> tuple[object, ...]:
        """Besides the store, what the read and the fill depend on (extended by pages with filters)."""
        now = self.clock()
        return now.replace(second=0, microsecond=0), is_dark()

    def forget_shown(self) -> None:
        """The next refresh reads and fills whatever the version says (the store was replaced)."""
        self._filled_from = None

    def refresh(self) -> None:
        self._asked += 1
        asked, read, filled_from = self._asked, self.reader(), self._filled_from
        store, inputs, reads_store = self.profile.data.store, self.inputs(), self.reads_store

        def read_if_changed() -> tuple[object, Any]:
            seen = (id(store), store.version(), inputs) if reads_store else None
            return seen, (_UNCHANGED if seen is not None and seen == filled_from else read())

        def show(result: tuple[object, Any]) -> None:
            seen, data = result
            if asked == self._asked:  # an older read that arrives late is not shown
                self._shown = asked
                if data is not _UNCHANGED:
                    self._filled_from = seen
                    self.fill(data)
                self.loaded.emit()

        self.worker.run(read_if_changed, show)

    def write(self, work: Callable[[], Any]) -> None:
        """Change the store on the worker, then show the result."""
        self.worker.run(work, lambda _r: self.refresh())

    def act(self, work: Callable[[], str]) -> None:
        """A change made by hand (see `hand_actions`): on the worker, then said with Undo, then read again."""

        def done(words: str) -> None:
            self.acted.emit(words)
            self.refresh()

        self.worker.run(work, done)

    def reader(self) -> Callable[[], Any]:  # overridden: each page reads what it shows
        return lambda: None

    def fill(self, data: Any) -> None:
        return None


class TodayPage(Page):
    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        self.title = heading("Today")
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(section("Tasks due — tick to complete"))
        self.tasks = QListWidget()
        self.tasks.setSpacing(3)
        self.tasks.itemChanged.connect(self._ticked)
        self.layout_.addWidget(self.tasks, 2)
        self.no_tasks = empty_state("Nothing due today. Add a task in Tasks (Ctrl+N) or say “add pay rent today”.")
        self.layout_.addWidget(self.no_tasks, 2)
        self.layout_.addWidget(section("Habits to check today — tick when done"))
        self.habits = QListWidget()
        self.habits.setSpacing(3)
        self.habits.itemChanged.connect(self._habit_ticked)
        self.habits.itemDoubleClicked.connect(self._check)
        self.layout_.addWidget(self.habits, 1)
        self.no_habits = empty_state("No habits left to check today. Start one in Habits.")
        self.layout_.addWidget(self.no_habits, 1)
        self.layout_.addWidget(section("Reminders"))
        from nargis_desktop.ui.reminders_panel import RemindersPanel

        self.reminder_panel = RemindersPanel(
            self.add_reminder, self.edit_reminder, self.snooze_reminder, self.complete_reminder, clock
        )
        self.reminders = self.reminder_panel.list
        self.layout_.addWidget(self.reminder_panel, 1)

    def reader(self) -> Callable[[], Any]:
        now, data = self.clock(), self.profile.data

        def read() -> Any:
            agenda = today(data.store, now)
            habits = [(h, data.streak(h, now.date())) for h in agenda.habits_to_check]
            return now, agenda, habits, data.reminders()

        return read

    def fill(self, loaded: Any) -> None:
        now, agenda, habits, reminders = loaded
        self.title.setText(f"Today, {now:%A %d %B}")
        self.tasks.blockSignals(True)
        self.tasks.clear()
        for task in agenda.tasks:
            label = task.title + ("  — overdue" if task.is_overdue(now) else "")
            if task.priority.value != "none":
                label += f"  !{task.priority.value}"
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(ITEM_ID, task.id)
            if task.is_overdue(now):
                item.setForeground(QColor("#ff8a80" if is_dark() else "#c62828"))
                item.setToolTip(f"Overdue: it was due {when_words(task.due, now)}" if task.due else "Overdue")
            self.tasks.addItem(item)
        self.tasks.blockSignals(False)
        self.tasks.setVisible(bool(agenda.tasks))
        self.no_tasks.setVisible(not agenda.tasks)
        self.habits.blockSignals(True)
        self.habits.clear()
        for habit, streak in habits:
            item = QListWidgetItem(f"{habit.name}  —  streak {streak.describe()}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(ITEM_ID, habit.id)
            self.habits.addItem(item)
        self.habits.blockSignals(False)
        self.habits.setVisible(bool(habits))
        self.no_habits.setVisible(not habits)
        self.reminder_panel.show_reminders(reminders, now)

    def _ticked(self, item: QListWidgetItem) -> None:
        if item.checkState() == Qt.CheckState.Checked:
            data, task_id, now = self.profile.data, str(item.data(ITEM_ID)), self.clock()
            self.act(lambda: hand_actions.complete_task(data, task_id, now))

    def _habit_ticked(self, item: QListWidgetItem) -> None:
        if item.checkState() == Qt.CheckState.Checked:
            self._check(item)

    def _check(self, item: QListWidgetItem) -> None:
        data, habit_id, now = self.profile.data, str(item.data(ITEM_ID)), self.clock()
        self.act(lambda: hand_actions.set_checked(data, habit_id, now.date(), True, now))

    def add_reminder(self, text: str, at: datetime) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.add_reminder(data, text, at, now))

    def edit_reminder(self, reminder_id: str, text: str, at: datetime) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.edit_reminder(data, reminder_id, text, at, now))

    def snooze_reminder(self, reminder_id: str, minutes: int) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.snooze_reminder(data, reminder_id, minutes, now))

    def complete_reminder(self, reminder_id: str) -> None:
        data, now = self.profile.data, self.clock()
        self.act(lambda: hand_actions.complete_reminder(data, reminder_id, now))


class JournalPage(Page):
    AUTOSAVE_MS = 800

    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        top = QHBoxLayout()
        top.addWidget(heading("Journal"))
        top.addStretch(1)
        self.new_button = QPushButton("+ New entry")
        self.new_button.setToolTip("Start a new entry (Ctrl+N)")
        self.new_button.clicked.connect(self.new_entry)
        top.addWidget(self.new_button)
        self.layout_.addLayout(top)
        searching = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search entries… (Enter searches by meaning)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self.search_by_meaning)
        searching.addWidget(self.search, 1)
        self.found = QLabel("")
        self.found.setStyleSheet("color: palette(placeholder-text)")
        searching.addWidget(self.found)
        self.layout_.addLayout(searching)
        self.by_meaning = False  # Enter asks the journal index; typing again goes back to words
        row = QHBoxLayout()
        self.entries = QListWidget()
        self.entries.setSpacing(4)  # a timeline: each entry apart from the next
        self.entries.setUniformItemSizes(True)  # two lines each: hundreds of entries laid out at once
        self.entries.currentItemChanged.connect(self._open)
        row.addWidget(self.entries, 1)
        editor = QVBoxLayout()
        from nargis_desktop.ui.journal_conflict import ConflictBanner

        self.conflict = ConflictBanner(self.resolve_conflict)  # shown over an entry edited on two devices
        editor.addWidget(self.conflict)
        mood_row = QHBoxLayout()
        mood_row.addWidget(QLabel("Mood"))
        self.mood = QComboBox()
        self.mood.addItems(MOODS)
        mood_row.addWidget(self.mood)
        mood_row.addStretch(1)
        self.editing = QLabel("New entry")
        self.editing.setStyleSheet("color: palette(placeholder-text)")
        mood_row.addWidget(self.editing)
        editor.addLayout(mood_row)
        self.editor = QTextEdit()
        self.editor.setPlaceholderText("Write today's entry… (saved as you type)")
        editor.addWidget(self.editor, 1)
        self.saved = QLabel("")
        editor.addWidget(self.saved)
        row.addLayout(editor, 2)
        self.layout_.addLayout(row)
        # What the editor is writing to: filled in by the store worker when a new entry is first saved,
        # replaced by a fresh one when another entry is opened (so a late save never lands there).
        self.draft: dict[str, str | None] = {"id": None}
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(self.AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save)
        self.editor.textChanged.connect(self._autosave.start)
        self.mood.currentIndexChanged.connect(self._autosave.start)

    @property
    def current_id(self) -> str | None:
        return self.draft["id"]

    def _typed(self) -> None:
        self.by_meaning = False
        self.refresh()

    def search_by_meaning(self) -> None:
        """The entries nearest in meaning (the journal index on the worker; it loads its model once)."""
        if self.search.text().strip():
            self.by_meaning = True
            self.found.setText("Searching by meaning…")
            self.forget_shown()  # asked for: searched again even if nothing changed
            self.refresh()

    def inputs(self) -> tuple[object, ...]:
        return *super().inputs(), self.search.text(), self.by_meaning

    def reader(self) -> Callable[[], Any]:
        data, wanted = self.profile.data, self.search.text().lower()  # data.store: the current one, after a restore
        by_meaning = self.by_meaning and bool(wanted.strip())

        def read() -> Any:
            scores: dict[str, float] = {}
            if by_meaning:
                hits = data.journal_search().search(wanted, limit=10)
                entries, scores = [h.entry for h in hits], {h.entry.id: h.score for h in hits}
            else:
                entries = [e for e in data.store.journal.newest_first() if wanted in e.text.lower()]
            conflicted = {c.entry_id for c in data.journal_conflicts()}
            return [_timeline_row(e, conflicted, scores, wanted) for e in entries], conflicted, bool(scores)

        return read

    def fill(self, loaded: Any) -> None:
        rows, conflicted, by_meaning = loaded
        self.found.setText(f"{len(rows)} nearest in meaning" if by_meaning else "")
        self.entries.blockSignals(True)
        self.entries.clear()
        bold = QFont(self.entries.font())
        bold.setBold(True)
        for entry_id, text, matched in rows:  # the words made on the worker: only the items here
            item = QListWidgetItem(text)
            item.setData(ITEM_ID, entry_id)
            if matched:  # the words searched for: in bold
                item.setFont(bold)
            self.entries.addItem(item)
            if entry_id == self.current_id:
                item.setSelected(True)
        if not rows:
            nothing = "No entries yet. Write on the right: it saves itself."
            empty = "No entry matches." if self.search.text() else nothing
            placeholder = QListWidgetItem(empty)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.entries.addItem(placeholder)
        self.entries.blockSignals(False)
        shown = self.current_id
        changed = shown is not None and (shown in conflicted) != self.conflict.isVisibleTo(self)
        if changed and shown is not None and not self._autosave.isActive():
            self.open_entry(shown)  # a sync brought (or settled) a conflict: show it, unless the person types

    def new_entry(self) -> None:
        """Whatever is typed is saved first; then an empty page for a new entry."""
        if self._autosave.isActive():
            self._autosave.stop()
            self.save()
        self.draft = {"id": None}
        self.conflict.show_conflicts([])
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.blockSignals(False)
        self.mood.blockSignals(True)
        self.mood.setCurrentIndex(0)
        self.mood.blockSignals(False)
        self.entries.blockSignals(True)
        self.entries.clearSelection()
        self.entries.setCurrentRow(-1)
        self.entries.blockSignals(False)
        self.editing.setText("New entry")
        self.saved.setText("")
        self.editor.setFocus()

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(ITEM_ID):
            self.open_entry(str(item.data(ITEM_ID)))

    def open_entry(self, entry_id: str) -> None:
        data = self.profile.data
        self.worker.run(lambda: (data.store.journal.get(entry_id), data.journal_conflicts(entry_id)), self._show_entry)

    def resolve_conflict(self, choice: str) -> None:
        """Keep this text, use the other device's, or both: written for every device to see."""
        from nargis_desktop.ui.journal_conflict import resolved_text

        entry_id = self.current_id
        if entry_id is None:
            return
        self._autosave.stop()  # the choice includes what is typed now
        text = resolved_text(choice, self.editor.toPlainText(), self.conflict.others())
        data = self.profile.data

        def resolved(_result: None) -> None:
            self.open_entry(entry_id)
            self.refresh()

        self.worker.run(lambda: data.resolve_journal_conflict(entry_id, text), resolved)

    def _show_entry(self, loaded: Any) -> None:
        entry, conflicts = loaded
        self.conflict.show_conflicts(conflicts)
        self._autosave.stop()
        self.draft = {"id": entry.id}
        self.editing.setText(f"Editing the entry of {entry.created_at:%a %d %b %Y}")
        self.editor.blockSignals(True)
        self.editor.setPlainText(entry.text)
        self.editor.blockSignals(False)
        self.mood.blockSignals(True)
        self.mood.setCurrentIndex(entry.mood or 0)
        self.mood.blockSignals(False)

    def save(self) -> None:
        text = self.editor.toPlainText().strip()
        if not text:
            return
        data, now, draft = self.profile.data, self.clock(), self.draft
        mood = self.mood.currentIndex() or None

        def write() -> None:  # on the store worker, after any earlier save of the same draft
            if draft["id"] is None:
                draft["id"] = data.add_journal(text, now, mood=mood).id
            else:
                data.edit_journal_entry(draft["id"], text, now, mood=mood)

        def saved(_result: None) -> None:
            self.saved.setText(f"Saved {now:%H:%M}")
            self.refresh()

        self.worker.run(write, saved)


MOODS = ["No mood", "1 awful", "2 bad", "3 okay", "4 good", "5 great"]


def _timeline_row(
    entry: JournalEntry, conflicted: set[str], scores: dict[str, float], wanted: str
) -> tuple[str, str, bool]:
    """An entry's line in the timeline (id, text, whether it holds a word searched for)."""
    mark = "  ⚠ edited on two devices" if entry.id in conflicted else ""
    mood = f" · {MOODS[entry.mood]}" if entry.mood else ""
    score = f" · match {scores[entry.id]:.0%}" if entry.id in scores else ""
    words = {w for w in wanted.split() if len(w) > 2}
    matched = bool(words and words & set(entry.text.lower().split()))
    return entry.id, f"{entry.created_at:%a %d %b %Y · %H:%M}{mood}{score}{mark}\n{entry.title}", matched


TOOL_VIEWS = {  # where the item an action touched is shown
    "task": "tasks",
    "habit": "habits",
    "journal": "journal",
    "reminder": "today",
    "list": "today",
    "chat": "",
}


class ConversationPage(Page):
    """What was heard, what was done (double-click an action to open its view), what Nargis said."""

    def __init__(self, profile: Profile, clock: Clock, worker: StoreWorker | None = None) -> None:
        super().__init__(profile, clock, worker)
        self.layout_.addWidget(heading("Conversation"))
        self.turns = QListWidget()
        self.turns.setWordWrap(True)
        self.layout_.addWidget(self.turns)
        self.open_view: Callable[[str], None] | None = None
        self.turns.itemDoubleClicked.connect(self._follow)

    def add(self, who: str, text: str, view: str = "") -> None:
        item = QListWidgetItem(f"{who}: {text}" + ("  ↗" if view else ""))
        item.setData(ITEM_ID, view)
        self.turns.addItem(item)
        self.turns.scrollToBottom()

    def add_actions(self, tools: list[tuple[str, str]]) -> None:
        """One line per action, linked to the view that shows what it changed."""
        for tool, status in tools:
            noun = next((n for n in TOOL_VIEWS if n in tool), "")
            self.add("Done", f"{tool.replace('_', ' ')} ({status})", TOOL_VIEWS.get(noun, ""))

    def _follow(self, item: QListWidgetItem) -> None:
        view = str(item.data(ITEM_ID) or "")
        if view and self.open_view is not None:
            self.open_view(view)
