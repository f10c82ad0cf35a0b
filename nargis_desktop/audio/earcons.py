"""The short sounds that mark "listening" and "stopped listening", made from two sine tones.

They are generated (no recorded asset to license) into resources/ by `python -m
nargis_desktop.audio.earcons`, and read from there at run time.
"""

from __future__ import annotations

from pathlib import Path

from nargis_desktop.audio.pcm import read_speech, write_wav

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
RATE_HZ = 16_000
START, STOP = "earcon-start.wav", "earcon-stop.wav"


def tone(first_hz: float, second_hz: float, seconds: float = 0.12) -> bytes:
    """Two quick notes with soft edges, rising for start and falling for stop."""
    import numpy as np

    half = int(RATE_HZ * seconds / 2)
    notes = []
    for frequency in (first_hz, second_hz):
        t = np.arange(half) / RATE_HZ
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)  # 10 ms fade in and out
        notes.append(0.25 * np.sin(2 * np.pi * frequency * t) * envelope)
    return bytes((np.concatenate(notes) * 32767).astype("<i2").tobytes())


def generate(folder: Path = RESOURCES) -> None:
    write_wav(folder / START, tone(660, 880), RATE_HZ)
    write_wav(folder / STOP, tone(880, 660), RATE_HZ)


def load(name: str) -> bytes:
    """16 kHz mono PCM of an earcon; empty when the file is missing (the pipeline then stays silent)."""
    path = RESOURCES / name
    return read_speech(path) if path.exists() else b""


if __name__ == "__main__":
    generate()
