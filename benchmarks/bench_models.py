"""Model manager figures: download throughput against curl on loopback, bytes re-fetched on
resume, and `nargis models list` cold start.

Run: .venv/bin/python -m benchmarks.bench_models
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nargis_desktop.errors import DownloadError
from nargis_desktop.models.download import DownloadSettings, download, part_path
from tests.helpers.range_server import Behaviour, serve

SIZE_BYTES = 256 * 1024 * 1024
NARGIS = str(Path(sys.executable).parent / "nargis")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str) -> None:
    import requests

    for _ in range(100):
        try:
            requests.head(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)  # the server process is still starting
    raise RuntimeError(f"the benchmark server at {url} did not start")


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    payload = os.urandom(SIZE_BYTES)
    digest = hashlib.sha256(payload).hexdigest()
    results: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        # Throughput: the server runs in its own process (as for curl), so it does not share our GIL.
        served = root / "served"
        served.mkdir()
        (served / "m.bin").write_bytes(payload)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=served,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url)
            curl_s, ours_s, durable_s = [], [], []
            no_fsync = DownloadSettings(fsync_before_install=False)
            for run in range(3):
                target = root / f"curl-{run}.bin"
                curl_s.append(
                    timed(lambda t=target: subprocess.run(["curl", "-s", "-o", str(t), f"{url}/m.bin"], check=True))
                )
                target.unlink()
                ours = root / f"ours-{run}.bin"
                ours_s.append(
                    timed(
                        lambda t=ours: download(
                            f"{url}/m.bin", t, sha256=digest, size_bytes=SIZE_BYTES, settings=no_fsync
                        )
                    )
                )
                ours.unlink()
                durable_s.append(
                    timed(lambda t=ours: download(f"{url}/m.bin", t, sha256=digest, size_bytes=SIZE_BYTES))
                )
                ours.unlink()
            mib = SIZE_BYTES / 2**20
            results["curl_mib_per_s"] = round(mib / statistics.median(curl_s), 1)
            results["nargis_mib_per_s_incl_sha256"] = round(mib / statistics.median(ours_s), 1)
            results["nargis_vs_curl_percent"] = round(100 * statistics.median(curl_s) / statistics.median(ours_s), 1)
            results["nargis_with_fsync_mib_per_s"] = round(mib / statistics.median(durable_s), 1)
        finally:
            server.terminate()
            server.wait()
        behaviour = Behaviour(files={"/m.bin": payload})
        with serve(behaviour) as url:
            behaviour.cut_after_bytes = SIZE_BYTES // 2
            target = root / "resumed.bin"
            with contextlib.suppress(DownloadError):  # the cut is the point: the part stays behind
                download(f"{url}/m.bin", target, sha256=digest, settings=DownloadSettings(retries=0))
            held = part_path(target).stat().st_size
            before = behaviour.bytes_served
            download(f"{url}/m.bin", target, sha256=digest)
            refetched_of_held = (behaviour.bytes_served - before) - (SIZE_BYTES - held)
            results["resume_bytes_already_held"] = held
            results["resume_refetched_of_held_bytes"] = refetched_of_held
        home = root / "home"
        env = {**os.environ, "NARGIS_HOME": str(home)}
        subprocess.run([NARGIS, "models", "list"], env=env, check=True, capture_output=True)
        runs = [
            timed(lambda: subprocess.run([NARGIS, "models", "list"], env=env, check=True, capture_output=True))
            for _ in range(9)
        ]
        results["models_list_ms"] = round(statistics.median(runs) * 1000, 1)
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
