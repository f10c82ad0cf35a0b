"""An update replaces the bundle folder; the data, the key and the models must not live in it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from nargis_desktop.app import open_profile
from nargis_desktop.config import ProfilePaths
from nargis_desktop.domain.tasks import Task
from nargis_desktop.secrets import KeyringSecretStore
from nargis_desktop.store.connection import connect
from nargis_desktop.store.keys import unlock
from nargis_desktop.store.migrations import LATEST_VERSION, migrate, schema_version
from tests.conftest import NOW, MemoryKeyring


def _install_bundle(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Pretend to run from a PyInstaller one-folder bundle in `folder`."""
    (folder / "_internal").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(folder / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "nargis"))


def _no_prompt(_confirm: bool) -> str | None:
    raise AssertionError("the key comes from the keyring; no passphrase is asked")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("HOME", str(folder))
    for name in ("NARGIS_HOME", "NARGIS_PASSPHRASE", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_the_profile_folders_are_outside_the_bundle(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "opt" / "nargis"
    _install_bundle(monkeypatch, bundle)
    paths = ProfilePaths.from_environment()
    for folder in (paths.data_dir, paths.config_dir, paths.cache_dir, paths.models_dir, paths.backups_dir):
        assert folder.is_relative_to(home)
        assert not folder.is_relative_to(bundle)


def test_a_new_version_in_a_new_folder_opens_the_same_data_with_the_keyring_key(
    tmp_path: Path, home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_bundle = tmp_path / "old" / "nargis"
    _install_bundle(monkeypatch, old_bundle)
    profile = open_profile(secret_store=KeyringSecretStore(), prompt=_no_prompt)
    profile.data.add_task("Water the plants", NOW)
    profile.close()
    assert memory_keyring.entries, "the store key went to the keyring"

    shutil.rmtree(old_bundle.parent)  # the update removes the old bundle entirely
    with monkeypatch.context() as new_version:
        _install_bundle(new_version, tmp_path / "new" / "nargis")
        profile = open_profile(secret_store=KeyringSecretStore(), prompt=_no_prompt)
        try:
            assert [task.title for task in profile.store.tasks.list()] == ["Water the plants"]
        finally:
            profile.close()


def test_the_first_open_by_a_newer_version_backs_up_then_migrates_a_v1_store(
    paths: ProfilePaths, memory_keyring: MemoryKeyring
) -> None:
    # What version 1 of the app left behind: a key record, and a store at schema 1 with one task.
    key = unlock(paths, KeyringSecretStore(), _no_prompt)
    conn = connect(paths.store_file, key)
    migrate(conn, target=1)
    conn.execute(
        "INSERT INTO tasks (id, title, created_at, updated_at) VALUES ('v1task01', 'written by v1', ?, ?)",
        (NOW.isoformat(), NOW.isoformat()),
    )
    conn.close()

    profile = open_profile(paths, KeyringSecretStore(), prompt=_no_prompt)
    try:
        assert schema_version(profile.store.conn) == LATEST_VERSION
        done = profile.data.complete_task(profile.store.tasks.get("v1task01"), NOW)
        assert isinstance(done, Task) and done.done
    finally:
        profile.close()
    backups = sorted(paths.backups_dir.glob("before-migration-*.db"))
    assert len(backups) == 1
    old = connect(backups[0], key)
    try:
        assert schema_version(old) == 1
        assert old.execute("SELECT title FROM tasks").fetchall() == [("written by v1",)]
    finally:
        old.close()
