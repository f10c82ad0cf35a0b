"""The property that makes Nargis safe to talk to: no question, statement of state, chit-chat or
out-of-scope row of the held-out SLURP split writes anything, on a real encrypted store."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from nargis_desktop.assistant.dialogue import STATE_KEY
from nargis_desktop.assistant.intents import ACTS, WRITING_ACTS, nargis_intent
from nargis_desktop.assistant.train_intents import DATA_DIR
from tests.assistant.harness import build_base, classifier, export, open_session

# Rows whose label says "not a command" while the words plainly ask Nargis to write; each was read
# by a person. Nargis is right to write them (or to treat them as the to-do they are).
MISLABELLED = {
    "add vodka to my party shopping list": "labelled lists_query: it adds to a list",
    "checkout today set alarm of ten am": "labelled alarm_query: it sets an alarm",
    "i need to email susan and metion": "labelled email_sendemail: for a to-do list it is a to-do",
    "make a to do list while visiting the yellow stone national park": "labelled recommendation_events",
}


def non_write_rows() -> list[str]:
    rows = [json.loads(line) for line in (DATA_DIR / "slurp-devel.jsonl").read_text(encoding="utf-8").splitlines()]
    return [
        r["text"]
        for r in rows
        # Labels outside the scheme ("set", "query", "music": no scenario) say nothing reliable.
        if "_" in r["intent"] and r["text"] not in MISLABELLED and ACTS[nargis_intent(r["intent"])] not in WRITING_ACTS
    ]


@pytest.mark.slow
def test_no_non_command_row_of_the_held_out_split_writes(tmp_path: Path) -> None:
    if classifier() is None:
        pytest.fail("the bundled MiniLM is not installed: the understanding cannot be tested")
    key = secrets.token_bytes(32)
    build_base(tmp_path / "base.db", key)
    session = open_session(tmp_path / "base.db", tmp_path, key)
    rows = non_write_rows()
    assert len(rows) > 1000
    before = export(session.store)
    writes = []
    for text in rows:
        # Each row starts a fresh conversation: nothing pending that a "yes" row could confirm.
        session.store.conn.execute("DELETE FROM meta WHERE key = ?", (STATE_KEY,))
        turn, effect = session.say(text)
        if not effect.empty:
            writes.append(f"{text!r} -> {turn.reply}")
    assert writes == [], f"{len(writes)} of {len(rows)} rows wrote:\n" + "\n".join(writes)
    assert export(session.store) == before
