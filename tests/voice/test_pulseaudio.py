"""The real sounddevice adapters, driven through a virtual PulseAudio device: a null sink as the
speaker and a pipe source, fed with Piper's speech, as the microphone."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nargis_desktop.assistant.calls import Turn
from nargis_desktop.assistant.voice import FINAL_TRANSCRIPT, SPEAKING_FINISHED, VoiceEvent, VoicePipeline
from nargis_desktop.audio.pcm import to_pcm16
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech

MIC_RATE_HZ = 16_000


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    if shutil.which("pulseaudio") is None:
        pytest.skip("PulseAudio is not installed (scripts/setup installs it)")
    fifo = tmp_path / "mic.fifo"
    config = tmp_path / "default.pa"
    config.write_text(
        "load-module module-null-sink sink_name=nargis_out rate=48000\n"
        f"load-module module-pipe-source source_name=nargis_in file={fifo} format=s16le rate={MIC_RATE_HZ} channels=1\n"
        "load-module module-native-protocol-unix\nset-default-sink nargis_out\nset-default-source nargis_in\n"
    )
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    subprocess.run(
        ["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n", "-F", str(config), "--log-target=stderr"],
        check=True,
        timeout=20,
        capture_output=True,
    )
    subprocess.run(["pactl", "info"], check=True, timeout=20, capture_output=True)  # answers once it is up
    import sounddevice as sd

    sd._terminate()  # PortAudio lists devices when it starts: start it again to see the new server
    sd._initialize()
    yield fifo
    subprocess.run(["pulseaudio", "--kill"], check=False, timeout=20)
    sd._terminate()
    sd._initialize()


class FifoFeeder(threading.Thread):
    """Keeps the pipe source fed: speech once, then silence, until stopped (PulseAudio needs it full)."""

    def __init__(self, fifo: Path, speech: bytes) -> None:
        super().__init__(daemon=True)
        self.fifo, self.speech, self.stop = fifo, speech, threading.Event()

    def run(self) -> None:
        silence = bytes(MIC_RATE_HZ * 2 // 10)
        try:
            with self.fifo.open("wb") as pipe:
                pipe.write(silence * 5 + self.speech)
                while not self.stop.is_set():
                    pipe.write(silence)
                    pipe.flush()
        except BrokenPipeError:
            pass  # the server went away at the end of the test


def test_the_sounddevice_adapters_through_pulseaudio(pulse: Path, piper: TextToSpeech, whisper: SpeechToText) -> None:
    from nargis_desktop.audio.devices import SoundDeviceMicrophone, SoundDeviceSpeaker, list_devices

    assert any("pulse" in d.name for d in list_devices())
    chunks = list(piper.synthesize("Remind me to call mom tomorrow at five."))
    speech = to_pcm16(np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2"), chunks[0].sample_rate_hz)
    feeder = FifoFeeder(pulse, speech)
    heard_all = threading.Event()
    events: list[VoiceEvent] = []
    pipeline = VoicePipeline(
        SoundDeviceMicrophone("pulse"),
        whisper,
        lambda text: Turn(text, [], "Okay.", "fast"),
        piper,
        SoundDeviceSpeaker("pulse"),
    )
    pipeline.subscribe(events.append)
    pipeline.press()  # the microphone is open before the person starts talking
    feeder.start()
    threading.Timer(len(speech) / 2 / MIC_RATE_HZ + 2.0, heard_all.set).start()
    heard_all.wait()  # the person talks for the length of the recording, then lets go
    pipeline.release()
    assert pipeline.wait(60)
    feeder.stop.set()
    feeder.join(5)
    transcript = next(e.data["text"] for e in events if e.kind == FINAL_TRANSCRIPT).lower()
    assert "call" in transcript and "mom" in transcript
    assert any(e.kind == SPEAKING_FINISHED and not e.data["interrupted"] for e in events)
