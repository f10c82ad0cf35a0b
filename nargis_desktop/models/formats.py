"""Telling what a model file or folder really is, before an engine is asked to load it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nargis_desktop.errors import ModelError

GGUF_MAGIC = b"GGUF"
ENGINE_ROLES = {
    "llama-cpp": "llm",
    "piper": "tts",
    "vosk": "stt",
    "faster-whisper": "stt",
    "sentence-transformers": "embedding",
}


def is_gguf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == GGUF_MAGIC


def detect_engine(path: Path) -> str:
    """The engine that can load `path`; ModelError saying what was expected otherwise."""
    if path.is_file():
        if is_gguf(path):
            return "llama-cpp"
        if path.suffix == ".onnx" and path.with_name(path.name + ".json").is_file():
            return "piper"
    elif path.is_dir():
        if (path / "am" / "final.mdl").is_file() or (path / "conf" / "model.conf").is_file():
            return "vosk"
        if (path / "model.bin").is_file() and (path / "config.json").is_file():
            return "faster-whisper"
        if (path / "modules.json").is_file() and (path / "config.json").is_file():
            return "sentence-transformers"
    raise ModelError(
        f"{path} is not a model Nargis can load: expected a GGUF file, a Piper voice (.onnx with its .onnx.json), "
        "or a Vosk, faster-whisper or sentence-transformers folder",
        code="model-unknown-format",
    )


def check_loadable(path: Path, engine: str) -> None:
    """Refuse, in words, a file that is not what its entry says (instead of crashing the engine)."""
    if not path.exists():
        raise ModelError(f"the model file {path} is missing", code="model-missing-file")
    if engine == "llama-cpp" and not (path.is_file() and is_gguf(path)):
        raise ModelError(f"{path} is not a GGUF model file (it does not start with 'GGUF')", code="model-bad-format")
    if engine == "piper":
        config = path.with_name(path.name + ".json")
        try:
            json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelError(
                f"the Piper voice {path.name} has no readable {config.name}: {err}", code="model-bad-format"
            ) from err
    if engine in {"vosk", "faster-whisper", "sentence-transformers"} and detect_engine(path) != engine:
        raise ModelError(f"{path} is not a {engine} model folder", code="model-bad-format")


def tree_hashes(path: Path) -> dict[str, str]:
    """SHA-256 of a file, or of every file in a folder, keyed by path relative to it."""
    files = (
        [path]
        if path.is_file()
        else sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".nargis"))
    )
    hashes = {}
    for file in files:
        digest = hashlib.sha256()
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        hashes[file.name if path.is_file() else str(file.relative_to(path))] = digest.hexdigest()
    return hashes
