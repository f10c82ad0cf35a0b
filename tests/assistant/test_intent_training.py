"""The training script rebuilds the model from the data deterministically, and the shipped model
is the one the data makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nargis_desktop.assistant.classifier import IntentClassifier, IntentModel
from nargis_desktop.assistant.intents import INTENTS, for_understanding
from nargis_desktop.assistant.train_intents import is_calibration, read_rows, train
from tests.assistant.harness import classifier


def sample() -> list:  # type: ignore[type-arg]
    train_rows, _validation = read_rows()
    own = [r for r in train_rows if r.source == "nargis"]
    crowd = [r for r in train_rows if r.source != "nargis"][::60]
    return own + crowd


def test_training_on_a_sample_is_deterministic_and_learns(tmp_path: Path) -> None:
    loaded = classifier()
    if loaded is None:
        pytest.fail("the bundled MiniLM is not installed")
    embed = loaded._embed
    rows = sample()
    first, report = train(rows, embed)
    second, _ = train(rows, embed)
    first.save(tmp_path / "a.npz")
    second.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    assert report["fitting_accuracy"] > 0.9
    model = IntentModel.load(tmp_path / "a.npz")
    assert model.labels == INTENTS
    trained = IntentClassifier(embed, model)
    assert trained.classify("remind me to water the plants at 6").intent == "add_reminder"
    assert trained.classify("play some music by queen").intent == "out_of_scope"


def test_the_shipped_model_knows_every_intent_and_was_trained_on_the_data() -> None:
    model = IntentModel.load()
    assert model.labels == INTENTS
    assert model.meta["trained_on"]["hwu64"] > 9000 and model.meta["trained_on"]["nargis"] > 200
    assert 0 < model.threshold < 1 and model.temperature > 0


def test_the_calibration_rows_are_chosen_by_the_text_alone() -> None:
    assert is_calibration("set an alarm for seven") == is_calibration("set an alarm for seven")
    assert for_understanding("Um, ALEXA, set an alarm") == "set an alarm"
