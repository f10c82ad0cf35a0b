"""The fast path finds which words say when without a clock, and cuts exactly what it cut when it
ran the whole grammar at a made-up moment (2000-01-03 12:00) just to find them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from nargis_desktop.assistant.fast_path import _split
from nargis_desktop.assistant.when_phrases import split_when, when_words_in
from tests.assistant.cases import CASES
from tests.assistant.everyday_cases import EVERYDAY_CASES
from tests.time_phrases import PHRASES

DATA = Path(__file__).parents[2] / "data" / "nlu"
FORMER_CLOCK = datetime(2000, 1, 3, 12)

SAID = [
    "call mom this evening",
    "stretch tomorrow morning",
    "call mom tomorrow at 5",
    "take out the bins every monday",
    "standup every weekday at 9:30",
    "check the oven in 20 minutes",
    "pay rent on the 3rd",
    "dentist on friday at 2pm",
    "buy a gift december 5th",
    "water the plants next tuesday evening",
    "tomorrow at 5 call the bank",
    "in an hour take my pills",
    "renew passport in 3 days",
    "tonight at 11 lock the door",
    "on the 31st of this month in the evening pay the card",  # a day not every month has
    "call mom at 25:00 tomorrow",  # no such time: the cut stops there, as it did
    "pay rent december 32 in the morning",  # no such day: likewise
    "water plants in 1.5 weeks at 5",  # weeks are whole: likewise
    "buy milk",  # no time words at all
]


def _former(text: str) -> tuple[str, str]:
    body, said = split_when(text, FORMER_CLOCK)
    return body, said.text if said else ""


def _utterances() -> list[str]:
    texts = {json.loads(line)["text"] for name in ("hwu64.jsonl", "slurp-devel.jsonl") for line in (DATA / name).open()}
    texts |= {
        line.split("\t", 1)[1].strip() for line in (DATA / "nargis.tsv").open() if line.strip() and line[0] != "#"
    }
    texts |= {text for text, _check in [*CASES, *EVERYDAY_CASES]}
    texts |= {f"take my pills {phrase}" for phrase in PHRASES}
    return sorted(texts | {text.lower() for text in texts})


@pytest.mark.parametrize("text", SAID)
def test_the_words_that_say_when_are_cut_as_before(text: str) -> None:
    assert _split(text) == _former(text)


def test_every_utterance_of_the_understanding_data_is_cut_as_before() -> None:
    texts = _utterances()
    differ = [(text, when_words_in(text), _former(text)) for text in texts if when_words_in(text) != _former(text)]
    assert len(texts) > 11_000 and differ == []


def test_the_words_are_found_without_reading_a_clock() -> None:
    assert when_words_in("call mom tomorrow at 5") == ("call mom", "at 5 tomorrow")
    assert when_words_in("take out the bins every monday evening") == ("take out the bins", "every monday evening")
