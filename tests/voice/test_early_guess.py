"""Decoding while the key is held: a guess after the voice goes quiet is the release's transcript
only when nothing loud followed it, and it heard exactly the audio the release would decode."""

from __future__ import annotations

import threading

import numpy as np

from nargis_desktop.models.engines.early_guess import QUIET_BEFORE_GUESS_S, QUIET_KEPT_S, RATE_HZ, EarlyGuess

CHUNK_S = 0.02


def tone(seconds: float, level: int = 8000) -> bytes:
    samples = np.arange(int(seconds * RATE_HZ))
    return (level * np.sin(2 * np.pi * 220 * samples / RATE_HZ)).astype("<i2").tobytes()


def quiet(seconds: float, level: int = 0) -> bytes:
    return np.full(int(seconds * RATE_HZ), level, dtype="<i2").tobytes()


class Decoder:
    """Records what it was asked to decode; answers with the audio's length in samples."""

    def __init__(self) -> None:
        self.heard: list[bytes] = []
        self.lock = threading.Lock()

    def __call__(self, pcm16: bytes) -> int:
        with self.lock:
            self.heard.append(pcm16)
        return len(pcm16) // 2


def feed(guess: EarlyGuess[int], pcm16: bytes) -> None:
    step = int(CHUNK_S * RATE_HZ) * 2
    for start in range(0, len(pcm16), step):
        guess.accept(pcm16[start : start + step])


def test_a_guess_after_the_voice_goes_quiet_is_the_transcript_when_nothing_follows() -> None:
    decoder = Decoder()
    early = EarlyGuess(decoder, lambda _audio: True)
    feed(early, tone(1.0) + quiet(0.3, level=50))  # a noise floor well under 5 % of the voice
    assert early.take() == int((1.0 + QUIET_KEPT_S) * RATE_HZ)
    assert decoder.heard == [early.speech()]  # decoded once, before the release, on what the release decodes


def test_speech_after_the_guess_throws_the_guess_away() -> None:
    decoder = Decoder()
    early = EarlyGuess(decoder, lambda _audio: True)
    feed(early, tone(0.8) + quiet(0.3))
    feed(early, tone(0.5) + quiet(0.05))  # went on talking, released soon after
    assert early.take() is None
    assert len(early.speech()) // 2 == int((0.8 + 0.3 + 0.5 + 0.05) * RATE_HZ)  # all of it: less quiet than kept


def test_a_pause_shorter_than_the_wait_is_not_guessed() -> None:
    decoder = Decoder()
    early = EarlyGuess(decoder, lambda _audio: True)
    feed(early, tone(0.6) + quiet(QUIET_BEFORE_GUESS_S - 0.04) + tone(0.6))
    assert early.take() is None and decoder.heard == []


def test_long_speech_is_not_guessed() -> None:
    decoder = Decoder()
    early = EarlyGuess(decoder, lambda audio: len(audio) // 2 < 2 * RATE_HZ)
    feed(early, tone(4.0) + quiet(0.5))
    assert early.take() is None and decoder.heard == []


def test_a_failed_guess_raises_at_the_release_as_a_decode_would() -> None:
    def broken(_pcm16: bytes) -> int:
        raise RuntimeError("the model went away")

    early = EarlyGuess(broken, lambda _audio: True)
    feed(early, tone(0.5) + quiet(0.3))
    try:
        early.take()
    except RuntimeError as err:
        assert "went away" in str(err)
    else:
        raise AssertionError("the guess's error was lost")
