"""`nargis ask` understands with NumPy alone: no torch, sentence-transformers or transformers; and
a request the rules settle ("remind me …") loads not even NumPy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("torch", "sentence_transformers", "transformers", "onnxruntime", "llama_cpp", "PySide6")


def test_ask_imports_no_torch(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(
        NARGIS_HOME=str(tmp_path), NARGIS_PASSPHRASE="pw", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    for said, classified in (
        ("remind me to call mom tomorrow at 5", False),
        ("play some music", True),
        ("is there anything on friday", True),
    ):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "nargis_desktop", "ask", "--json", said],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
        assert ("numpy" in imported) == classified, said  # the classifier ran, or had nothing to decide
        assert not imported & set(HEAVY), imported & set(HEAVY)
