"""PCM conversion keeps the level of what the microphone heard: every dtype, channel count and rate.

The microphone once averaged raw int16 as float before scaling, then clipped: two-thirds of live
samples sat at full scale. These tests compare levels (RMS and peak, in dB), not keywords.
"""

from __future__ import annotations

import numpy as np
import pytest

from nargis_desktop.audio.pcm import StreamConverter, to_pcm16

SECONDS = 0.5


def _db(value: float) -> float:
    return 20 * np.log10(max(value, 1e-9))


def _levels(pcm16: bytes) -> tuple[float, float]:
    samples = np.frombuffer(pcm16, dtype="<i2").astype(np.float64) / 32768.0
    body = samples[len(samples) // 10 : -len(samples) // 10]  # resampler edges aside
    return float(np.sqrt(np.mean(body**2))), float(np.max(np.abs(body)))


def _sine(rate_hz: int, amplitude: float) -> np.ndarray:
    t = np.arange(int(rate_hz * SECONDS)) / rate_hz
    return amplitude * np.sin(2 * np.pi * 440 * t)


def _as(dtype: str, signal: np.ndarray) -> np.ndarray:
    if dtype in ("float32", "float64"):
        return signal.astype(dtype)
    info = np.iinfo(dtype)
    mid = (int(info.max) + int(info.min) + 1) / 2
    half = (int(info.max) - int(info.min) + 1) / 2
    return np.round(signal * half + mid).astype(dtype)


@pytest.mark.parametrize("dtype", ["int16", "int32", "uint8", "float32", "float64"])
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("rate_hz", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize("amplitude", [0.5, 0.01])
def test_the_level_survives_conversion(dtype: str, channels: int, rate_hz: int, amplitude: float) -> None:
    if dtype == "uint8" and amplitude < 0.05:
        pytest.skip("8-bit audio has no resolution at -40 dBFS")
    mono = _as(dtype, _sine(rate_hz, amplitude))
    source = mono if channels == 1 else np.stack([mono, mono], axis=1)
    rms, peak = _levels(to_pcm16(source, rate_hz))
    assert abs(_db(rms) - _db(amplitude / np.sqrt(2))) < 1.0
    assert abs(_db(peak) - _db(amplitude)) < 1.0


def test_the_example_from_the_bug_report_keeps_its_values() -> None:
    converted = np.frombuffer(to_pcm16(np.array([[1000], [-2000]], np.int16), 16000), dtype="<i2")
    assert converted.tolist() == [1000, -2000]


def test_faint_room_noise_stays_faint() -> None:
    noise = np.random.default_rng(7).normal(0, 5, (16000, 1)).astype(np.int16)  # ~5 LSB, like a quiet room
    rms, _peak = _levels(to_pcm16(noise, 16000))
    assert rms * 32768 < 10


def test_loud_float_channels_are_mixed_before_they_are_clipped() -> None:
    stereo = np.array([[1.5, -0.5]] * 100, np.float32)  # each channel over range, their mix is not
    converted = np.frombuffer(to_pcm16(stereo, 16000), dtype="<i2")
    assert converted[50] == 16384


def test_streamed_blocks_match_one_whole_conversion_in_level() -> None:
    signal = _as("int16", _sine(48000, 0.3))
    converter = StreamConverter(48000)
    blocks = [converter.convert(signal[i : i + 960, None]) for i in range(0, len(signal), 960)]
    streamed = b"".join(blocks)
    rms, peak = _levels(streamed)
    assert abs(_db(rms) - _db(0.3 / np.sqrt(2))) < 1.0
    assert abs(_db(peak) - _db(0.3)) < 1.0
    assert abs(len(streamed) / 2 - 16000 * SECONDS) < 400  # the resampler holds back only a few ms
