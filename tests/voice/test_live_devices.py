"""The real sounddevice adapters on a virtual PulseAudio server: many quick turns without a crash,
devices listed and chosen by their PulseAudio names, and the microphone's level kept."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nargis_desktop.audio.pcm import write_wav
from tests.helpers.virtual_audio import MIC, SPEAKER, VirtualAudio

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_fifty_quick_turns_with_barge_ins_run_without_a_crash(audio: VirtualAudio) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.helpers.many_turns", MIC, SPEAKER],
        env=audio.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (result.returncode, result.stdout[-2000:], result.stderr[-4000:])
    assert "Traceback" not in result.stderr, result.stderr[-4000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["turns"] == 50 and summary["barge_ins"] == 10
    assert summary["replies_ready_within_20_ms"] >= 30


def test_pulseaudio_sources_and_sinks_are_listed_and_chosen_by_name(audio: VirtualAudio) -> None:
    script = (
        "from nargis_desktop.audio.devices import list_devices, SoundDeviceMicrophone, SoundDeviceSpeaker\n"
        "names = [d.pulse_name for d in list_devices() if d.pulse_name]\n"
        f"mic, speaker = SoundDeviceMicrophone({MIC!r}), SoundDeviceSpeaker({SPEAKER!r})\n"
        "print(names); print(mic.device.pulse_name, speaker.device.pulse_name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=audio.env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    listed, chosen = result.stdout.strip().splitlines()
    assert MIC in listed and SPEAKER in listed
    assert chosen.split() == [MIC, SPEAKER]
    nargis = str(Path(sys.executable).parent / "nargis")
    cli = subprocess.run([nargis, "devices"], env=audio.env, capture_output=True, text=True, timeout=60, check=False)
    assert cli.returncode == 0 and MIC in cli.stdout and SPEAKER in cli.stdout, cli.stdout + cli.stderr
    wrong = subprocess.run(
        [nargis, "voice", "--device", "no-such-mic"],
        env={**audio.env, "NARGIS_HOME": str(Path(audio.folder) / "home"), "NARGIS_PASSPHRASE": "devices test"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert wrong.returncode != 0 and MIC in wrong.stderr and "Traceback" not in wrong.stderr  # names what there is


def test_the_microphone_hears_the_level_that_was_played(audio: VirtualAudio, tmp_path: Path) -> None:
    t = np.arange(16000 * 2) / 16000
    for amplitude in (0.3, 0.003):  # speech level, and faint room noise (~100 LSB)
        wav = tmp_path / f"tone-{amplitude}.wav"
        write_wav(wav, (amplitude * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes(), 16000)
        script = (
            "import sys, threading, numpy as np\n"
            "from nargis_desktop.audio.devices import SoundDeviceMicrophone\n"
            f"mic = SoundDeviceMicrophone({MIC!r}); frames = []; ready = threading.Event()\n"
            "mic.start(frames.append); print('open', flush=True); sys.stdin.readline(); mic.stop()\n"
            "x = np.frombuffer(b''.join(frames), dtype='<i2').astype(float) / 32768\n"
            "x = x[np.abs(x) > 0]\n"
            "print(np.sqrt(np.mean(x**2)) if x.size else 0.0, np.max(np.abs(x)) if x.size else 0.0)\n"
        )
        listener = subprocess.Popen(
            [sys.executable, "-c", script], env=audio.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert listener.stdout is not None and listener.stdin is not None
        assert listener.stdout.readline().strip() == "open"
        audio.speak(wav)
        listener.stdin.write("\n")
        listener.stdin.flush()
        rms, peak = map(float, listener.stdout.readline().split())
        listener.wait(30)
        expected_rms_db = 20 * np.log10(amplitude / np.sqrt(2))
        assert abs(20 * np.log10(rms) - expected_rms_db) < 1.5, (amplitude, rms)
        assert abs(20 * np.log10(peak) - 20 * np.log10(amplitude)) < 1.5, (amplitude, peak)
