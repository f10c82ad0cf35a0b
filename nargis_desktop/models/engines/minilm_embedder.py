"""all-MiniLM-L6-v2 sentence embeddings computed with NumPy from the bundled safetensors weights.

A six-layer BERT encoder is a few matrix products per layer; NumPy does them in ~10 ms for a
spoken command on one thread, with no torch and no sentence-transformers. Given a cache folder,
the weights are laid out for BLAS once and memory-mapped after that (minilm_weights.py), so
opening costs milliseconds; the vocabulary table is mapped in place and only the rows used are
read. Mean pooling and unit length, as the model was trained.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nargis_desktop.models.engines.base import Lazy, load_failure
from nargis_desktop.models.engines.minilm_weights import open_prepared
from nargis_desktop.models.engines.wordpiece import WordPiece

_LOGGER = logging.getLogger(__name__)
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
BATCH = 32


def can_open(model_dir: Path) -> bool:
    """A BERT model with safetensors weights and a WordPiece vocabulary: what this engine reads."""
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        config.get("model_type") == "bert"
        and (model_dir / "model.safetensors").is_file()
        and (model_dir / "vocab.txt").is_file()
    )


class MiniLmEmbedder:
    def __init__(self, model_dir: Path, prepared_dir: Path | None = None) -> None:
        """`prepared_dir`: a cache folder for the weights laid out for fast opening (minilm_weights.py)."""
        self.model_dir = model_dir
        self.prepared_dir = prepared_dir
        self._parts: Lazy[_Encoder] = Lazy(self._open)

    def _open(self) -> _Encoder:
        # One spoken command is a dozen tokens: OpenBLAS's threads cost more than they bring there,
        # and four times more on a busy two-core machine. Only if NumPy is not loaded yet.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        try:
            config = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
            weights = open_prepared(
                self.model_dir / "model.safetensors", self.prepared_dir, int(config["num_hidden_layers"])
            )
            return _Encoder(weights, WordPiece(self.model_dir / "vocab.txt"), config)
        except (OSError, ValueError, KeyError) as err:
            raise load_failure("MiniLM (NumPy)", self.model_dir, err) from err

    @property
    def dimensions(self) -> int:
        return int(self._parts.get().hidden)

    def load(self) -> None:
        self._parts.get()

    def knows_word(self, word: str) -> bool:
        """Whether `word` is one whole token of the model's vocabulary (~30,000 common words)."""
        return word.lower() in self._parts.get().tokenizer.ids

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.embed_array(texts)]

    def embed_array(self, texts: Sequence[str]) -> Any:
        """A (len(texts), 384) float32 array of unit vectors; the assistant keeps it as an array."""
        import numpy as np

        encoder = self._parts.get()
        out = np.zeros((len(texts), encoder.hidden), dtype=np.float32)
        # Similar lengths batch together, so little of each batch is padding.
        encoded = [encoder.tokenizer.encode(t, MAX_TOKENS) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = encoder.run([encoded[i] for i in chunk])
        return out


class _Encoder:
    def __init__(self, weights: dict[str, Any], tokenizer: WordPiece, config: dict[str, Any]) -> None:
        self.w = weights  # laid out by minilm_weights.encoder_layout: transposed, q/k/v joined
        self.tokenizer = tokenizer
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    def run(self, batch: list[list[int]]) -> Any:
        import numpy as np

        w, n, longest = self.w, len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((n, longest), dtype=np.int64)
        mask = np.zeros((n, longest), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:longest]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)  # padding gets no attention
        size = self.hidden // self.heads
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            qkv = self._dense(x, p + "attention.self.qkv").reshape(n, longest, 3, self.heads, size)
            q, k, v = qkv.transpose(2, 0, 3, 1, 4)  # each (n, heads, tokens, size)
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(size)) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attended = (scores / scores.sum(axis=-1, keepdims=True)) @ v
            attended = attended.transpose(0, 2, 1, 3).reshape(n, longest, self.hidden)
            x = self._norm(self._dense(attended, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = _gelu(self._dense(x, p + "intermediate.dense"))
            x = self._norm(self._dense(inner, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _dense(self, x: Any, name: str) -> Any:
        return x @ self.w[name + ".weight"] + self.w[name + ".bias"]

    def _norm(self, x: Any, name: str) -> Any:
        import numpy as np

        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]


def _gelu(x: Any) -> Any:
    """BERT's exact GELU, x·Φ(x), with erf to 1.5e-7 (Abramowitz & Stegun 7.1.26): NumPy has no erf."""
    import numpy as np

    z = np.abs(x) / np.float32(math.sqrt(2.0))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return (0.5 * x * (1.0 + erf)).astype(np.float32)
