"""Bad input through the real voice turn (Silero VAD, whisper tiny.en, the assistant on a real
store): music, a cough, a door slam and a 30 s ramble change nothing — no action, or a question."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from nargis_desktop.assistant.assistant import READ_TOOLS
from nargis_desktop.assistant.calls import DONE, Turn
from nargis_desktop.assistant.voice import VoicePipeline
from nargis_desktop.audio.pcm import read_speech
from nargis_desktop.audio.vad import SileroVoiceActivity
from nargis_desktop.audio.wav_io import WavFileSource, WavSink
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech
from tests.assistant.harness import NOW, Session, export

RATE = 16_000


def _pcm(samples: np.ndarray) -> bytes:
    return bytes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def music(seconds: float = 5.0) -> bytes:
    """Notes with harmonics and a beat: a melody over a bass line."""
    rng = np.random.default_rng(7)
    t = np.arange(int(RATE * seconds)) / RATE
    out = np.zeros_like(t)
    beat = 0.25
    for start in np.arange(0, seconds, beat):
        note = 220 * 2 ** (rng.integers(0, 12) / 12)
        span = (t >= start) & (t < start + beat)
        local = t[span] - start
        envelope = np.exp(-local * 6)
        out[span] += sum(0.15 / k * np.sin(2 * np.pi * note * k * local) for k in (1, 2, 3)) * envelope
        out[span] += 0.1 * np.sin(2 * np.pi * 55 * local) * envelope
    return _pcm(out)


def cough() -> bytes:
    """Two short bursts of breathy noise, each dying away within 200 ms, in a second of quiet."""
    rng = np.random.default_rng(3)
    out = np.zeros(RATE * 2)
    for start in (0.4, 0.9):
        burst = rng.normal(0, 0.4, int(0.2 * RATE)) * np.exp(-np.arange(int(0.2 * RATE)) / (0.04 * RATE))
        burst = np.convolve(burst, np.ones(8) / 8, mode="same")  # duller than white noise, like a throat
        out[int(start * RATE) : int(start * RATE) + burst.size] += burst
    return _pcm(out)


def door_slam() -> bytes:
    """A low thump and a crack, then the room ringing out."""
    rng = np.random.default_rng(5)
    t = np.arange(int(RATE * 1.5)) / RATE
    thump = 0.8 * np.sin(2 * np.pi * 60 * t) * np.exp(-t * 15)
    crack = rng.normal(0, 0.6, t.size) * np.exp(-t * 40)
    out = np.concatenate([np.zeros(RATE // 2), thump + crack])
    return _pcm(out)


RAMBLE = (
    "So the thing about the weekend was that nobody really knew where the road went after the bridge, "
    "and the map in the car was older than the car itself, which is saying something, and my cousin kept "
    "talking about the restaurant by the harbour that closed years ago, the one with the blue shutters, "
    "and the weather could not make up its mind, sunny one minute and grey the next, and by the time we "
    "found the village the bakery had sold out of everything except those little almond biscuits that "
    "nobody ever buys, so we bought them, and they were fine, honestly, a bit dry, and then we drove back."
)


def ramble(folder: Path) -> bytes:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
    out = folder / "ramble.wav"
    subprocess.run(["espeak-ng", "-v", "en-us+m3", "-s", "150", "-w", str(out), RAMBLE], check=True)
    return read_speech(out)


@pytest.fixture(scope="module")
def vad() -> SileroVoiceActivity:
    detector = SileroVoiceActivity()
    detector.load()
    return detector


def _turn(
    pcm16: bytes, session: Session, whisper: SpeechToText, piper: TextToSpeech, vad: SileroVoiceActivity
) -> tuple[VoicePipeline, list[Turn]]:
    turns: list[Turn] = []

    def acting(misheard: bool) -> Callable[[str], Turn]:
        def act(text: str) -> Turn:
            turn = session.assistant.handle(text, NOW, misheard=misheard)
            turns.append(turn)
            return turn

        return act

    pipeline = VoicePipeline(
        WavFileSource(pcm16=pcm16, realtime=False),
        whisper,
        acting(False),
        piper,
        WavSink(),
        voice_activity=vad,
        act_on_doubt=acting(True),
    )
    pipeline.press()
    assert pipeline.wait(120)
    return pipeline, turns


@pytest.mark.parametrize("sound", ["music", "cough", "door slam", "30 s ramble"])
def test_bad_input_changes_nothing(
    sound: str,
    session: Session,
    whisper: SpeechToText,
    piper: TextToSpeech,
    vad: SileroVoiceActivity,
    tmp_path: Path,
) -> None:
    pcm16 = {"music": music, "cough": cough, "door slam": door_slam}.get(sound, lambda: ramble(tmp_path))()
    if sound == "30 s ramble":
        assert len(pcm16) / 2 / RATE > 25
    before = export(session.store)
    pipeline, turns = _turn(pcm16, session, whisper, piper, vad)
    assert export(session.store) == before, (sound, pipeline.last_transcript)
    for turn in turns:  # acted on: only a question, never a write
        assert all(a.status != DONE or a.tool in READ_TOOLS for a in turn.actions), turn
