"""`nargis sync sheets …` run as a person would, against the fake Sheets server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.sheets.fake_sheets import FakeSheetsServer


def nargis(
    home: Path, fake: FakeSheetsServer, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(home),
        NARGIS_PASSPHRASE="test pass",
        NARGIS_SHEETS_ENDPOINT=fake.base_url,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return subprocess.run(
        [sys.executable, "-m", "nargis_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_connect_sync_status_and_disconnect(tmp_path: Path, fake: FakeSheetsServer) -> None:
    home = tmp_path / "home"
    assert nargis(home, fake, "task", "add", "buy", "milk").returncode == 0
    assert "not connected" in nargis(home, fake, "sync", "sheets", "status").stdout
    assert nargis(home, fake, "sync", "sheets", "now").returncode == 4
    refused = nargis(home, fake, "sync", "sheets", "connect", "--include-journal", stdin="n\n")
    assert refused.returncode == 1 and "not end-to-end encrypted" in refused.stderr
    assert not fake.spreadsheets
    connected = nargis(home, fake, "sync", "sheets", "connect")
    assert connected.returncode == 0, connected.stderr
    synced = nargis(home, fake, "sync", "sheets", "now")
    assert synced.returncode == 0 and "1 rows written" in synced.stdout
    assert fake.values("Tasks")[1][1] == "buy milk"
    status = nargis(home, fake, "sync", "sheets", "status").stdout
    assert "journal synced: no" in status and "local changes waiting: 0" in status
    assert nargis(home, fake, "sync", "sheets", "disconnect").returncode == 0
    assert "not connected" in nargis(home, fake, "sync", "sheets", "status").stdout


def test_connect_with_a_missing_key_file_says_so(tmp_path: Path, fake: FakeSheetsServer) -> None:
    result = nargis(
        tmp_path / "home", fake, "sync", "sheets", "connect", "--service-account", str(tmp_path / "nope.json")
    )
    assert result.returncode == 2 and "does not exist" in result.stderr
