"""Two `nargis sync now` at once (the app's background sync and the command line overlap easily)
must not log the device out: refreshes take turns through a lock in the profile (issue 18, finding 4)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

from nargis_sync_server.db import Database
from tests.sync.servers import RunningServer, running_server, settings_for
from tests.sync.test_cli_sync import NARGIS, ok


def expire_access_tokens(server: RunningServer) -> None:
    """Every access token runs out now, so the next request of each process refreshes."""
    db = Database(server.settings.database_url)
    try:
        with db.transaction() as tx:
            tx.execute("UPDATE tokens SET expires_at = 0 WHERE kind = 'access'")
    finally:
        db.close()


def test_concurrent_sync_now_processes_refresh_once_and_stay_logged_in(database_url: str, tmp_path: Path) -> None:
    # No grace window for a reused refresh token: the lock in the profile alone must prevent reuse.
    settings = replace(settings_for(database_url), refresh_grace_s=0)
    with running_server(settings) as server:
        _three_syncs_at_once_four_times(server, tmp_path / "laptop")


def _three_syncs_at_once_four_times(server: RunningServer, laptop: Path) -> None:
    shown = ok(laptop, "sync", "login", server.url, "--email", "me@example.org", "--register")
    assert re.search(r"(?:[A-Z2-7]{4}-){7}[A-Z2-7]{4}", shown)
    for round_number in range(4):
        ok(laptop, "task", "add", f"task {round_number}")
        expire_access_tokens(server)
        processes = [_start(laptop, "sync", "now") for _ in range(3)]
        results = [(p.returncode, err) for p in processes for _, err in [p.communicate(timeout=60)]]
        assert all(code == 0 for code, _ in results), results
    assert "syncing with" in ok(laptop, "sync", "status")


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(home),
        NARGIS_PASSPHRASE="test pass",
        NARGIS_SYNC_PASSWORD="correct horse battery",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return subprocess.Popen([NARGIS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
