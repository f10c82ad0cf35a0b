"""Voice figures: our pipeline with whisper and Vosk (benchmarks/voice_turns.py), a naive sequential
one, then the same commands through the Wyoming chain Home Assistant uses, when its servers are
installed (see benchmarks/wyoming_chain.py).

Run: .venv/bin/python -m benchmarks.bench_voice
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.voice_turns import run
from nargis_desktop.config import ProfilePaths


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache")
        results = run(paths)
        try:
            from benchmarks.wyoming_chain import measure

            results["wyoming"] = measure(paths)
        except ImportError as err:
            results["wyoming"] = f"not measured: {err}"
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
