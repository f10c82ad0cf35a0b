"""A keyring backend for the benchmark only, keeping entries in the file BENCH_KEYRING_FILE.

It lets the cold-start figure be measured on the keyring path on a machine with no OS
keyring. Never use it for real data: the file is plain JSON.
"""

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyringForBenchmarks(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["BENCH_KEYRING_FILE"])

    def _entries(self) -> dict[str, str]:
        return json.loads(self._path().read_text()) if self._path().exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._entries()
        entries[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        entries.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(entries))
