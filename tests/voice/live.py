"""Driving `nargis voice` in a pseudo-terminal, and making test speech with voices we did not tune
to: Piper (the bundled voice) and espeak-ng."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from nargis_desktop.audio.pcm import to_pcm16, write_wav
from nargis_desktop.models.engines.base import TextToSpeech

NARGIS = str(Path(sys.executable).parent / "nargis")


def piper_wav(piper: TextToSpeech, text: str, out: Path) -> Path:
    chunks = list(piper.synthesize(text))
    pcm = to_pcm16(np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2"), chunks[0].sample_rate_hz)
    write_wav(out, bytes(400 * 16 * 2 // 2) + pcm + bytes(300 * 16 * 2), 16000)  # a breath before and after
    return out


def espeak_wav(text: str, out: Path, voice: str = "en-us", words_per_minute: int = 150) -> Path:
    espeak = shutil.which("espeak-ng")
    assert espeak is not None, "espeak-ng is installed by scripts/setup"
    subprocess.run([espeak, "-v", voice, "-s", str(words_per_minute), "-w", str(out), text], check=True, timeout=30)
    return out


def noise_wav(out: Path, seconds: float = 2.0, level: float = 0.05) -> Path:
    rng = np.random.default_rng(11)
    pink = np.cumsum(rng.normal(0, 1, int(16000 * seconds)))  # brown-ish rumble, like a fan
    pink = (pink - np.convolve(pink, np.ones(400) / 400, mode="same")) / 30
    write_wav(out, (np.clip(pink * level, -1, 1) * 32767).astype("<i2").tobytes(), 16000)
    return out


class Terminal:
    """A command in a pty: keys are written to it, its output read line by line."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        pending = b""
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                data = b""
            if not data:
                if pending:
                    self.lines.put(pending.decode(errors="replace"))
                return
            pending += data
            *complete, pending = re.split(rb"\r?\n", pending)
            for line in complete:
                self.lines.put(line.decode(errors="replace").strip("\r"))

    def expect(self, pattern: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no line matching {pattern!r} within {timeout} s; saw: {self.seen[-15:]}"
                ) from None
            self.seen.append(line)
            if re.search(pattern, line):
                return line

    def key(self, data: bytes = b"\n") -> None:
        os.write(self.master, data)

    def close(self) -> int:
        if self.process.poll() is None:
            self.key(b"q")
        try:
            return self.process.wait(30)
        finally:
            os.close(self.master)


def nargis(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NARGIS, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def exported(env: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    result = nargis(env, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, list[dict[str, object]]] = json.loads(result.stdout)
    return data


def changed(before: dict[str, list[dict[str, object]]], after: dict[str, list[dict[str, object]]]) -> set[str]:
    """The kinds of item added or changed between two exports."""
    kinds = set()
    for kind in ("tasks", "habits", "checkins", "journal", "reminders"):
        old = {json.dumps(item, sort_keys=True) for item in before.get(kind, [])}
        if any(json.dumps(item, sort_keys=True) not in old for item in after.get(kind, [])):
            kinds.add(kind)
    return kinds
