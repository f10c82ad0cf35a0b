"""The evaluation set, end to end against the real bundled model: the effect on the exported data
must be right for at least MIN_ACCURACY of the utterances, so understanding cannot regress."""

from __future__ import annotations

import secrets
from collections import Counter
from pathlib import Path

import pytest

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.engines import open_language_model
from nargis_desktop.models.engines.base import LanguageModel
from nargis_desktop.models.manager import ModelManager
from tests.assistant.cases import CASES
from tests.assistant.harness import build_base, open_session

MIN_ACCURACY = 0.994  # 167 of 168 when it was written: only "wake me up at 6 tomorrow" fails (Gemma picks a task)


@pytest.fixture(scope="module")
def gemma(tmp_path_factory: pytest.TempPathFactory) -> LanguageModel:
    root = tmp_path_factory.mktemp("llm")
    manager = ModelManager(ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache"))
    model = open_language_model(manager.resolve("llm"), context_tokens=1024)
    model.load()
    return model


def run_cases(tmp_path: Path, model: LanguageModel | None) -> tuple[list[str], Counter[str]]:
    key = secrets.token_bytes(32)
    base = tmp_path / "base.db"
    build_base(base, key)
    failures, paths = [], Counter[str]()
    for text, expectation in CASES:
        session = open_session(base, tmp_path, key, lambda: model)
        turn, effect = session.say(text)
        paths[turn.path] += 1
        if not expectation(effect, turn):
            failures.append(f"{text!r} -> {turn.path} {[a.as_json() for a in turn.actions]} {turn.reply!r}")
        session.store.close()
    return failures, paths


def test_the_evaluation_set_meets_its_accuracy(tmp_path: Path, gemma: LanguageModel) -> None:
    assert len(CASES) >= 150
    failures, paths = run_cases(tmp_path, gemma)
    accuracy = 1 - len(failures) / len(CASES)
    report = "\n".join(failures)
    print(f"\naccuracy {accuracy:.3f} on {len(CASES)} utterances; paths {dict(paths)}\n{report}")
    assert accuracy >= MIN_ACCURACY, report
