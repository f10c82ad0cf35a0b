"""The trained intent classifier: a softmax over MiniLM sentence embeddings, with a temperature
fitted on held-out rows so that its confidence means what it says.

The weights are a small NumPy file shipped in the package and rebuilt from the data by
`python -m nargis_desktop.assistant.train_intents`.
"""

from __future__ import annotations

import json
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


@dataclass(frozen=True)
class IntentModel:
    labels: tuple[str, ...]
    weights: Any  # (d, k)
    bias: Any  # (k,)
    temperature: float
    threshold: float  # below this, a write is asked about first
    meta: dict[str, Any]

    def probabilities(self, vectors: Any) -> Any:
        import numpy as np

        logits = (vectors @ self.weights + self.bias) / self.temperature
        logits = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        import numpy as np

        meta = json.dumps({**self.meta, "labels": list(self.labels), "temperature": self.temperature,
                           "threshold": self.threshold}, sort_keys=True)
        with path.open("wb") as file:  # np.save writes no timestamps: the file is byte-for-byte reproducible
            np.save(file, np.asarray(self.weights, dtype=np.float32), allow_pickle=False)
            np.save(file, np.asarray(self.bias, dtype=np.float32), allow_pickle=False)
            np.save(file, np.frombuffer(meta.encode("utf-8"), dtype=np.uint8), allow_pickle=False)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> IntentModel:
        import numpy as np

        with path.open("rb") as file:
            weights = np.load(file, allow_pickle=False)
            bias = np.load(file, allow_pickle=False)
            meta = json.loads(np.load(file, allow_pickle=False).tobytes().decode("utf-8"))
        labels = tuple(meta.pop("labels"))
        return cls(labels, weights, bias, float(meta.pop("temperature")), float(meta.pop("threshold")), meta)


class IntentClassifier:
    def __init__(self, embed: EmbedTexts, model: IntentModel | None = None) -> None:
        self._embed = embed
        self.model = model or IntentModel.load()

    def classify(self, text: str) -> Prediction:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Prediction]:
        import numpy as np

        vectors = self._embed([for_understanding(t) or t for t in texts])
        probabilities = self.model.probabilities(np.asarray(vectors, dtype=np.float32))
        predictions = []
        for row in probabilities:
            first, second = np.argsort(-row)[:2]
            intent = self.model.labels[first]
            predictions.append(Prediction(intent, float(row[first]), self.model.labels[second], ACTS[intent]))
        return predictions
