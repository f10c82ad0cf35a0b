"""`nargis models …` through the real console script, against a loopback server."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.range_server import Behaviour, serve

NARGIS = str(Path(sys.executable).parent / "nargis")
BODY = b"GGUF" + os.urandom(2_000_000)


def nargis(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env["NARGIS_HOME"] = str(home)
    return subprocess.run([NARGIS, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def manifest(home: Path, url: str, sha: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "models.toml").write_text(
        '[models.good]\nrole = "llm"\nengine = "llama-cpp"\nlanguage = "en"\nlicense = "MIT"\nram_mb = 1\n'
        f'description = "d"\nfiles = [{{ name = "m.gguf", url = "{url}/m.gguf", sha256 = "{sha}", size_bytes = 0 }}]\n'
    )


def test_pull_verify_use_and_list(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with serve(Behaviour(files={"/m.gguf": BODY})) as url:
        manifest(home, url, hashlib.sha256(BODY).hexdigest())
        pulled = nargis(home, "models", "pull", "good")
    assert pulled.returncode == 0, pulled.stderr
    assert "good is installed" in pulled.stdout and "m.gguf" in pulled.stderr  # the progress bar
    assert nargis(home, "models", "verify", "good").stdout.strip() == "ok  good"
    assert nargis(home, "models", "use", "llm", "good").returncode == 0
    rows = {r["id"]: r for r in json.loads(nargis(home, "models", "list", "--json").stdout)}
    assert rows["good"]["state"] == "installed" and rows["good"]["chosen"]


def test_a_checksum_mismatch_exits_non_zero_and_keeps_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    wrong = "a" * 64
    with serve(Behaviour(files={"/m.gguf": BODY})) as url:
        manifest(home, url, wrong)
        result = nargis(home, "models", "pull", "good")
    assert result.returncode != 0
    assert wrong in result.stderr and hashlib.sha256(BODY).hexdigest() in result.stderr
    assert not any(p.is_file() for p in (home / "data" / "models").rglob("*"))


def test_a_broken_user_manifest_names_file_and_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "models.toml").write_text('[models.x]\nrole = "llm"\nengine = "nope"\n')
    result = nargis(home, "models", "list")
    assert result.returncode == 2
    assert "models.toml, line 1, [models.x]" in result.stderr and "Traceback" not in result.stderr


def test_list_says_each_downloads_size_asking_the_server_only_when_told(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with serve(Behaviour(files={"/m.gguf": BODY})) as url:
        manifest(home, url, hashlib.sha256(BODY).hexdigest())
        quiet = nargis(home, "models", "list")
        asked = nargis(home, "models", "list", "--sizes")
        remembered = nargis(home, "models", "list", "--json")
    good = next(line for line in quiet.stdout.splitlines() if " good " in line)
    assert "size not listed (--sizes asks the server)" in good and "?" not in good
    assert "2 MB" in next(line for line in asked.stdout.splitlines() if " good " in line)
    rows = {r["id"]: r for r in json.loads(remembered.stdout)}
    assert rows["good"]["size_bytes"] == len(BODY)  # what the server said is kept for later lists
    korean = next(line for line in quiet.stdout.splitlines() if " vosk-ko " in line)
    assert "[Korean]" in korean
