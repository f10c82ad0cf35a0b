"""The evaluation sets, end to end with the shipped intent classifier: the effect on the exported
data must be right for at least MIN_ACCURACY of the utterances, so understanding cannot regress.

The local language model took part here until issue 15; it no longer decides to write anything,
so the sets run without it (the bundled MiniLM classifier and the rules decide).
"""

from __future__ import annotations

import secrets
from collections import Counter
from pathlib import Path

import pytest

from tests.assistant.cases import CASES
from tests.assistant.everyday_cases import EVERYDAY_CASES
from tests.assistant.harness import Expectation, build_base, classifier, open_session

MIN_ACCURACY = 0.97


def run_cases(tmp_path: Path, cases: list[tuple[str, Expectation]]) -> tuple[list[str], Counter[str]]:
    key = secrets.token_bytes(32)
    base = tmp_path / "base.db"
    build_base(base, key)
    failures, paths = [], Counter[str]()
    for text, expectation in cases:
        session = open_session(base, tmp_path, key)
        turn, effect = session.say(text)
        paths[turn.path] += 1
        if not expectation(effect, turn):
            failures.append(f"{text!r} -> {turn.path} {[a.as_json() for a in turn.actions]} {turn.reply!r}")
        session.store.close()
    return failures, paths


@pytest.mark.slow
def test_the_evaluation_set_meets_its_accuracy(tmp_path: Path) -> None:
    if classifier() is None:
        pytest.fail("the bundled MiniLM is not installed: the understanding cannot be evaluated")
    cases = [*CASES, *EVERYDAY_CASES]
    assert len(cases) >= 400
    failures, paths = run_cases(tmp_path, cases)
    accuracy = 1 - len(failures) / len(cases)
    report = "\n".join(failures)
    print(f"\naccuracy {accuracy:.3f} on {len(cases)} utterances; paths {dict(paths)}\n{report}")
    assert accuracy >= MIN_ACCURACY, report
