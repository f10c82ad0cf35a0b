"""MiniLM's encoder weights laid out once for fast opening: transposed for `x @ w`, query, key and
value joined into one matrix per layer, 64-byte aligned, in one .npy file that later runs
memory-map instead of copying ~90 MB out of the safetensors file each start.

The safetensors file's tensors need not be 4-byte aligned, and NumPy multiplies unaligned arrays
without BLAS (~50x slower), so they cannot be used in place. The prepared file is named by the
safetensors file's size and header hash: a new model never reads stale weights.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

_LOGGER = logging.getLogger(__name__)
DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}
ALIGN_FLOATS = 16  # 64 bytes: each tensor starts on a cache line
LAYOUT_VERSION = 1


def read_safetensors(path: Path) -> dict[str, Any]:
    """Tensor name -> a read-only NumPy view into the memory-mapped file."""
    import numpy as np

    with path.open("rb") as file:
        header_size = int.from_bytes(file.read(8), "little")
        header = json.loads(file.read(header_size))
    blob = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_size)
    tensors: dict[str, Any] = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        dtype = np.dtype(DTYPES[spec["dtype"]])
        tensors[name.removeprefix("bert.")] = blob[begin:end].view(dtype).reshape(spec["shape"])
    return tensors


def encoder_layout(weights: dict[str, Any], layers: int) -> dict[str, Any]:
    """The weights as the encoder multiplies them: the vocabulary table stays as it is (only the
    rows used are read); every other matrix transposed, and q/k/v joined per layer."""
    import numpy as np

    out: dict[str, Any] = {}
    for name, value in weights.items():
        if not (name.startswith("encoder.") or "LayerNorm" in name):
            out[name] = value
        elif ".attention.self." not in name:
            out[name] = np.ascontiguousarray(value.T if name.endswith(".weight") and value.ndim == 2 else value)
    for layer in range(layers):
        p = f"encoder.layer.{layer}.attention.self."
        parts = ("query", "key", "value")
        out[p + "qkv.weight"] = np.ascontiguousarray(np.hstack([weights[p + f"{q}.weight"].T for q in parts]))
        out[p + "qkv.bias"] = np.concatenate([weights[p + f"{q}.bias"] for q in parts])
    return out


def prepared_file(safetensors: Path, folder: Path) -> Path:
    with safetensors.open("rb") as file:
        header = file.read(8 + int.from_bytes(file.read(8), "little"))
    digest = hashlib.sha256(header + str(safetensors.stat().st_size).encode()).hexdigest()[:16]
    return folder / f"minilm-v{LAYOUT_VERSION}-{digest}.npy"


def open_prepared(safetensors: Path, folder: Path | None, layers: int) -> dict[str, Any]:
    """The encoder layout, memory-mapped from `folder` (written there on first use); without a
    folder, or when it cannot be written, built in memory as before."""
    weights = read_safetensors(safetensors)
    if folder is None:
        return encoder_layout(weights, layers)
    import numpy as np

    target = prepared_file(safetensors, folder)
    index_file = target.with_suffix(".json")
    if not (target.is_file() and index_file.is_file()):
        layout = encoder_layout(weights, layers)
        try:
            _write(layout, target, index_file)
        except OSError as err:  # a read-only cache: slower to open, same numbers
            _LOGGER.warning("could not keep the prepared MiniLM weights in %s: %s", folder, err)
            return layout
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
        flat = np.load(target, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as err:
        _LOGGER.warning("the prepared MiniLM weights are unreadable (%s); rebuilding in memory", err)
        return encoder_layout(weights, layers)
    out = {name: value for name, value in weights.items() if name not in index and not name.startswith("encoder.")}
    for name, (start, shape) in index.items():
        size = int(np.prod(shape))
        out[name] = flat[start : start + size].reshape(shape)
    return out


def _write(layout: dict[str, Any], target: Path, index_file: Path) -> None:
    import numpy as np

    chosen = {name: value for name, value in layout.items() if "word_embeddings" not in name}
    index: dict[str, tuple[int, list[int]]] = {}
    position = 0
    for name in sorted(chosen):
        index[name] = (position, list(chosen[name].shape))
        position += -(-chosen[name].size // ALIGN_FLOATS) * ALIGN_FLOATS
    flat = np.zeros(position, dtype=np.float32)
    for name, (start, _shape) in index.items():
        flat[start : start + chosen[name].size] = chosen[name].ravel()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".{os.getpid()}.part")
    with partial.open("wb") as file:  # a file object: np.save would add ".npy" to a path
        np.save(file, flat, allow_pickle=False)
    os.replace(partial, target)
    index_partial = index_file.with_name(index_file.name + f".{os.getpid()}.part")
    index_partial.write_text(json.dumps(index), encoding="utf-8")
    os.replace(index_partial, index_file)
