from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from pathlib import Path

import pytest

from nargis_desktop.errors import ChecksumError, DownloadCancelledError, DownloadError, UnsafeArchiveError
from nargis_desktop.models.archive import unpack_zip
from nargis_desktop.models.download import (
    DownloadSettings,
    Progress,
    download,
    part_path,
)
from tests.helpers.range_server import Behaviour, serve

PAYLOAD = os.urandom(8 * 1024 * 1024 + 123)
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()
FAST = DownloadSettings(retries=3, backoff_base_s=0.01, progress_interval_s=0.0)


def test_a_full_download_is_verified_and_installed(tmp_path: Path) -> None:
    seen: list[Progress] = []
    with serve(Behaviour(files={"/m.bin": PAYLOAD})) as url:
        path = download(
            f"{url}/m.bin",
            tmp_path / "m.bin",
            sha256=DIGEST,
            size_bytes=len(PAYLOAD),
            progress=seen.append,
            settings=FAST,
        )
    assert path.read_bytes() == PAYLOAD
    assert not part_path(path).exists()
    assert seen[-1].done_bytes == len(PAYLOAD) and seen[-1].total_bytes == len(PAYLOAD)


def test_a_download_cut_halfway_resumes_from_the_byte_it_had(tmp_path: Path) -> None:
    half = len(PAYLOAD) // 2
    behaviour = Behaviour(files={"/m.bin": PAYLOAD}, cut_after_bytes=half)
    with serve(behaviour) as url:
        no_retry = DownloadSettings(retries=0, backoff_base_s=0.01)
        with pytest.raises(DownloadError, match="resume"):
            download(f"{url}/m.bin", tmp_path / "m.bin", sha256=DIGEST, size_bytes=len(PAYLOAD), settings=no_retry)
        assert not (tmp_path / "m.bin").exists(), "a partial download must never look installed"
        held = part_path(tmp_path / "m.bin").stat().st_size
        assert held > 0
        served_before = behaviour.bytes_served
        download(f"{url}/m.bin", tmp_path / "m.bin", sha256=DIGEST, size_bytes=len(PAYLOAD), settings=FAST)
    refetched = behaviour.bytes_served - served_before
    assert refetched == len(PAYLOAD) - held
    assert behaviour.requests[-1] == f"bytes={held}-"
    assert (tmp_path / "m.bin").read_bytes() == PAYLOAD


def test_a_checksum_mismatch_deletes_the_file_and_names_both_hashes(tmp_path: Path) -> None:
    wrong = "0" * 64
    with serve(Behaviour(files={"/m.bin": PAYLOAD})) as url, pytest.raises(ChecksumError) as caught:
        download(f"{url}/m.bin", tmp_path / "m.bin", sha256=wrong, settings=FAST)
    assert wrong in caught.value.message and DIGEST in caught.value.message
    assert not (tmp_path / "m.bin").exists() and not part_path(tmp_path / "m.bin").exists()


def test_server_errors_are_retried_until_it_recovers(tmp_path: Path) -> None:
    behaviour = Behaviour(files={"/m.bin": PAYLOAD}, fail_next=2)
    with serve(behaviour) as url:
        download(f"{url}/m.bin", tmp_path / "m.bin", sha256=DIGEST, settings=FAST)
    assert len(behaviour.requests) == 3
    assert (tmp_path / "m.bin").read_bytes() == PAYLOAD


def test_a_server_that_stays_down_fails_with_a_clear_message(tmp_path: Path) -> None:
    with serve(Behaviour(files={"/m.bin": PAYLOAD}, fail_next=99)) as url, pytest.raises(DownloadError, match="500"):
        download(f"{url}/m.bin", tmp_path / "m.bin", sha256=DIGEST, settings=FAST)


def test_a_server_without_range_support_starts_again_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "m.bin"
    part_path(target).write_bytes(PAYLOAD[:1000])
    with serve(Behaviour(files={"/m.bin": PAYLOAD}, honour_range=False)) as url:
        download(f"{url}/m.bin", target, sha256=DIGEST, settings=FAST)
    assert target.read_bytes() == PAYLOAD


def test_cancel_stops_and_keeps_the_part_for_later(tmp_path: Path) -> None:
    cancel = threading.Event()

    def stop_soon(progress: Progress) -> None:
        if progress.done_bytes > 0:
            cancel.set()

    with serve(Behaviour(files={"/m.bin": PAYLOAD})) as url, pytest.raises(DownloadCancelledError):
        download(f"{url}/m.bin", tmp_path / "m.bin", sha256=DIGEST, progress=stop_soon, cancel=cancel, settings=FAST)
    assert not (tmp_path / "m.bin").exists()
    assert 0 < part_path(tmp_path / "m.bin").stat().st_size < len(PAYLOAD)


def test_a_zip_with_a_path_traversal_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("model/ok.txt", "fine")
        bundle.writestr("../../escaped.txt", "gotcha")
    with pytest.raises(UnsafeArchiveError, match="outside"):
        unpack_zip(archive, tmp_path / "models" / "vosk")
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path.parent / "escaped.txt").exists()
    assert not (tmp_path / "models" / "vosk").exists()


def test_a_vosk_style_zip_unpacks_its_top_folder(tmp_path: Path) -> None:
    archive = tmp_path / "m.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("vosk-model-small/am/final.mdl", "x")
        bundle.writestr("vosk-model-small/conf/model.conf", "y")
    target = unpack_zip(archive, tmp_path / "models" / "vosk-small")
    assert (target / "am" / "final.mdl").read_text() == "x"
