"""Whisper on a window as long as the utterance, not 30 s: a spoken command decodes ~3× faster.

Whisper's encoder is trained on 30 s windows, so faster-whisper pads a 2 s command to 30 s and
the encoder spends ~400 of the ~500 ms on padding (2 cores, tiny.en). CTranslate2 accepts a
shorter mel window (what whisper.cpp calls `audio_ctx`): a 5 s window encodes in ~25 ms.

The decoder, never trained on short windows, tends to say the utterance again and again into the
missing padding. Those repeats are exact copies, so they are cut (`drop_repeats`), and the number
of new tokens is capped by how long the audio is. Measured on 38 synthesized commands and journal
dictations, the words equal the full 30 s decode's but for "five"/"5" and one name.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

SAMPLES_PER_FRAME = 160  # 10 ms mel frames at 16 kHz
FRAMES_PER_SECOND = 100
FULL_WINDOW_FRAMES = 3000  # whisper's own 30 s
# Longer speech goes through faster-whisper's full windows. On long commands the short window can
# turn the last words (the date, the time) into others that no check catches: 14 of 150 long
# commands over six voices (benchmarks/bench_lost_endings.py). Short commands keep their speed.
LONGEST_SHORT_VOICE_S = 3.0
WINDOW_PADDING_S = 1.0  # room after the last word, so the decoder sees the speech end
SHORTEST_WINDOW_S = 5.0  # shorter windows garble names ("text Sara" → "text her")
TOKENS_PER_SECOND = 6  # fast speech is ~4 words (~5 tokens) a second
SPARE_TOKENS = 8
# After a prompt of short sentences the decoder often says a short command again and again until
# the budget runs out, and each token costs ~5 ms on 2 cores. So it first gets about what the
# voice can hold; only a text that is still going, and not repeating, gets the rest of the budget.
# Greedy decoding is deterministic, so the kept words are the ones a single long call would give.
FIRST_PASS_TOKENS_PER_SPOKEN_S = 6
FIRST_PASS_SPARE_TOKENS = 2
# faster-whisper's defaults: a window that is probably silence and decodes with low confidence
# is taken as no speech (otherwise silence comes out as "I'm sorry." or "Thank you.").
NO_SPEECH_PROBABILITY = 0.6
LOW_AVERAGE_LOG_PROBABILITY = -1.0
SAME_SENTENCE_RATIO = 0.8  # "Mark buy milk as done." repeated as "Mark buy milk is done."


# Speech carries 3–6 syllables a second; a short-window text with far fewer than that for its audio
# ended early (the decoder wrote its end-of-text after a sentence, before the trailing date), so the
# whole 30 s window is decoded instead.
MIN_SYLLABLES_PER_SECOND = 2.5
VOICE_FRACTION_OF_PEAK = 0.05  # quieter than this, a sample is not the voice (the silence around it)


def syllables(text: str) -> int:
    """Vowel groups and digits: a rough count, enough to tell a cut-off text from a whole one."""
    lowered = text.lower()
    return len(re.findall(r"[aeiouy]+", lowered)) + len(re.findall(r"\d", lowered))


def spoken_seconds(audio: Any) -> float:
    """From the first to the last sample louder than 5 % of the peak (the voice, without the silence around it)."""
    import numpy as np

    levels = np.abs(audio)
    peak = float(levels.max()) if levels.size else 0.0
    if peak == 0.0:
        return 0.0
    loud = np.flatnonzero(levels > VOICE_FRACTION_OF_PEAK * peak)
    return float(loud[-1] - loud[0]) / (SAMPLES_PER_FRAME * FRAMES_PER_SECOND)


def ended_early(text: str, audio: Any) -> bool:
    seconds = spoken_seconds(audio)
    return seconds > 1.5 and syllables(text) < MIN_SYLLABLES_PER_SECOND * seconds


def ends_on_prompt_echo(text: str, prompt: str) -> bool:
    """The text's last sentence is one of the prompt's: whisper said the prompt back where it lost
    its place ("…the recycling bin house. Journal entry."), and skipped what came after."""
    sentences = [_words(s) for s in re.split(r"(?<=[.!?])\s+", text.strip()) if _words(s)]
    prompted = {_words(s) for s in re.split(r"(?<=[.!?])\s+", prompt.strip()) if _words(s)}
    return len(sentences) > 1 and sentences[-1] in prompted


def fits_short_window(audio: Any) -> bool:
    return spoken_seconds(audio) <= LONGEST_SHORT_VOICE_S


def window_frames(samples: int) -> int:
    """Mel frames to encode: the audio plus padding, in whole seconds, at least the shortest window."""
    wanted = samples / SAMPLES_PER_FRAME + WINDOW_PADDING_S * FRAMES_PER_SECOND
    whole_seconds = math.ceil(wanted / FRAMES_PER_SECOND) * FRAMES_PER_SECOND
    return min(FULL_WINDOW_FRAMES, max(int(SHORTEST_WINDOW_S * FRAMES_PER_SECOND), whole_seconds))


def _words(sentence: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", sentence.lower()).split())


def drop_repeats(text: str) -> str:
    """The text up to the first sentence that repeats an earlier one (or starts to, cut off)."""
    kept: list[str] = []
    for sentence in (s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s):
        words = _words(sentence)
        earlier = [_words(k) for k in kept]
        if any(difflib.SequenceMatcher(a=words, b=e).ratio() >= SAME_SENTENCE_RATIO for e in earlier):
            break
        unfinished = not re.search(r"[.!?]$", sentence)
        if unfinished and earlier and words and any(e.startswith(words) for e in earlier):
            break
        kept.append(sentence)
    return " ".join(kept)


def _repeats(said: str) -> bool:
    return len(_words(drop_repeats(said))) < len(_words(said))


@dataclass(frozen=True)
class Decoded:
    text: str
    average_log_probability: float
    no_speech_probability: float
    cut_short: bool  # the token budget ran out, or the text is too short for the audio: the end may be missing


class ShortWindowDecoder:
    """Greedy decoding of one utterance on a window fitted to its length."""

    def __init__(self, model: Any, language: str) -> None:
        """`model` is a loaded `faster_whisper.WhisperModel`."""
        from faster_whisper.tokenizer import Tokenizer

        self._model = model
        self._tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language
        )

    def decode(self, audio: Any, prompt: str, hotwords: str = "") -> Decoded:
        """`audio`: float32 samples at 16 kHz, at most 30 s (`fits_short_window` says which audio gains)."""
        encoded = self.encode(audio)
        start = self._start_tokens(prompt, hotwords)
        seconds = len(audio) / (SAMPLES_PER_FRAME * FRAMES_PER_SECOND)
        budget = SPARE_TOKENS + math.ceil(TOKENS_PER_SECOND * seconds)
        first_pass = FIRST_PASS_SPARE_TOKENS + math.ceil(FIRST_PASS_TOKENS_PER_SPOKEN_S * spoken_seconds(audio))
        tokens, log_probability, no_speech_probability = self._greedy(encoded, start, min(first_pass, budget), budget)
        said = self._tokenizer.decode(tokens)
        average_log_probability = log_probability / (len(tokens) + 1)
        cut_short = len(tokens) >= budget
        if no_speech_probability > NO_SPEECH_PROBABILITY and average_log_probability < LOW_AVERAGE_LOG_PROBABILITY:
            return Decoded("", average_log_probability, no_speech_probability, False)
        text = drop_repeats(said)
        # Whisper often repeats a short command until the budget runs out: that is not a lost
        # ending (the whole command is there once), so it needs no second, full-window decode.
        cut_short = (cut_short and not _repeats(said)) or ended_early(text, audio)
        return Decoded(text, average_log_probability, no_speech_probability, cut_short)

    def encode(self, audio: Any) -> Any:
        """The audio's mel frames on a window fitted to its length, through whisper's encoder."""
        import ctranslate2
        import numpy as np

        features = self._model.feature_extractor(audio)
        frames = window_frames(len(audio))
        window = np.zeros((features.shape[0], frames), dtype=np.float32)
        heard = min(frames, features.shape[1])
        window[:, :heard] = features[:, :heard]
        return self._model.model.encode(ctranslate2.StorageView.from_array(window[None]), to_cpu=False)

    def _greedy(self, encoded: Any, start: list[int], first_pass: int, budget: int) -> tuple[list[int], float, float]:
        """Tokens, their summed log-probability and the no-speech probability: `first_pass` tokens
        at most, then the rest of `budget` only for a text that is still going and not repeating."""
        result = self._generate(encoded, start, [], first_pass)
        tokens: list[int] = result.sequences_ids[0]
        log_probability = result.scores[0] * len(tokens)  # the score is per token
        if first_pass < budget and len(tokens) >= first_pass and not _repeats(self._tokenizer.decode(tokens)):
            more = self._generate(encoded, start, tokens, budget)
            # A continued call's result holds the tokens it went on from; it scores only the new
            # ones but divides by the whole length.
            tokens = more.sequences_ids[0]
            log_probability += more.scores[0] * len(tokens)
        return tokens, log_probability, float(result.no_speech_prob)

    def _generate(self, encoded: Any, start: list[int], said: list[int], budget: int) -> Any:
        """Greedy tokens after `start`, going on from `said`, up to `budget` of them in all."""
        return self._model.model.generate(
            encoded,
            [start + said],
            beam_size=1,
            max_length=len(start) + budget,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],  # the model's own list of symbols never to write
        )[0]

    def _start_tokens(self, prompt: str, hotwords: str = "") -> list[int]:
        """Hotwords and the previous-text prompt (as faster-whisper lays them out), then the start
        of transcript, without timestamps."""
        tokenizer = self._tokenizer
        room = self._model.max_length // 2 - 1
        previous = tokenizer.encode(" " + prompt.strip())[-room:] if prompt.strip() else []
        if hotwords.strip():  # the names first, cut to the room the prompt leaves
            previous = tokenizer.encode(" " + hotwords.strip())[: room - len(previous)] + previous
        before = [tokenizer.sot_prev, *previous] if previous else []
        return [*before, *tokenizer.sot_sequence, tokenizer.no_timestamps]
