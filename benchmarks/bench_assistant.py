"""Assistant figures: accuracy and path mix on the evaluation set, fast-path latency, and the
LLM path's latency with Gemma 3 270M on 2 threads (first turn vs later turns, prompt reuse).

Run: .venv/bin/python -m benchmarks.bench_assistant
"""

from __future__ import annotations

import json
import secrets
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from nargis_desktop.assistant import fast_path
from nargis_desktop.assistant.llm_path import PROMPT_PREFIX, understand
from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.engines.llama_llm import LlamaLanguageModel
from nargis_desktop.models.manager import ModelManager
from tests.assistant.cases import CASES
from tests.assistant.harness import build_base, open_session

LLM_UTTERANCES = [
    "buy batteries",
    "shopping list: bread",
    "milk and eggs for the shopping",
    "fix the bike this weekend",
    "schedule a call with Tom on friday",
    "wake me up at 6 tomorrow",
    "gym bag",
    "new charger for the laptop",
    "dentist appointment thursday",
    "birthday card for Anna",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        manager = ModelManager(ProfilePaths(root / "d", root / "c", root / "x"))
        model = LlamaLanguageModel(manager.resolve("llm").path, context_tokens=1024, threads=2)
        started = time.perf_counter()
        model.load()
        results["llm_load_s"] = round(time.perf_counter() - started, 2)

        # Prompt processing: the fixed prefix is evaluated once, then reused from the KV cache.
        started = time.perf_counter()
        model.complete(PROMPT_PREFIX + "Command: first\nJSON: ", max_tokens=1)
        results["prompt_first_turn_ms"] = round((time.perf_counter() - started) * 1000, 1)
        later = []
        for word in ("second", "third", "fourth"):
            started = time.perf_counter()
            model.complete(PROMPT_PREFIX + f"Command: {word}\nJSON: ", max_tokens=1)
            later.append((time.perf_counter() - started) * 1000)
        results["prompt_later_turn_ms"] = round(statistics.median(later), 1)

        llm_ms = [understand(model, text).seconds * 1000 for text in LLM_UTTERANCES]
        results["llm_path_to_validated_call_p50_ms"] = round(statistics.median(llm_ms), 1)
        results["llm_path_p95_ms"] = round(percentile(llm_ms, 0.95), 1)

        key = secrets.token_bytes(32)
        build_base(root / "base.db", key)
        paths, correct, understand_ms, turn_ms = Counter[str](), 0, [], []
        for text, expectation in CASES:
            session = open_session(root / "base.db", root, key, lambda: model)
            turn, effect = session.say(text)
            paths[turn.path] += 1
            correct += expectation(effect, turn)
            if turn.path == "fast":
                understand_ms.append(turn.timings_ms["understand_ms"])
                turn_ms.append(turn.timings_ms["total_ms"])
            session.store.close()
        results["evaluation_utterances"] = len(CASES)
        results["evaluation_accuracy"] = round(correct / len(CASES), 3)
        results["paths"] = dict(paths)
        results["fast_path_parse_p50_ms"] = round(statistics.median(understand_ms), 2)
        results["fast_path_whole_turn_p50_ms"] = round(statistics.median(turn_ms), 2)
        results["fast_path_whole_turn_p95_ms"] = round(percentile(turn_ms, 0.95), 2)
        parse_only = []
        for text, _ in CASES:
            started = time.perf_counter()
            fast_path.parse(text, ["Meditate", "Run", "Read"], ["Buy milk"])
            parse_only.append((time.perf_counter() - started) * 1000)
        results["fast_path_parse_only_p50_ms"] = round(statistics.median(parse_only), 3)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
