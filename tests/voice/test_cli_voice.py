"""`nargis say`, `transcribe`, `listen` and `devices` through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from nargis_desktop.audio import earcons
from nargis_desktop.audio.pcm import read_speech, rms

NARGIS = str(Path(sys.executable).parent / "nargis")


def nargis(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARGIS_")}
    env.update(NARGIS_HOME=str(home), NARGIS_PASSPHRASE="pw", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return subprocess.run([NARGIS, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def test_say_transcribe_and_listen(tmp_path: Path) -> None:
    spoken = tmp_path / "command.wav"
    assert nargis(tmp_path, "say", "Remind me to call mom tomorrow at five.", "-o", str(spoken)).returncode == 0
    assert rms(read_speech(spoken)) > 300
    heard = nargis(tmp_path, "transcribe", str(spoken), "--engine", "whisper")
    assert heard.returncode == 0 and "call mom" in heard.stdout.lower()
    timed = nargis(tmp_path, "transcribe", str(spoken), "--engine", "whisper", "--words").stdout.splitlines()
    starts = [float(line.split()[0]) for line in timed[1:]]
    assert "call mom" in timed[0].lower() and len(starts) >= 6 and starts == sorted(starts)
    reply = tmp_path / "reply.wav"
    result = nargis(
        tmp_path,
        "listen",
        "--wav",
        str(spoken),
        "--engine",
        "whisper",
        "--json",
        "--now",
        "2026-11-25T09:30",
        "--reply-wav",
        str(reply),
    )
    assert result.returncode == 0, result.stderr
    turn = json.loads(result.stdout)
    assert turn["actions"][0]["tool"] == "add_reminder" and turn["reply"].startswith("Okay, I'll remind you")
    assert {"transcript", "partials", "timings_ms"} <= set(turn)
    assert turn["timings_ms"]["first_audio_after_release_ms"] > 0
    assert 1.0 < len(read_speech(reply)) / 32000 < 10
    exported = json.loads(nargis(tmp_path, "export").stdout)
    assert exported["reminders"][0]["at"] == "2026-11-26T17:00:00"


def test_a_file_that_is_not_audio_exits_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "x.wav").write_text("hello")
    result = nargis(tmp_path, "transcribe", str(tmp_path / "x.wav"))
    assert result.returncode == 2 and "not an audio file" in result.stderr and "Traceback" not in result.stderr


def test_devices_lists_what_portaudio_sees(tmp_path: Path) -> None:
    result = nargis(tmp_path, "devices")
    assert result.returncode == 0 and result.stdout.strip()


def test_the_earcons_are_short_and_audible() -> None:
    for name in (earcons.START, earcons.STOP):
        pcm = earcons.load(name)
        assert 0.1 < len(pcm) / 32000 < 0.2 and rms(pcm) > 1000
