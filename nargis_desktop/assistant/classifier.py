"""The trained intent classifier: a small MLP over MiniLM sentence embeddings and hashed words,
with a temperature fitted on held-out rows so that its confidence means what it says.

The weights are a small NumPy file shipped in the package and rebuilt from the data by
`python -m nargis_desktop.assistant.train_intents`.
"""

from __future__ import annotations

import itertools
import json
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nargis_desktop.assistant.intents import ACTS, for_understanding

MODEL_FILE = Path(__file__).with_name("intent_model.npz")

EmbedTexts = Callable[[Sequence[str]], Any]  # texts -> (n, d) array of unit vectors


@dataclass(frozen=True)
class Prediction:
    intent: str
    confidence: float  # calibrated probability of `intent`
    runner_up: str
    act: str

    def as_json(self) -> dict[str, Any]:
        return {"intent": self.intent, "confidence": round(self.confidence, 3), "act": self.act}


Layers = tuple[Any, Any, Any, Any]  # hidden weights (d, h), hidden bias, output weights (h, k), output bias


@dataclass(frozen=True)
class IntentModel:
    """Small MLPs over [sentence embedding, hashed words and word pairs]: the embedding carries the
    meaning, the words the cues an embedding blurs ("alarm", "list", "remind"). Several members
    fitted from different seeds vote by averaging their probabilities: one fit's luck (a point
    either way on the tuning split, seed to seed) does not decide what Nargis understands."""

    labels: tuple[str, ...]
    members: tuple[Layers, ...]
    temperature: float
    threshold: float  # below this, a write is asked about first
    meta: dict[str, Any]

    def probabilities(self, features: Any) -> Any:
        import numpy as np

        total: Any = 0.0
        for w1, b1, w2, b2 in self.members:
            logits = (np.maximum(features @ w1 + b1, 0.0) @ w2 + b2) / self.temperature
            logits = logits - logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            p = exp / exp.sum(axis=1, keepdims=True)
            total = total + p
        return total / len(self.members)

    def save(self, path: Path) -> None:
        """Weights as float16 (half the size; the votes do not change), meta as JSON."""
        import numpy as np

        meta = {
            **self.meta,
            "labels": list(self.labels),
            "members": len(self.members),
            "temperature": self.temperature,
            "threshold": self.threshold,
        }
        with path.open("wb") as file:  # np.save writes no timestamps: the file is byte-for-byte reproducible
            encoded = json.dumps(meta, sort_keys=True).encode("utf-8")
            np.save(file, np.frombuffer(encoded, dtype=np.uint8), allow_pickle=False)
            for layers in self.members:
                for layer in layers:
                    np.save(file, np.asarray(layer, dtype=np.float16), allow_pickle=False)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> IntentModel:
        import numpy as np

        with path.open("rb") as file:
            meta = json.loads(np.load(file, allow_pickle=False).tobytes().decode("utf-8"))
            count = int(meta.pop("members"))
            members = tuple(
                tuple(np.load(file, allow_pickle=False).astype(np.float32) for _ in range(4)) for _ in range(count)
            )
        labels = tuple(meta.pop("labels"))
        return cls(labels, members, float(meta.pop("temperature")), float(meta.pop("threshold")), meta)


WORD_BUCKETS = 2048


def words_and_pairs(texts: Sequence[str]) -> Any:
    """Words and word pairs hashed into WORD_BUCKETS (crc32: the same in every process), unit length."""
    import numpy as np

    out = np.zeros((len(texts), WORD_BUCKETS), dtype=np.float32)
    for row, text in enumerate(texts):
        words = re.findall(r"[a-z0-9']+", text.lower())
        for token in [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]:
            out[row, zlib.crc32(token.encode("utf-8")) % WORD_BUCKETS] += 1.0
        norm = float(np.linalg.norm(out[row]))
        if norm:
            out[row] /= norm
    return out


def features(embed: EmbedTexts, texts: Sequence[str]) -> Any:
    import numpy as np

    plain = [for_understanding(t) or t for t in texts]
    return np.hstack([np.asarray(embed(plain), dtype=np.float32), words_and_pairs(plain)])


class IntentClassifier:
    def __init__(
        self, embed: EmbedTexts, model: IntentModel | None = None, knows_word: Callable[[str], bool] | None = None
    ) -> None:
        self._embed = embed
        self.model = model or IntentModel.load()
        self.knows_word = knows_word  # the embedder's vocabulary: tells words from keyboard mashing

    def classify(self, text: str) -> Prediction:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Prediction]:
        import numpy as np

        probabilities = self.model.probabilities(features(self._embed, texts))
        predictions = []
        for row in probabilities:
            first, second = np.argsort(-row)[:2]
            intent = self.model.labels[first]
            predictions.append(Prediction(intent, float(row[first]), self.model.labels[second], ACTS[intent]))
        return predictions
