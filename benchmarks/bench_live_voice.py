"""Live voice figures: turns through real (virtual) audio devices against the same WAVs fed as files.

A private PulseAudio server gives a virtual microphone (speech said into it with `paplay`, at
real-time pace) and a virtual speaker whose monitor is listened to, so "first audio" is when the
reply's sound actually comes out of the speaker, not when the code started writing it. The same
recordings are then fed as files (WavFileSource → WavSink) for the side-by-side figure.

  .venv/bin/python -m benchmarks.bench_live_voice [--turns 30]
  .venv/bin/python -m benchmarks.bench_live_voice --app-idle-minutes 10 --held-minutes 2

The second form opens the app under Xvfb on the virtual devices and samples its CPU time and
resident memory while idle, then while the talk key is held (microphone open).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

COMMANDS = [
    "Add buy eggs to my list.",
    "Remind me to call mom tomorrow at five p.m.",
    "Add call the plumber tomorrow.",
    "Remind me to stretch in twenty minutes.",
    "New journal entry: the walk by the river was lovely.",
    "Add a task to book a haircut.",
    "Remind me to pay the gas bill on December third.",
    "Add renew the car insurance next week.",
    "What is on my list today?",
    "Add order printer ink.",
]
LOUD = 0.02  # of full scale: the reply has begun at the speaker


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "n": 0}
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "n": len(ordered),
    }


class SpeakerMonitor:
    """Listens to the speaker's monitor; notes when sound louder than LOUD first comes out after `arm()`."""

    def __init__(self, source: str) -> None:
        import numpy as np
        import sounddevice as sd

        from nargis_desktop.audio.devices import _pick, _routed_to

        self.first_loud_ns: int | None = None
        self._armed = False
        device = _pick("input", source)

        def heard(block: Any, frames: int, _time: Any, _status: Any) -> None:
            if self._armed and self.first_loud_ns is None and float(np.max(np.abs(block))) > LOUD:
                loud_at = int(np.flatnonzero(np.abs(block[:, 0]) > LOUD)[0])
                # the block has just arrived: its loud sample came out (frames - loud_at) samples ago
                self.first_loud_ns = time.monotonic_ns() - int((frames - loud_at) / 48_000 * 1e9)

        with _routed_to("PULSE_SOURCE", device):
            self.stream = sd.InputStream(
                device=device.index,
                samplerate=48_000,
                channels=1,
                dtype="float32",
                blocksize=240,
                callback=heard,
                latency="low",
            )
            self.stream.start()

    def arm(self) -> None:
        self.first_loud_ns, self._armed = None, True

    def close(self) -> None:
        self.stream.stop()
        self.stream.close()


