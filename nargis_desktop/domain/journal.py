"""Journal entries keep every earlier version of their text."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.ids import new_id

MOOD_MIN, MOOD_MAX = 1, 5
MOOD_WORDS = {"awful": 1, "bad": 2, "okay": 3, "ok": 3, "good": 4, "great": 5}


def parse_mood(text: str | int | None) -> int | None:
    """Mood on a 1 (awful) to 5 (great) scale; accepts the number or the word."""
    if text is None or text == "":
        return None
    if isinstance(text, int) or (isinstance(text, str) and text.strip().isdigit()):
        mood = int(text)
    elif isinstance(text, str) and text.strip().lower() in MOOD_WORDS:
        mood = MOOD_WORDS[text.strip().lower()]
    else:
        raise DomainError(f"mood {text!r} is not 1-5 or one of {', '.join(MOOD_WORDS)}")
    if not MOOD_MIN <= mood <= MOOD_MAX:
        raise DomainError(f"mood {mood} is not between {MOOD_MIN} and {MOOD_MAX}")
    return mood


@dataclass(frozen=True)
class Revision:
    """An earlier text of an entry and when it was replaced."""

    text: str
    replaced_at: datetime


@dataclass(frozen=True)
class JournalConflict:
    """Another device's version of an entry, kept by sync when two devices edited it at once."""

    entry_id: str
    hlc: str  # when that device wrote it
    device_id: str
    text: str


@dataclass(frozen=True)
class JournalEntry:
    text: str
    created_at: datetime
    id: str = field(default_factory=new_id)
    mood: int | None = None
    history: tuple[Revision, ...] = ()

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise DomainError("a journal entry needs some text")
        parse_mood(self.mood)

    def edit(self, text: str, now: datetime) -> JournalEntry:
        if text == self.text:
            return self
        return replace(self, text=text, history=(*self.history, Revision(self.text, now)))

    @property
    def title(self) -> str:
        first_line = self.text.strip().splitlines()[0]
        return first_line if len(first_line) <= 60 else first_line[:57] + "..."
