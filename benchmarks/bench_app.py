"""Desktop app figures: launch to window, event-loop stalls during a voice turn, idle CPU, memory.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_app
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

NOW = datetime(2026, 11, 25, 9, 30)
NARGIS = str(Path(sys.executable).parent / "nargis")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


def launch_to_window_s(home: Path) -> float:
    """A fresh process opening the profile and rendering the window (the models load later)."""
    env = {**os.environ, "NARGIS_HOME": str(home), "NARGIS_PASSPHRASE": "bench", "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([NARGIS, "ask", "--no-llm", "add buy milk today"], env=env, check=True, capture_output=True)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [NARGIS, "app", "--screenshot", str(home / "shot.png")], env=env, check=True, capture_output=True
        )
        timings.append(time.perf_counter() - started)
    return round(sorted(timings)[2], 2)


def run_loop(done: Any) -> None:
    """Run the Qt event loop until `done()`: no busy processEvents() loop, which PySide6 6.12 on
    Python 3.11 punishes with a None reference-count underflow (a crash) after enough calls."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.timeout.connect(lambda: loop.quit() if done() else None)
    check.start(20)
    loop.exec()
    check.stop()


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks.voice_turns import speak
    from nargis_desktop.app import open_profile, speech_to_text, text_to_speech
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.assistant.voice import VoicePipeline
    from nargis_desktop.audio.wav_io import WavFileSource, WavSink
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.main_window import MainWindow

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        results["launch_to_window_rendered_s"] = launch_to_window_s(root / "launch")
        paths = ProfilePaths(root / "data", root / "config", root / "cache")
        app = QApplication.instance() or QApplication([])
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "bench")
        tts = text_to_speech(paths)
        speech = speak(tts, "Remind me to call mom tomorrow at five.")

        def factory(act: Any) -> VoicePipeline:
            return VoicePipeline(
                WavFileSource(pcm16=speech, realtime=True),
                speech_to_text(paths, "whisper"),
                act,
                tts,
                WavSink(realtime=True),
            )

        window = MainWindow(profile, lambda: NOW, Assistant(profile.data), factory)
        window.show()
        app.processEvents()
        idle_started, idle_cpu = time.perf_counter(), time.process_time()
        run_loop(lambda: time.perf_counter() - idle_started > 5)  # the window idle in a real event loop
        results["idle_cpu_percent"] = round(
            100 * (time.process_time() - idle_cpu) / (time.perf_counter() - idle_started), 2
        )
        results["rss_idle_mb"] = round(rss_mb(), 1)

        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start(5)
        window.press()
        run_loop(lambda: window.voice is not None)
        loaded = len(ticks)
        window.press()
        run_loop(lambda: any(e.kind == "speaking_finished" for e in window.turn_events))
        timer.stop()
        turn = ticks[loaded:]
        results["max_event_loop_stall_during_voice_turn_ms"] = round(
            max(b - a for a, b in itertools.pairwise(turn)) * 1000, 1
        )
        results["max_event_loop_stall_during_model_load_ms"] = round(
            max(b - a for a, b in itertools.pairwise(ticks[:loaded])) * 1000, 1
        )
        results["rss_with_voice_models_mb"] = round(rss_mb(), 1)
        window.assistant.handle("thanks", NOW)
        profile.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
