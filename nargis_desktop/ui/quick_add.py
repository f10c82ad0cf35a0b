"""Quick add: "pay rent tomorrow at 5 every month !high" → a title, a due time, a repeat, a priority.

The same time words the assistant understands (`split_when`); no Qt here, so the preview shown
while typing and the task added on Enter come from one parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from nargis_desktop.assistant.speech import rule_words, when_words
from nargis_desktop.assistant.when_phrases import split_when
from nargis_desktop.domain.errors import DomainError
from nargis_desktop.domain.tasks import Priority

_PRIORITY = re.compile(r"(?:^|\s)(?:!(high|medium|med|low|[123])|\bp([123]))\b", re.IGNORECASE)


@dataclass(frozen=True)
class QuickTask:
    title: str
    due: date | datetime | None = None
    rule: str | None = None
    priority: Priority = Priority.NONE

    def preview(self, now: datetime) -> str:
        """What will be added, in words: "Pay rent · tomorrow at 17:00 · every month · high priority"."""
        if not self.title:
            return ""
        parts = [self.title[:1].upper() + self.title[1:]]
        if self.due is not None:
            parts.append(when_words(self.due, now))
        elif self.rule:
            parts.append("from today")
        if self.rule:
            parts.append(f"repeats {rule_words(self.rule)}")
        if self.priority is not Priority.NONE:
            parts.append(f"{self.priority.value} priority")
        return " · ".join(parts)


def parse_quick_task(text: str, now: datetime) -> QuickTask:
    text = " ".join(text.split())
    priority = Priority.NONE
    marker = _PRIORITY.search(text)
    if marker:
        priority = Priority.parse(marker.group(1) or marker.group(2))
        text = (text[: marker.start()] + " " + text[marker.end() :]).strip()
    try:
        rest, said = split_when(text, now)
    except (DomainError, ValueError):
        return QuickTask(text, priority=priority)
    title = " ".join(rest.split()).strip(" ,.")
    if said is None or not title:
        return QuickTask(text, priority=priority)
    if title[:1].islower() and text[:1].isupper():
        title = title[:1].upper() + title[1:]
    return QuickTask(_keep_case(title, text), said.at, said.rule, priority)


def _keep_case(title: str, original: str) -> str:
    """`split_when` may lower-case; take the words back from what was typed where they match."""
    found = original.lower().find(title.lower())
    return original[found : found + len(title)] if found >= 0 else title
