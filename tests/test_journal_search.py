"""Journal search by meaning with the bundled MiniLM model, sentiment, and the cited week summary."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from nargis_desktop.app import Profile, journal_search, language_model_loader
from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.config import ProfilePaths
from nargis_desktop.services.journal_summary import summarize_week
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store

NOW = datetime(2026, 11, 25, 21, 0)
PLANTED = "Sara and I had a big fight about the wedding budget; she thinks I spend far too much."
PARAPHRASE = "argument with my fiancée over money for our marriage"

_SUBJECTS = ("the garden", "a new novel", "the bus ride", "my bike", "the kitchen", "a podcast", "the park", "my desk")
_DOINGS = (
    "I spent an hour with {s} this morning.",
    "Rain all day, so {s} had to wait.",
    "Tried something different with {s} and it went fine.",
    "Thinking about {s} again before bed.",
    "Nothing special today except {s}.",
    "Cleaned up {s} and felt calmer.",
)


def filler(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(_DOINGS).format(s=rng.choice(_SUBJECTS))} Day {n} of the month went by quietly."
        for n in range(count)
    ]


@pytest.fixture
def profile(paths: ProfilePaths, key: bytes) -> Iterator[Profile]:
    paths.ensure()
    store = Store.open(paths.store_file, key)
    data = PersonalData(store)
    data.use_journal_search(lambda: journal_search(paths, store, key))
    yield Profile(paths=paths, store=store, key=key, data=data)
    data.close()
    store.close()


def test_a_planted_entry_is_found_by_paraphrase_among_a_thousand(profile: Profile) -> None:
    data = profile.data
    texts = filler(1000)
    planted_at = 613
    for n, text in enumerate(texts):
        when = NOW - timedelta(hours=n * 7)
        data.add_journal(PLANTED if n == planted_at else text, when)
    search = data.journal_search()
    assert search.update() == 1000  # every entry embedded once
    assert search.update() == 0  # and not again
    hits = search.search(PARAPHRASE, limit=3)
    assert hits[0].entry.text == PLANTED
    # Limited to a period that does not contain it, it is not found.
    planted_day = (NOW - timedelta(hours=planted_at * 7)).date()
    later = search.search(PARAPHRASE, limit=3, first=planted_day + timedelta(days=1))
    assert all(hit.entry.text != PLANTED for hit in later)


def test_edits_and_deletes_reach_the_index_and_sentiment_follows_the_words(profile: Profile) -> None:
    data = profile.data
    glad = data.add_journal("What a wonderful, happy day: I loved every minute with my friends.", NOW)
    sad = data.add_journal("Awful day. I felt miserable, lonely and angry.", NOW - timedelta(days=7))
    search = data.journal_search()
    weeks = search.sentiment_per_week(NOW, weeks=2)
    assert weeks[0] is not None and weeks[0] < -0.5  # last week: the sad one
    assert weeks[1] is not None and weeks[1] > 0.5
    data.edit_journal(data.store.journal.get(sad.id), "Planted tomatoes in the garden.", NOW)
    data.store.journal.delete(glad.id)
    hits = search.search("vegetables growing outside", limit=5)
    assert [h.entry.id for h in hits] == [sad.id]


def test_the_assistant_answers_what_did_i_write_about_someone_last_month(profile: Profile) -> None:
    data = profile.data
    for n, text in enumerate(filler(40)):
        data.add_journal(text, NOW - timedelta(days=n))
    data.add_journal("Lunch with Sara: she is moving to Lisbon for a new job.", datetime(2026, 10, 14, 13, 0))
    data.add_journal("Sara called about the birthday party plans.", datetime(2026, 11, 20, 18, 0))
    turn = Assistant(data).handle("what did I write about Sara last month?", NOW)
    assert "Lisbon" in turn.reply and "14 October" in turn.reply
    nothing = Assistant(data).handle("what did I write about Sara in june", NOW)
    assert "nothing" in nothing.reply.lower()


def test_the_week_summary_cites_only_entries_it_was_given(profile: Profile) -> None:
    data = profile.data
    week = [
        "Ran five kilometres before work and felt strong.",
        "The project review went badly; my manager wants a new plan by Friday.",
        "Cooked dinner for my parents, they loved the soup.",
    ]
    for n, text in enumerate(week):
        data.add_journal(text, NOW - timedelta(days=n + 1))
    data.add_journal("An old entry from last month.", NOW - timedelta(days=30))
    model = language_model_loader(profile.paths)()
    assert model is not None  # the bundled model
    summary = summarize_week(data.store, NOW, model)
    assert {e.text for e in summary.sources} == set(week)
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", summary.text)}
    assert cited and cited <= {1, 2, 3}
    assert "[" not in summary.spoken()
    without_model = summarize_week(data.store, NOW, None)
    assert (
        not without_model.written_by_model and "Ran five kilometres before work and felt strong." in without_model.text
    )


def test_the_summary_by_meaning_quotes_distinct_entries_and_not_the_same_thing_twice(profile: Profile) -> None:
    data = profile.data
    week = [
        "Ran five kilometres before work and felt strong. The weather was cold.",
        "Ran five kilometres again before work, feeling strong.",
        "The project review went badly; my manager wants a new plan by Friday.",
        "Cooked dinner for my parents, they loved the soup.",
        "Went for a run before work; five kilometres, I felt strong.",
    ]
    for n, text in enumerate(week):
        data.add_journal(text, NOW - timedelta(days=5 - n))
    embedder = data.journal_embedder()
    assert embedder is not None  # the bundled MiniLM
    summary = summarize_week(data.store, NOW, None, embedder)
    cited = [int(n) for n in re.findall(r"\[(\d+)\]", summary.text)]
    assert len(cited) == 3 and len(set(cited)) == 3 and set(cited) <= {1, 2, 3, 4, 5}
    running = {1, 2, 5} & set(cited)
    assert len(running) == 1  # the three runs are one theme: quoted once
    assert {3, 4} <= set(cited)  # the work worry and the dinner both make it in
    for number in cited:  # every quote is the person's own words from the cited entry
        quoted = summary.text.split(f"[{number}]")[0].split("] ")[-1].strip()
        assert quoted in week[number - 1]


def test_an_empty_week_says_so(store: Store) -> None:
    summary = summarize_week(store, NOW, None)
    assert summary.sources == () and "haven't written" in summary.text


def test_search_without_an_embedding_model_falls_back_to_words(tmp_path: Path, key: bytes, store: Store) -> None:
    from nargis_desktop.services.journal_insights import JournalSearch
    from nargis_desktop.store.journal_index import JournalIndex

    data = PersonalData(store)
    data.add_journal("Walked the dog along the canal.", NOW)
    data.add_journal("Read a book about volcanoes.", NOW)
    search = JournalSearch(store, JournalIndex(tmp_path / "index.db", key), lambda: None, "none")
    assert [h.entry.text for h in search.search("volcanoes")] == ["Read a book about volcanoes."]
    search.close()
