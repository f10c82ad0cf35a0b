"""Audio as Nargis moves it: 16-bit mono PCM bytes. Reading any WAV, resampling, measuring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nargis_desktop.errors import NargisError

SPEECH_RATE_HZ = 16_000  # what every STT engine here takes
SAMPLE_BYTES = 2


class AudioError(NargisError):
    code = "audio-error"
    exit_code = 2


def to_pcm16(samples: Any, rate_hz: int, target_hz: int = SPEECH_RATE_HZ) -> bytes:
    """Float or int samples (any channels) → mono int16 at `target_hz`, resampled with soxr."""
    import numpy as np
    import soxr

    audio = np.asarray(samples)
    if audio.ndim == 2:
        audio = audio.astype(np.float32).mean(axis=1)
    if audio.dtype.kind in "iu":
        info = np.iinfo(audio.dtype)
        audio = (audio.astype(np.float32) - (info.max + info.min + 1) / 2) / ((info.max - info.min + 1) / 2)
    audio = audio.astype(np.float32)
    if rate_hz != target_hz:
        audio = soxr.resample(audio, rate_hz, target_hz, quality="HQ")
    return bytes((np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes())


def read_speech(path: Path) -> bytes:
    """A WAV (or FLAC/OGG) of any rate, channel count and bit depth, as 16 kHz mono int16."""
    import soundfile

    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=False)
    except (RuntimeError, soundfile.LibsndfileError) as err:
        raise AudioError(f"{path} is not an audio file Nargis can read: {err}", code="audio-not-audio") from err
    except OSError as err:
        raise AudioError(f"cannot read {path}: {err}", code="audio-unreadable") from err
    return to_pcm16(samples, int(rate))


def write_wav(path: Path, pcm16: bytes, rate_hz: int) -> None:
    import numpy as np
    import soundfile

    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(path), np.frombuffer(pcm16, dtype="<i2"), rate_hz, subtype="PCM_16")


def rms(pcm16: bytes) -> float:
    import numpy as np

    samples = np.frombuffer(pcm16, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


def duration_s(pcm16: bytes, rate_hz: int) -> float:
    return len(pcm16) / SAMPLE_BYTES / rate_hz
