"""Where a profile's files live, and settings as frozen dataclasses."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "nargis"
HOME_ENV = "NARGIS_HOME"
PASSPHRASE_ENV = "NARGIS_PASSPHRASE"
DATA_FOLDER_FILE = "data-folder.txt"  # in the config folder: where the data lives once moved (Settings)


@dataclass(frozen=True)
class ProfilePaths:
    """The folders of one profile; `NARGIS_HOME` puts them all in one folder."""

    data_dir: Path
    config_dir: Path
    cache_dir: Path

    @property
    def store_file(self) -> Path:
        return self.data_dir / "nargis.db"

    @property
    def journal_index_file(self) -> Path:
        """Search vectors and sentiment of journal entries, encrypted with the store key; rebuildable."""
        return self.data_dir / "journal-index.db"

    @property
    def key_file(self) -> Path:
        """How the store key is obtained (keyring or passphrase + KDF salt); never the key."""
        return self.data_dir / "store-key.json"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def crash_reports_dir(self) -> Path:
        """What went wrong when Nargis crashed; tracebacks go here, never to the screen."""
        return self.cache_dir / "crash-reports"

    def ensure(self) -> None:
        for folder in (self.data_dir, self.config_dir, self.cache_dir):
            folder.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> ProfilePaths:
        env = os.environ if environ is None else environ
        home = env.get(HOME_ENV)
        if home:
            root = Path(home).expanduser().resolve()
            paths = cls(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache")
        else:
            import platformdirs  # only here: the NARGIS_HOME path needs none of it

            paths = cls(
                data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
                config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
                cache_dir=Path(platformdirs.user_cache_dir(APP_NAME)),
            )
        return paths.following_moved_data()

    def following_moved_data(self) -> ProfilePaths:
        """The data folder chosen in Settings (written to the config folder), if one was."""
        from dataclasses import replace

        pointer = self.config_dir / DATA_FOLDER_FILE
        moved = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
        return replace(self, data_dir=Path(moved)) if moved else self


@dataclass(frozen=True)
class KdfSettings:
    """Argon2id parameters that turn a passphrase into the store key.

    OWASP's first Argon2id profile (46 MiB, one pass): ~0.1 s on a laptop core, so every
    CLI command can unlock without a key cache, while each guess costs an attacker 46 MiB.
    """

    time_cost: int = 1
    memory_cost_kib: int = 46 * 1024
    parallelism: int = 1
    key_length_bytes: int = 32

    def __post_init__(self) -> None:
        if self.time_cost < 1 or self.memory_cost_kib < 8 * self.parallelism:
            raise ValueError("KDF settings too weak to be valid")
