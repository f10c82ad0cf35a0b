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


def to_float(samples: Any) -> Any:
    """Any samples as float32 in [-1, 1]: integers scaled by their own range first, floats as given."""
    import numpy as np

    audio = np.asarray(samples)
    if audio.dtype.kind in "iu":
        info = np.iinfo(audio.dtype)
        midpoint = (int(info.max) + int(info.min) + 1) / 2  # 0 for signed, 128 for uint8
        half_range = (int(info.max) - int(info.min) + 1) / 2
        return ((audio.astype(np.float64) - midpoint) / half_range).astype(np.float32)
    return audio.astype(np.float32)


def to_pcm16(samples: Any, rate_hz: int, target_hz: int = SPEECH_RATE_HZ) -> bytes:
    """Samples of any dtype, shape (n,) or (n, channels) and rate → mono int16 at `target_hz`.

    Integers are scaled to [-1, 1] before the channels are averaged (averaging raw int16 as float
    and scaling afterwards clipped every live microphone frame); float input is clipped only at the
    very end, after mixing and resampling, so a loud but legal mix is kept.
    """
    import numpy as np
    import soxr

    audio = to_float(samples)
    if audio.ndim == 2:
        audio = audio.mean(axis=1, dtype=np.float32)
    elif audio.ndim != 1:
        raise AudioError(f"audio must be (samples,) or (samples, channels), not {audio.shape}", code="audio-bad-shape")
    if rate_hz != target_hz and audio.size:
        audio = soxr.resample(audio, rate_hz, target_hz, quality="HQ")
    scaled = np.clip(np.asarray(audio, dtype=np.float32) * 32768.0, -32768.0, 32767.0)
    return bytes(np.rint(scaled).astype("<i2").tobytes())


class StreamConverter:
    """Device blocks → 16 kHz mono int16, resampled as one continuous stream (no clicks at block edges)."""

    def __init__(self, rate_hz: int, target_hz: int = SPEECH_RATE_HZ) -> None:
        import soxr

        self.rate_hz, self.target_hz = rate_hz, target_hz
        self._resampler = soxr.ResampleStream(rate_hz, target_hz, 1, dtype="float32") if rate_hz != target_hz else None

    def convert(self, samples: Any, last: bool = False) -> bytes:
        import numpy as np

        audio = to_float(samples)
        if audio.ndim == 2:
            audio = audio.mean(axis=1, dtype=np.float32)
        if self._resampler is not None:
            audio = self._resampler.resample_chunk(np.ascontiguousarray(audio, dtype=np.float32), last=last)
        scaled = np.clip(np.asarray(audio, dtype=np.float32) * 32768.0, -32768.0, 32767.0)
        return bytes(np.rint(scaled).astype("<i2").tobytes())


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