def live_turns(turns: int, folder: Path) -> dict[str, Any]:
    from tests.helpers.virtual_audio import MIC, SPEAKER, virtual_audio

    with virtual_audio(folder / "pulse") as audio:
        os.environ.update({k: audio.env[k] for k in ("PULSE_SERVER", "XDG_RUNTIME_DIR")})
        import sounddevice as sd

        sd._terminate()  # PortAudio lists devices when it starts: start it again to see this server
        sd._initialize()
        from benchmarks.voice_turns import bench_now, speak
        from nargis_desktop.app import open_profile, speech_to_text, text_to_speech
        from nargis_desktop.assistant.assistant import Assistant
        from nargis_desktop.assistant.voice import (
            FINAL_TRANSCRIPT,
            LISTENING_STOPPED,
            SPEAKING_STARTED,
            VoiceEvent,
            VoicePipeline,
        )
        from nargis_desktop.audio.devices import SoundDeviceMicrophone, SoundDeviceSpeaker
        from nargis_desktop.audio.pcm import write_wav
        from nargis_desktop.audio.vad import SileroVoiceActivity
        from nargis_desktop.audio.wav_io import WavFileSource, WavSink
        from nargis_desktop.config import ProfilePaths
        from nargis_desktop.secrets import NoSecretStore

        root = folder / "profile"
        paths = ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache")
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "bench passphrase")
        assistant = Assistant(profile.data)
        stt, tts, vad = speech_to_text(paths, "whisper"), text_to_speech(paths), SileroVoiceActivity()
        tts.variation = 0.0  # type: ignore[attr-defined]  # the same speech every run
        for engine in (stt, tts, vad):
            engine.load()
        wavs = []
        for index, text in enumerate(COMMANDS):
            wav = folder / f"command-{index}.wav"
            write_wav(wav, bytes(12_800) + speak(tts, text) + bytes(9_600), 16_000)  # 0.4 s before, 0.3 s after
            wavs.append(wav)

        def act(text: str) -> Any:
            return assistant.handle(text, bench_now())

        def run(pipeline: VoicePipeline, feed: Any, monitor: SpeakerMonitor | None) -> dict[str, list[float]]:
            figures: dict[str, list[float]] = {"transcript": [], "first_audio": [], "speaking_started": []}
            for turn in range(turns):
                events: list[VoiceEvent] = []
                pipeline.subscribe(events.append)
                if monitor is not None:
                    monitor.arm()
                feed(pipeline, wavs[turn % len(wavs)])
                pipeline.wait(60)
                pipeline.unsubscribe(events.append)
                stamps: dict[str, int] = {}
                for event in events:
                    stamps.setdefault(event.kind, event.at_ns)
                released = stamps.get(LISTENING_STOPPED)
                if released is None:
                    continue
                if FINAL_TRANSCRIPT in stamps:
                    figures["transcript"].append((stamps[FINAL_TRANSCRIPT] - released) / 1e6)
                if SPEAKING_STARTED in stamps:
                    figures["speaking_started"].append((stamps[SPEAKING_STARTED] - released) / 1e6)
                if monitor is not None and monitor.first_loud_ns is not None:
                    figures["first_audio"].append((monitor.first_loud_ns - released) / 1e6)
            return figures

        def say_live(pipeline: VoicePipeline, wav: Path) -> None:
            pipeline.press()
            audio.speak(wav)
            pipeline.release()

        monitor = SpeakerMonitor(f"{SPEAKER}.monitor")
        live = VoicePipeline(SoundDeviceMicrophone(MIC), stt, act, tts, SoundDeviceSpeaker(SPEAKER), voice_activity=vad)
        live_figures = run(live, say_live, monitor)
        live.close()
        monitor.close()

        def say_file(pipeline: VoicePipeline, wav: Path) -> None:
            pipeline.microphone = WavFileSource(wav, realtime=True)
            ended = threading.Event()
            pipeline.on_source_end = ended.set
            pipeline.press()
            ended.wait(60)

        files = VoicePipeline(WavFileSource(pcm16=b""), stt, act, tts, WavSink(realtime=True), voice_activity=vad)
        file_figures = run(files, say_file, None)
        profile.close()
    return {
        "turns": turns,
        "live_release_to_transcript_ms": _percentiles(live_figures["transcript"]),
        "live_release_to_first_audio_at_speaker_ms": _percentiles(live_figures["first_audio"]),
        "live_release_to_speaking_started_event_ms": _percentiles(live_figures["speaking_started"]),
        "file_release_to_transcript_ms": _percentiles(file_figures["transcript"]),
        "file_release_to_first_audio_ms": _percentiles(file_figures["speaking_started"]),
        "note": "earcons off; the same WAVs (Piper, variation 0) in both; whisper tiny.en, Silero VAD on",
    }


def _cpu_and_rss(pid: int) -> tuple[float, float]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu_s = (int(fields[11]) + int(fields[12])) / ticks
    rss_mb = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    return cpu_s, rss_mb


def app_idle(idle_minutes: float, held_minutes: float, folder: Path) -> dict[str, Any]:
    import subprocess

    from tests.helpers.virtual_audio import virtual_audio
    from tests.helpers.xserver import x_display

    nargis = str(Path(sys.executable).parent / "nargis")
    with virtual_audio(folder / "pulse") as audio, x_display() as display:
        env = {k: v for k, v in audio.env.items() if not k.startswith("NARGIS_") and k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=display, NARGIS_HOME=str(folder / "home"), NARGIS_PASSPHRASE="bench passphrase")
        app = subprocess.Popen([nargis, "-v", "app"], env=env, stderr=subprocess.PIPE, text=True)
        assert app.stderr is not None
        for line in app.stderr:
            if "voice ready" in line:
                break
        threading.Thread(target=lambda: [None for _ in app.stderr], daemon=True).start()  # type: ignore[union-attr]

        def sample(minutes: float) -> dict[str, float]:
            cpu0, _rss = _cpu_and_rss(app.pid)
            started, peak = time.monotonic(), 0.0
            while time.monotonic() - started < minutes * 60:
                time.sleep(1.0)
                peak = max(peak, _cpu_and_rss(app.pid)[1])
            cpu1, rss = _cpu_and_rss(app.pid)
            return {
                "cpu_percent": round(100 * (cpu1 - cpu0) / (minutes * 60), 2),
                "rss_mb": round(rss, 1),
                "rss_peak_mb": round(peak, 1),
            }

        idle = sample(idle_minutes)
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "^Nargis$"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[0]
        subprocess.run(["xdotool", "windowactivate", "--sync", window], env=env, check=True)
        subprocess.run(["xdotool", "keydown", "space"], env=env, check=True)
        held = sample(held_minutes)
        subprocess.run(["xdotool", "keyup", "space"], env=env, check=True)
        app.terminate()
        app.wait(30)
    return {"idle": {"minutes": idle_minutes, **idle}, "mic_held": {"minutes": held_minutes, **held}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--app-idle-minutes", type=float)
    parser.add_argument("--held-minutes", type=float, default=2.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.app_idle_minutes is not None:
            result = app_idle(args.app_idle_minutes, args.held_minutes, Path(folder))
        else:
            result = live_turns(args.turns, Path(folder))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
