"""The short whisper window: repeats cut, window sizes, silence and noise heard as nothing."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech
from nargis_desktop.models.engines.whisper_stt import MAX_UTTERANCE_S
from nargis_desktop.models.engines.whisper_window import (
    FULL_WINDOW_FRAMES,
    drop_repeats,
    fits_short_window,
    window_frames,
)


@pytest.mark.parametrize(
    ("decoded", "kept"),
    [
        ("Add buy eggs to my list. Add buy eggs to my list. Add buy", "Add buy eggs to my list."),
        ("Mark buy milk as done. Mark buy milk is done. Mark", "Mark buy milk as done."),
        ("What's on my list today? What's on my list today?", "What's on my list today?"),
        (
            "New journal entry. The walk was lovely. The walk was lovely.",
            "New journal entry. The walk was lovely.",
        ),
        ("I ran. Then I swam. Then I slept.", "I ran. Then I swam. Then I slept."),
        ("Remind me to call mom tomorrow at 5.", "Remind me to call mom tomorrow at 5."),
        ("", ""),
    ],
)
def test_drop_repeats_keeps_the_utterance_once(decoded: str, kept: str) -> None:
    assert drop_repeats(decoded) == kept


def test_the_window_fits_the_audio_in_whole_seconds() -> None:
    assert window_frames(16_000 * 2) == 500  # 2 s command: the shortest window
    assert window_frames(int(16_000 * 6.3)) == 800  # 6.3 s + 1 s padding → 8 s
    assert window_frames(16_000 * 29) == FULL_WINDOW_FRAMES


def _voice(seconds: float, silence_s: float = 1.0) -> np.ndarray:
    quiet = np.zeros(int(16_000 * silence_s), dtype=np.float32)
    tone = 0.3 * np.sin(np.arange(int(16_000 * seconds), dtype=np.float32) * 0.1)
    return np.concatenate([quiet, tone.astype(np.float32), quiet])


def test_only_short_speech_takes_the_short_window_and_the_silence_around_it_does_not_count() -> None:
    """A long command's last words are the ones the short window can garble: it takes the full decode."""
    assert fits_short_window(_voice(2.5, silence_s=2.0))
    assert not fits_short_window(_voice(3.5, silence_s=0.1))


@pytest.mark.parametrize(
    "audio",
    [
        np.zeros(32_000, dtype=np.float32),
        np.random.default_rng(1).normal(0, 0.02, 32_000).astype(np.float32),
        np.random.default_rng(2).normal(0, 0.2, 32_000).astype(np.float32),
        (0.1 * np.sin(np.arange(32_000) * 2 * np.pi * 100 / 16_000)).astype(np.float32),
    ],
    ids=["silence", "quiet-noise", "loud-noise", "hum"],
)
def test_silence_and_noise_are_heard_as_nothing(whisper: SpeechToText, audio: np.ndarray) -> None:
    pcm16 = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    assert whisper.transcribe(pcm16).text == ""


def test_a_key_held_for_ever_keeps_only_five_minutes_of_audio(whisper: SpeechToText) -> None:
    stream = whisper.stream(16_000)
    second = bytes(32_000)
    for _ in range(MAX_UTTERANCE_S + 60):
        stream.accept(second)
    assert len(stream._audio) == MAX_UTTERANCE_S * 32_000  # type: ignore[attr-defined]


REPEATED_BY_WHISPER = ["Add buy eggs to my list.", "What reminders do I have?", "What's on my list today?"]


@pytest.mark.slow
def test_a_command_said_again_and_again_stops_early_with_the_words_one_long_call_keeps(
    whisper: SpeechToText, piper: TextToSpeech
) -> None:
    """After the command prompt whisper repeats these until its token budget runs out; the first
    pass stops them at the repeat and keeps the same words one call with the whole budget keeps."""
    from nargis_desktop.models.engines import whisper_window
    from nargis_desktop.models.engines.whisper_stt import COMMAND_PROMPT, WhisperSpeechToText

    assert isinstance(whisper, WhisperSpeechToText)
    decoder = whisper._short.get()  # the decoder's token counts are what is tested
    generated: list[int] = []
    generate = decoder._generate

    def counted(encoded: Any, start: list[int], said: list[int], budget: int) -> Any:
        result = generate(encoded, start, said, budget)
        generated.append(len(result.sequences_ids[0]))
        return result

    stopped_early = 0
    for command in REPEATED_BY_WHISPER:
        audio = _spoken(piper, command)
        budget = whisper_window.SPARE_TOKENS + math.ceil(whisper_window.TOKENS_PER_SECOND * len(audio) / 16_000)
        decoder._generate = counted  # type: ignore[method-assign]
        try:
            early = decoder.decode(audio, COMMAND_PROMPT)
        finally:
            del decoder._generate
        stopped_early += generated[-1] < budget
        once = generate(decoder.encode(audio), decoder._start_tokens(COMMAND_PROMPT), [], budget)
        assert early.text == drop_repeats(decoder._tokenizer.decode(once.sequences_ids[0]))
    assert stopped_early >= 2, "whisper no longer repeats these commands: pick others for this test"


def _spoken(piper: TextToSpeech, text: str) -> np.ndarray:
    from nargis_desktop.audio.pcm import to_pcm16

    chunks = list(piper.synthesize(text))
    pcm = to_pcm16(np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2"), chunks[0].sample_rate_hz)
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0


@pytest.mark.parametrize(
    ("text", "echo"),
    [
        ("Remind me to take the new recycling bin house. Journal entry.", True),
        ("Add milk to my list. Add a task.", True),
        ("Journal entry.", False),  # said on its own, it is what the person said
        ("Remind me to call mom tomorrow at 5.", False),
        ("New journal entry. The walk was lovely.", False),
    ],
)
def test_a_long_text_that_ends_on_a_sentence_of_the_prompt_is_an_echo(text: str, echo: bool) -> None:
    from nargis_desktop.models.engines.whisper_stt import COMMAND_PROMPT
    from nargis_desktop.models.engines.whisper_window import ends_on_prompt_echo

    assert ends_on_prompt_echo(text, COMMAND_PROMPT) is echo
