"""Choose the intent model's hyperparameters on the training data's own tuning tenth.

    python -m nargis_desktop.assistant.tune_intents --cache FILE [--quick]

The tenth of HWU64 + Nargis's own rows chosen by a hash of the text (`is_calibration`) is held
out of fitting and scores each setting; SLURP is not read at all, so choosing a setting here
cannot fit the held-out figure. The best setting goes into `Hyper`'s defaults by hand.

Chosen (tuning-split accuracy): hidden 512, 30 epochs, input dropout 0.4 — 95.91 %, against
94.91 % before tuning. Held-out SLURP, measured once afterwards: 92.67 % (92.97 % before).

The same setting from seeds 1-4 scores 95.11, 94.81, 95.11 and 95.61 %: a point of the lead was
seed 0's luck, on a split of ~1,000 rows. So the shipped model is five members from seeds 0-4
voting together (95.51 % here: above the single seeds' mean of 95.31 %, and not a lucky draw),
refitted on every row once the tenth has scored them. Held-out SLURP, measured after each of the
two changes: 92.87 % (five members), 93.31 % (five members, refitted on every row).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from nargis_desktop.assistant.classifier import IntentModel, features
from nargis_desktop.assistant.intents import INTENTS
from nargis_desktop.assistant.train_intents import (
    DATA_DIR,
    Hyper,
    bundled_embedder,
    fit_members,
    is_calibration,
    read_rows,
)

# Each setting is a change to the defaults as they were before tuning; setting 10 won (95.9 %).
EARLIER = Hyper(hidden=256, epochs=20, dropout=0.0, members=1)
GRID: tuple[dict[str, Any], ...] = (
    {},
    {"hidden": 512},
    {"epochs": 10},
    {"epochs": 30},
    {"l2": 1e-3},
    {"dropout": 0.2},
    {"dropout": 0.4},
    {"class_weight_power": 0.0},
    {"class_weight_power": 1.0},
    {"hidden": 512, "dropout": 0.4},
    {"hidden": 512, "dropout": 0.4, "epochs": 30},
    {"hidden": 512, "dropout": 0.5, "epochs": 30},
    {"hidden": 1024, "dropout": 0.4, "epochs": 30},
    {"hidden": 512, "dropout": 0.4, "epochs": 40},
    # Setting 10 from other seeds: how much of its lead is the seed's luck.
    *({"hidden": 512, "dropout": 0.4, "epochs": 30, "seed": seed} for seed in range(1, 5)),
    # Its seeds 0-4 voting together.
    {"hidden": 512, "dropout": 0.4, "epochs": 30, "members": 5},
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nargis_desktop.assistant.tune_intents", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--cache", type=Path, default=None, help="a file to keep computed embeddings in between runs")
    parser.add_argument("--only", type=int, nargs="*", help="indexes into GRID to try")
    options = parser.parse_args(argv)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import numpy as np

    rows, _slurp_never_read = read_rows(options.data)
    embed = bundled_embedder(options.cache)
    index = {label: i for i, label in enumerate(INTENTS)}
    fitting = [r for r in rows if not is_calibration(r.text)]
    tuning = [r for r in rows if is_calibration(r.text)]
    x_fit, x_tune = features(embed, [r.text for r in fitting]), features(embed, [r.text for r in tuning])
    y_fit = np.array([index[r.intent] for r in fitting])
    y_tune = np.array([index[r.intent] for r in tuning])
    for number, change in enumerate(GRID):
        if options.only and number not in options.only:
            continue
        hyper: Hyper = replace(EARLIER, **change)
        model = IntentModel(INTENTS, fit_members(x_fit, y_fit, len(INTENTS), hyper), 1.0, 1.0, {})
        accuracy = float((model.probabilities(x_tune).argmax(axis=1) == y_tune).mean())
        print(json.dumps({"setting": number, **asdict(hyper), "tuning_accuracy": round(accuracy, 4)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
