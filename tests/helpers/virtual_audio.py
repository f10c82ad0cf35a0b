"""A private PulseAudio server with a virtual speaker and a virtual microphone, as a person's
desktop has: `speaker` is a null sink (what Nargis plays is recorded from its monitor), and the
microphone `mic` is a remapped monitor of a second null sink `voice`, into which `paplay` speaks
at real-time pace — so the audio reaches Nargis as a live microphone stream through PortAudio."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SPEAKER, VOICE, MIC = "nargis_speaker", "nargis_voice", "nargis_mic"
CONFIG = f"""
load-module module-native-protocol-unix
load-module module-null-sink sink_name={SPEAKER} rate=48000 sink_properties=device.description=Speaker
load-module module-null-sink sink_name={VOICE} rate=48000 sink_properties=device.description=Voice
load-module module-remap-source source_name={MIC} master={VOICE}.monitor source_properties=device.description=Microphone
set-default-sink {SPEAKER}
set-default-source {MIC}
"""


def available() -> bool:
    return all(shutil.which(tool) for tool in ("pulseaudio", "pactl", "pacat", "paplay", "parecord"))


@dataclass
class VirtualAudio:
    folder: Path
    env: dict[str, str]  # what a process needs to reach this server

    def speak(self, wav: Path) -> None:
        """Say a recording into the microphone; returns when it has been played (real time)."""
        subprocess.run(["paplay", "-d", VOICE, str(wav)], env=self.env, check=True, timeout=60)

    @contextmanager
    def recording(self, out: Path) -> Iterator[Path]:
        """Everything the speaker plays while the block runs, as a WAV."""
        recorder = subprocess.Popen(
            ["parecord", "-d", f"{SPEAKER}.monitor", "--file-format=wav", "--rate=16000", "--channels=1", str(out)],
            env=self.env,
        )
        try:
            yield out
        finally:
            recorder.send_signal(signal.SIGINT)  # parecord finishes the WAV header on SIGINT
            recorder.wait(10)


def _playing_streams(env: dict[str, str]) -> int:
    listing = subprocess.run(
        ["pactl", "list", "short", "sink-inputs"], env=env, capture_output=True, text=True, timeout=20, check=True
    )
    return len(listing.stdout.splitlines())


@contextmanager
def virtual_audio(folder: Path) -> Iterator[VirtualAudio]:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "default.pa"
    config.write_text(CONFIG)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(folder),
        "HOME": str(folder),
        "PULSE_SERVER": f"unix:{folder}/pulse/native",
    }
    env.pop("PULSE_SINK", None)
    env.pop("PULSE_SOURCE", None)
    subprocess.run(
        ["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n", "-F", str(config), "--log-target=stderr"],
        env=env,
        check=True,
        timeout=30,
        capture_output=True,
    )
    subprocess.run(["pactl", "info"], env=env, check=True, timeout=20, capture_output=True)  # answers once up
    # A null sink left alone sleeps up to 2 s between renders, so a new stream waited that long
    # before a sound card would have played it. A silent low-latency stream keeps each sink
    # rendering every few ms, as hardware does.
    with open(os.devnull, "rb") as _unused, open("/dev/zero", "rb") as zeros:
        keep_alive = [
            subprocess.Popen(
                [
                    "pacat",
                    "--playback",
                    "--latency-msec=10",
                    "--raw",
                    "--format=s16le",
                    "--rate=48000",
                    "--channels=1",
                    "-d",
                    sink,
                ],
                stdin=zeros,
                env=env,
                stderr=subprocess.DEVNULL,
            )
            for sink in (SPEAKER, VOICE)
        ]
    deadline = time.monotonic() + 20
    while _playing_streams(env) < len(keep_alive):  # both connected: the sinks now render in ms
        assert time.monotonic() < deadline, "the keep-alive streams never connected"
    try:
        yield VirtualAudio(folder, env)
    finally:
        for process in keep_alive:
            process.terminate()
            process.wait(10)
        subprocess.run(["pulseaudio", "--kill"], env=env, check=False, timeout=20, capture_output=True)
