"""The first piece of a reply is short, so it is heard sooner; a cut mid-sentence keeps a short pause."""

from __future__ import annotations

import numpy as np
import pytest

from nargis_desktop.models.engines.base import TextToSpeech
from nargis_desktop.models.engines.piper_tts import MID_SENTENCE_PAUSE_MS, SILENCE_LEVEL, speakable_pieces


@pytest.mark.parametrize(
    ("reply", "pieces"),
    [
        (
            "Your meditation streak is five days. That is your best this month.",
            ["Your meditation streak", "is five days.", "That is your best this month."],
        ),
        (
            "Okay, I'll remind you to call mom tomorrow at 5 PM.",
            ["Okay,", "I'll remind you to call mom tomorrow at 5 PM."],
        ),
        (
            "You have one task due this week: Call the plumber.",
            ["You have one task", "due this week: Call the plumber."],
        ),
        ("Nothing for today.", ["Nothing for today."]),  # short: one piece
        ("Added Renew the car insurance for Monday.", ["Added Renew the car insurance for Monday."]),  # no good cut
        ("Okay, added Buy eggs.", ["Okay,", "added Buy eggs."]),
        ("Done. Well done!", ["Done.", "Well done!"]),
    ],
)
def test_the_first_sentence_is_cut_where_a_speaker_would_pause(reply: str, pieces: list[str]) -> None:
    assert speakable_pieces(reply) == pieces


def _trailing_silence_ms(pcm16: bytes, rate: int) -> float:
    samples = np.frombuffer(pcm16, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples) > SILENCE_LEVEL)
    return (samples.size - 1 - int(loud[-1])) * 1000 / rate


def test_a_piece_cut_mid_sentence_ends_in_a_short_pause(piper: TextToSpeech) -> None:
    first, rest = list(piper.synthesize("Your meditation streak is five days."))
    assert _trailing_silence_ms(first.pcm16, first.sample_rate_hz) <= MID_SENTENCE_PAUSE_MS + 1
    assert _trailing_silence_ms(rest.pcm16, rest.sample_rate_hz) > 100  # a sentence's own end is left alone
    assert 0.8 < first.duration_s < 2.0 and 0.8 < rest.duration_s < 2.0
