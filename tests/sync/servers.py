"""Real servers for the sync tests: uvicorn in a thread on a free loopback port, and a throwaway
PostgreSQL cluster started with initdb/pg_ctl (as the `postgres` user when we run as root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from nargis_sync_server.settings import ServerSettings


def _pg_bin() -> Path:
    """NARGIS_PG_BIN, else the newest Debian PostgreSQL (/usr/lib/postgresql/<version>/bin)."""
    if chosen := os.environ.get("NARGIS_PG_BIN"):
        return Path(chosen)
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0
    )
    return found[-1] if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
REQUIRE_POSTGRES_ENV = "NARGIS_REQUIRE_POSTGRES"
# Cheap password hashing keeps hundreds of test accounts fast; production keeps the defaults.
TEST_SETTINGS = ServerSettings(
    password_memory_kib=1024,
    password_time_cost=1,
    pushes_per_minute=100_000,
    login_attempts_per_minute=100_000,
    address_attempts_per_minute=100_000,
    account_attempts_per_minute=100_000,
    password_hash_workers=2,
    password_hash_queue=64,
    max_devices_per_account=1_000,  # the convergence test restores backups: each restore is a new device
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    url: str
    settings: ServerSettings
    stop_event: threading.Event
    pid: int | None = None  # when it runs in a process of its own


@contextmanager
def running_server(settings: ServerSettings, port: int | None = None) -> Iterator[RunningServer]:
    import uvicorn

    from nargis_sync_server.api import create_app

    port = port or free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        ws="websockets-sansio",
        proxy_headers=False,  # as `nargis-sync-server` runs it: the app alone decides whom to believe
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()

    def watch() -> None:
        while not server.started and thread.is_alive():
            started.wait(0.01)
        started.set()

    watch()
    if not server.started:
        raise RuntimeError("the sync server did not start")
    stop = threading.Event()
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", settings, stop)
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def server_process(
    settings: ServerSettings, port: int | None = None, log_path: Path | None = None, workers: int = 1
) -> Iterator[RunningServer]:
    """`nargis-sync-server` in its own process, as deployed (and on the other CPU core)."""
    import sys

    import requests

    port = port or free_port()
    env = {**os.environ, **{f"NARGIS_SYNC_{k.upper()}": str(v) for k, v in asdict(settings).items()}}
    own_log = log_path is None
    log_path = log_path or Path(tempfile.mkstemp(prefix="nargis-sync-server-", suffix=".log")[1])
    log = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "nargis_sync_server", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(url + "/health", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited: {log_path.read_text()[-2000:]}") from None
                threading.Event().wait(0.05)
        yield RunningServer(url, settings, threading.Event(), process.pid)
    finally:
        process.terminate()
        process.wait(10)
        log.close()
        if own_log:
            log_path.unlink()


def postgres_available() -> bool:
    return (PG_BIN / "initdb").exists() and shutil.which("runuser") is not None


@dataclass
class PostgresCluster:
    data_dir: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = "t" + uuid.uuid4().hex[:12]
        _as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), name])
        return self.url(name)


def _as_postgres(command: list[str]) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    root = Path(tempfile.mkdtemp(prefix="nargis-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        root.chmod(0o700)
    port = free_port()
    _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"])
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
    _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"])
    try:
        yield PostgresCluster(data, port)
    finally:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def settings_for(url: str) -> ServerSettings:
    return replace(TEST_SETTINGS, database_url=url)
