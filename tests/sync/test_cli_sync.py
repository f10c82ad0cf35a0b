"""`nargis sync ...` as a person runs it: two profiles (two devices) and a real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.sync.servers import free_port, running_server, settings_for

NARGIS = str(Path(sys.executable).parent / "nargis")


def nargis(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(home),
        NARGIS_PASSPHRASE="test pass",
        NARGIS_SYNC_PASSWORD="correct horse battery",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return subprocess.run([NARGIS, *args], capture_output=True, text=True, env=env, timeout=60, check=False)


def ok(home: Path, *args: str) -> str:
    result = nargis(home, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_login_sync_status_and_logout_from_the_command_line(tmp_path: Path) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    port = free_port()
    with running_server(settings_for(f"sqlite:///{tmp_path / 'server.db'}"), port) as server:
        assert "not set up" in ok(laptop, "sync", "status")
        shown = ok(laptop, "sync", "login", server.url, "--email", "me@example.org", "--register")
        assert "recovery phrase" in shown and "lose it" in shown
        phrase = re.search(r"(?:[A-Z2-7]{4}-){7}[A-Z2-7]{4}", shown)
        assert phrase is not None
        ok(laptop, "task", "add", "water the plants")
        assert "sent 1 changes" in ok(laptop, "sync", "now")
        wrong = nargis(desktop, "-v", "sync", "login", server.url, "--email", "me@example.org", "--phrase", "A" * 32)
        assert wrong.returncode == 4 and "[sync-wrong-key]" in wrong.stderr
        ok(desktop, "sync", "login", server.url, "--email", "me@example.org", "--phrase", phrase.group(0))
        assert "received 1" in ok(desktop, "sync", "now")
        assert "water the plants" in ok(desktop, "task", "list")
        assert "syncing with" in ok(desktop, "sync", "status")
    ok(laptop, "task", "add", "written offline")
    offline = nargis(laptop, "sync", "now")
    assert offline.returncode == 4 and "offline, 1 changes waiting" in offline.stderr
    assert ok(laptop, "sync", "status").startswith("offline, 1 changes waiting")
    assert "logged out" in ok(laptop, "sync", "logout")
    assert "not set up" in ok(laptop, "sync", "status")
    bad = nargis(laptop, "-v", "sync", "login", "ftp://nowhere", "--email", "me@example.org")
    assert bad.returncode == 2 and "[bad-url]" in bad.stderr


def test_a_device_is_listed_and_removed_from_another_device(tmp_path: Path) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    with running_server(settings_for(f"sqlite:///{tmp_path / 'server.db'}")) as server:
        shown = ok(laptop, "sync", "login", server.url, "--email", "me@example.org", "--register")
        phrase = re.search(r"(?:[A-Z2-7]{4}-){7}[A-Z2-7]{4}", shown)
        assert phrase is not None
        ok(desktop, "sync", "login", server.url, "--email", "me@example.org", "--phrase", phrase.group(0))
        listed = ok(laptop, "sync", "devices").splitlines()
        assert len(listed) == 2 and sum("(this device)" in line for line in listed) == 1
        other = next(line.split()[0] for line in listed if "(this device)" not in line)
        assert "removed device" in ok(laptop, "sync", "revoke", other)
        assert "(removed)" in ok(laptop, "sync", "devices")
        refused = nargis(desktop, "sync", "now")
        assert refused.returncode == 4 and "removed from the account" in refused.stderr
        mine = next(line.split()[0] for line in listed if "(this device)" in line)
        own = nargis(laptop, "sync", "revoke", mine)
        assert own.returncode == 2 and "sync logout" in own.stderr
        bad = nargis(laptop, "sync", "revoke", "not-an-id")
        assert bad.returncode == 2 and "is not a device id" in bad.stderr and "[" not in bad.stderr  # no code
        assert "[bad-device-id]" in nargis(laptop, "-v", "sync", "revoke", "not-an-id").stderr
