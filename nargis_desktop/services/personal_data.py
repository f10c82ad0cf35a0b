"""Operations on tasks, habits, check-ins, journal and reminders, each one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from nargis_desktop.domain.completions import TaskCompletion
from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.journal import JournalConflict, JournalEntry
from nargis_desktop.domain.reminders import Reminder
from nargis_desktop.domain.streaks import Streak, streak
from nargis_desktop.domain.tasks import Due, Priority, Task
from nargis_desktop.domain.when import refuse_past_reminder
from nargis_desktop.errors import FutureCheckinError, InputError, NotFoundError, maps_domain_errors
from nargis_desktop.services.insights import Insights
from nargis_desktop.store import sync_state
from nargis_desktop.store.database import Store
from nargis_desktop.store.repository import HasId, Repository

if TYPE_CHECKING:
    from nargis_desktop.models.engines.base import Embedder
    from nargis_desktop.services.journal_insights import JournalSearch

T = TypeVar("T", bound=HasId)


@maps_domain_errors  # the service boundary: a value the domain refuses leaves as an InputError
class PersonalData:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.insights = Insights(store)
        self._journal_search_factory: Callable[[], JournalSearch] | None = None
        self._journal_search: JournalSearch | None = None

    def use_journal_search(self, factory: Callable[[], JournalSearch]) -> None:
        """The composition root says how to open the journal index and its embedding model."""
        self._journal_search_factory = factory

    def journal_search(self) -> JournalSearch:
        if self._journal_search is None:
            if self._journal_search_factory is None:
                raise InputError("journal search is not set up for this store", code="no-journal-search")
            self._journal_search = self._journal_search_factory()
        return self._journal_search

    def journal_embedder(self) -> Embedder | None:
        """The journal's embedding model, or None where journal search is not set up."""
        if self._journal_search is None and self._journal_search_factory is None:
            return None
        return self.journal_search().embedder()

    def close(self) -> None:
        self.insights.close()
        if self._journal_search is not None:
            self._journal_search.close()

    # Lookup ---------------------------------------------------------------------------
    def _resolve(self, repo: Repository[T], reference: str, by_name: str) -> T:
        """An item by id (or id prefix), else by its exact name, ignoring case."""
        matches = repo.called(by_name, reference)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InputError(
                f"{len(matches)} {repo.codec.entity}s are called {reference!r}; use the id", code="ambiguous-id"
            )
        try:
            return repo.find(reference)
        except InputError as err:
            partial = repo.containing(by_name, reference)
            if len(partial) == 1:
                return partial[0]
            if len(partial) > 1:
                names = ", ".join(repr(getattr(item, by_name)) for item in partial[:5])
                raise InputError(
                    f"{reference!r} matches {len(partial)} {repo.codec.entity}s ({names}); be more specific",
                    code="ambiguous-id",
                ) from err
            raise NotFoundError(f"no {repo.codec.entity} called or with id {reference!r}") from err

    def task(self, reference: str) -> Task:
        return self._resolve(self.store.tasks, reference, "title")

    def habit(self, reference: str) -> Habit:
        return self._resolve(self.store.habits, reference, "name")

    def reminder(self, reference: str) -> Reminder:
        return self._resolve(self.store.reminders, reference, "text")

    def journal_entry(self, reference: str) -> JournalEntry:
        return self.store.journal.find(reference)

    # Tasks -------------------------------------------------------------------------------
    def add_task(
        self,
        title: str,
        now: datetime,
        *,
        due: Due | None = None,
        priority: Priority = Priority.NONE,
        recurrence: str | None = None,
        tags: Iterable[str] = (),
        notes: str = "",
    ) -> Task:
        task = Task(
            title=title.strip(),
            created_at=now,
            due=due,
            priority=priority,
            recurrence=recurrence,
            tags=tuple(tags),
            notes=notes,
        )
        return self.store.tasks.add(task)

    def complete_task(self, task: Task, now: datetime) -> Task:
        if task.done:
            raise InputError(f"the task {task.title!r} is already done", code="already-done")
        completed = task.complete(now)
        with self.store.transaction():
            self.store.completions.add(TaskCompletion.of(task, now))
            self.store.tasks.save(completed)
        return completed

    def edit_task(self, task: Task, **changes: Any) -> Task:
        edited = replace(task, **changes)
        return self.store.tasks.save(edited)

    def reopen_task(self, task: Task) -> Task:
        """A task completed by mistake is open again (its completions stay in the history)."""
        return self.store.tasks.save(task.reopen())

    def delete_task(self, task: Task) -> None:
        self.store.tasks.delete(task.id)

    def tasks(self, *, include_done: bool = False, tag: str | None = None) -> list[Task]:
        tasks = self.store.tasks.by_due(done_too=include_done)
        if tag:
            tasks = [t for t in tasks if tag.lower().lstrip("#") in t.tags]
        return tasks

    # Habits ------------------------------------------------------------------------------
    def add_habit(
        self,
        name: str,
        now: datetime,
        *,
        schedule: str = "daily",
        target: float | None = None,
        unit: str = "",
        start: date | None = None,
    ) -> Habit:
        if self.store.habits.called("name", " ".join(name.split())):
            raise InputError(f"there is already a habit called {name!r}", code="duplicate")
        habit = Habit(
            name=name,
            start=start or now.date(),
            created_at=now,
            schedule=Schedule.parse(schedule),
            target=target,
            unit=unit,
        )
        return self.store.habits.add(habit)

    def check_in(
        self, habit: Habit, day: date, now: datetime, *, value: float | None = None, note: str = ""
    ) -> CheckIn:
        """One check-in per habit and day: checking again updates that day's value and note."""
        if day > now.date():
            raise FutureCheckinError("cannot check in a habit for a day that has not come yet")
        with self.store.transaction():
            if day < habit.start:  # a check-in from before the habit was created extends its history
                self.store.habits.save(replace(habit, start=day))
            existing = self.store.checkins.on(habit.id, day)
            if existing:
                updated = replace(
                    existing[0], value=value if value is not None else existing[0].value, note=note or existing[0].note
                )
                return self.store.checkins.save(updated)
            return self.store.checkins.add(CheckIn(habit_id=habit.id, day=day, created_at=now, value=value, note=note))

    def take_back_check_in(self, checkin: CheckIn) -> None:
        """The day was checked by mistake: its check-in goes."""
        self.store.checkins.delete(checkin.id)

    def edit_habit(self, habit: Habit, *, name: str, schedule: str) -> Habit:
        """A new name and schedule, said in words ("3 times a week", "every weekday")."""
        return self.store.habits.save(replace(habit, name=name, schedule=Schedule.parse(schedule)))

    def archive_habit(self, habit: Habit) -> Habit:
        """Out of the lists, its history kept."""
        return self.store.habits.save(replace(habit, archived=True))

    def checkins(self, habit: Habit | None = None) -> list[CheckIn]:
        if habit is None:
            return self.store.checkins.by_day()
        return self.store.checkins.of(habit.id)

    def streak(self, habit: Habit, today: date) -> Streak:
        return streak(habit, self.checkins(habit), today)

    # Journal -----------------------------------------------------------------------------
    def add_journal(self, text: str, now: datetime, *, mood: int | None = None) -> JournalEntry:
        entry = JournalEntry(text=text.strip(), created_at=now, mood=mood)
        return self.store.journal.add(entry)

    def edit_journal(self, entry: JournalEntry, text: str, now: datetime) -> JournalEntry:
        return self.store.journal.save(entry.edit(text.strip(), now))

    def edit_journal_entry(self, entry_id: str, text: str, now: datetime, *, mood: int | None) -> JournalEntry:
        """The entry's new text (the one it replaces kept in its history) and its mood."""
        entry = self.store.journal.get(entry_id)
        return self.store.journal.save(replace(entry.edit(text.strip(), now), mood=mood))

    def journal_conflicts(self, entry_id: str | None = None) -> list[JournalConflict]:
        """Versions of entries (or of one) that sync kept when two devices edited them at once."""
        return sync_state.journal_conflicts(self.store, entry_id)

    def resolve_journal_conflict(self, entry_id: str, text: str) -> None:
        """The person's text replaces the entry and its kept versions, on every device."""
        sync_state.resolve_journal_conflict(self.store, entry_id, text)

    # Reminders ---------------------------------------------------------------------------
    def add_reminder(self, text: str, at: datetime, now: datetime, *, recurrence: str | None = None) -> Reminder:
        """A new reminder; one for a moment already gone is refused (it could never ring)."""
        if recurrence is None:
            refuse_past_reminder(at, now)
        reminder = Reminder(text=text.strip(), at=at, created_at=now, recurrence=recurrence)
        return self.store.reminders.add(reminder)

    def edit_reminder(self, reminder: Reminder, text: str, at: datetime) -> Reminder:
        """New words and a new moment; a snooze is forgotten (the new moment is when it rings)."""
        return self.store.reminders.save(replace(reminder, text=text, at=at, snoozed_until=None))

    def repeat_reminder(self, reminder: Reminder, recurrence: str, first: datetime) -> Reminder:
        """A new repeat, first ringing at `first`; a snooze is forgotten."""
        return self.store.reminders.save(replace(reminder, recurrence=recurrence, at=first, snoozed_until=None))

    def delete_reminder(self, reminder: Reminder) -> None:
        self.store.reminders.delete(reminder.id)

    def snooze_reminder(self, reminder: Reminder, minutes: float, now: datetime) -> Reminder:
        return self.store.reminders.save(reminder.snooze(minutes, now))

    def complete_reminder(self, reminder: Reminder, now: datetime) -> Reminder:
        if reminder.done:
            raise InputError(f"the reminder {reminder.text!r} is already done", code="already-done")
        return self.store.reminders.save(reminder.complete(now))

    def reminders(self, *, include_done: bool = False) -> list[Reminder]:
        return self.store.reminders.by_time(done_too=include_done)
