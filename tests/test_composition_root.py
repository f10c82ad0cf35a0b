"""app.py is the one place that builds adapters; the UI and the CLI are handed them."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "nargis_desktop"
# The store builds its own connections (backups, restores); everything else asks app.py.
BUILDS_AN_ADAPTER = re.compile(
    r"\b(KeyringSecretStore|HttpSyncBackend|SileroVoiceActivity|VoicePipeline)\(|\bStore\.open\("
)


def test_only_the_composition_root_builds_secret_stores_stores_backends_and_pipelines() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "app.py" and "store" not in path.relative_to(PACKAGE).parts[:1]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BUILDS_AN_ADAPTER.search(line) and not line.lstrip().startswith(("class ", "def ", "#"))
    ]
    assert not found, "adapters built outside app.py:\n" + "\n".join(found)
