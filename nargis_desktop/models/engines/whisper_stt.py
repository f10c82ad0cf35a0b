"""faster-whisper: the accuracy option; it transcribes the whole utterance when the key is released.

A spoken command is decoded on a window fitted to its length (see `whisper_window`); long audio,
and callers that want word timings, go through faster-whisper's own 30 s windows.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nargis_desktop.errors import ModelError
from nargis_desktop.models.engines.base import Lazy, SttCapabilities, Transcript, Word, load_failure
from nargis_desktop.models.engines.early_guess import EarlyGuess
from nargis_desktop.models.engines.whisper_window import (
    LOW_AVERAGE_LOG_PROBABILITY,
    ShortWindowDecoder,
    ended_early,
    ends_on_prompt_echo,
    fits_short_window,
)

_LOGGER = logging.getLogger(__name__)
WHISPER_RATE_HZ = 16_000
MAX_UTTERANCE_S = 300  # one turn's audio is kept up to 5 min (9.6 MB), never more
SHORT_WINDOW_THREADS = 1  # see _open_short
# The previous-text prompt: how people talk to Nargis ("Add …", not "At …"). A longer prompt with
# "Hey Nargis", "7 a.m.", "high priority" and "cancel" won on the tuning part of
# benchmarks/bench_asr.py (espeak-ng and Festival) but lost on its held-out part (right by effect
# 0.383 → 0.331) and on the Piper voice ("Remind me" heard as "Rem I need"), so it was not kept.
COMMAND_PROMPT = "Add a task. Remind me to call mom. Mark buy milk as done. Start a new habit. Journal entry."
# faster-whisper re-decodes a doubtful window by sampling at rising temperatures, so the same audio
# gave a different text on every try (five decodes of one espeak-ng command: five texts, one a list
# of dollar sums, and a made-up "All right." after the last word). A person's words must not depend
# on chance: the window is decoded greedily, and a doubtful result (faster-whisper's own fall-back
# thresholds: this ratio and LOW_AVERAGE_LOG_PROBABILITY) is decoded again with beam search, which
# is deterministic too.
COMPRESSION_RATIO_LIMIT = 2.4  # above it the text repeats itself
FALL_BACK_BEAM_SIZE = 5


class WhisperSpeechToText:
    def __init__(
        self,
        model_dir: Path,
        language: str = "en",
        threads: int = 2,
        word_timings: bool = False,
        command_prompt: str = COMMAND_PROMPT,
    ) -> None:
        """`word_timings` costs a second pass over the audio (~350 ms for a command on 2 cores)."""
        self.model_dir = model_dir
        self.command_prompt = command_prompt
        self.language = language
        self.threads = threads
        self.word_timings = word_timings
        self._model: Lazy[Any] = Lazy(lambda: self._open(self.threads))
        self._short: Lazy[ShortWindowDecoder] = Lazy(self._open_short)

    def _open_short(self) -> ShortWindowDecoder:
        # One decoder step on a short window is too small to split across cores: on one thread a
        # command decodes ~13 % faster (tiny.en, 2 cores), while the 30 s window gains from two.
        # The second copy of the model costs ~55 MB.
        threads = min(self.threads, SHORT_WINDOW_THREADS)
        model = self._model.get() if threads == self.threads else self._open(threads)
        return ShortWindowDecoder(model, self.language)

    def _open(self, threads: int) -> Any:
        from faster_whisper import WhisperModel

        try:
            return WhisperModel(
                str(self.model_dir), device="cpu", compute_type="int8", cpu_threads=threads, local_files_only=True
            )
        except Exception as err:  # ctranslate2 raises RuntimeError/ValueError for bad folders
            raise load_failure("faster-whisper", self.model_dir, err) from err

    @property
    def capabilities(self) -> SttCapabilities:
        return SttCapabilities(
            sample_rates_hz=(WHISPER_RATE_HZ,),
            streaming_partials=False,
            word_timings=self.word_timings,
            phrase_lists=True,
            languages=(self.language,),
        )

    def load(self) -> None:
        if not self.word_timings:  # word timings always take the full windows
            self._short.get()
        self._model.get()  # the full window's, for long speech: loaded now, not on the first long command
        self.transcribe(bytes(WHISPER_RATE_HZ * 2))  # the first decode allocates: do it before a person waits

    def stream(self, sample_rate_hz: int = 16_000, phrases: Sequence[str] | None = None) -> WhisperStream:
        return WhisperStream(self, sample_rate_hz, phrases)

    def transcribe(
        self, pcm16: bytes, sample_rate_hz: int = 16_000, phrases: Sequence[str] | None = None
    ) -> Transcript:
        import numpy as np

        if sample_rate_hz != WHISPER_RATE_HZ:
            raise ModelError(
                f"faster-whisper takes {WHISPER_RATE_HZ} Hz audio, not {sample_rate_hz} Hz", code="stt-bad-rate"
            )
        audio = np.frombuffer(pcm16, dtype=np.int16).astype(np.float32) / 32768.0
        if audio.size == 0:
            return Transcript(text="")
        # The person's own names go in as faster-whisper's hotwords, ahead of the command prompt.
        hotwords = ", ".join(phrases) + "." if phrases else ""
        if not self.word_timings and fits_short_window(audio):
            decoded = self._short.get().decode(audio, self.command_prompt, hotwords)
            if not decoded.cut_short:
                return Transcript(
                    text=decoded.text.strip(),
                    average_log_probability=decoded.average_log_probability,
                    no_speech_probability=decoded.no_speech_probability,
                )
            _LOGGER.info("the short window may have lost the end; decoding the whole 30 s window instead")
        collected = self._full_window(audio, hotwords, self.word_timings)
        text = " ".join(s.text.strip() for s in collected).strip()
        if not self.word_timings and (ended_early(text, audio) or ends_on_prompt_echo(text, self.command_prompt)):
            # A segment that ends on a lone timestamp makes faster-whisper skip the rest of the
            # window; with word timings it seeks to the last word instead and hears the rest.
            _LOGGER.info("the full window stopped early too; decoding again with word timings")
            collected = self._full_window(audio, hotwords, True)
        words = tuple(Word(w.word.strip(), float(w.start), float(w.end)) for s in collected for w in (s.words or []))
        return Transcript(
            text=" ".join(s.text.strip() for s in collected).strip(),
            words=words,
            average_log_probability=min((s.avg_logprob for s in collected), default=None),
            no_speech_probability=max((s.no_speech_prob for s in collected), default=None),
        )

    def _full_window(self, audio: Any, hotwords: str, word_timings: bool) -> list[Any]:
        greedy = self._decode_full_window(audio, hotwords, word_timings, beam_size=1)
        greedy_worst = _worst_log_probability(greedy)
        if not greedy or greedy_worst >= LOW_AVERAGE_LOG_PROBABILITY:  # nothing heard, or sure of it all
            return greedy
        _LOGGER.info("a doubtful decode; decoding again with beam search")
        beam = self._decode_full_window(audio, hotwords, word_timings, beam_size=FALL_BACK_BEAM_SIZE)
        return beam if _worst_log_probability(beam) >= greedy_worst else greedy

    def _decode_full_window(self, audio: Any, hotwords: str, word_timings: bool, beam_size: int) -> list[Any]:
        segments, _info = self._model.get().transcribe(
            audio,
            language=self.language,
            beam_size=beam_size,
            temperature=0.0,  # never sampled: see COMPRESSION_RATIO_LIMIT
            word_timestamps=word_timings,
            # With timestamps the decoder goes on after a sentence it ended too soon (it seeks to
            # the next segment); without them it stops there and the end of a long command is lost.
            without_timestamps=False,
            initial_prompt=self.command_prompt,
            hotwords=hotwords or None,
            condition_on_previous_text=False,
        )
        return list(segments)


def _worst_log_probability(segments: list[Any]) -> float:
    """The least sure segment's average log-probability; a repeating text counts as the least sure of all."""
    return min(
        (s.avg_logprob if s.compression_ratio <= COMPRESSION_RATIO_LIMIT else -math.inf for s in segments),
        default=-math.inf,
    )


class WhisperStream:
    """Whisper has no partials: audio is kept until `finish`, then transcribed at once — or, for a
    short command, already while the key is still held after the voice went quiet (`early_guess`)."""

    def __init__(self, engine: WhisperSpeechToText, sample_rate_hz: int, phrases: Sequence[str] | None) -> None:
        self._engine = engine
        self._rate = sample_rate_hz
        self._phrases = phrases
        self._early: EarlyGuess[Transcript] | None = None
        if sample_rate_hz == WHISPER_RATE_HZ and not engine.word_timings:
            self._early = EarlyGuess(self._transcribe, _short_speech)
        self._audio = self._early.audio if self._early is not None else bytearray()  # one buffer, not two

    def accept(self, pcm16: bytes) -> str:
        room = MAX_UTTERANCE_S * self._rate * 2 - len(self._audio)
        kept = pcm16[: max(0, room)]  # past the limit the key was surely held by mistake
        if self._early is None:
            self._audio += kept
        elif kept:
            self._early.accept(kept)  # it appends to the shared buffer
        return ""

    def finish(self) -> Transcript:
        if self._early is None:
            return self._transcribe(bytes(self._audio))
        guessed = self._early.take()
        return guessed if guessed is not None else self._transcribe(self._early.speech())

    def _transcribe(self, pcm16: bytes) -> Transcript:
        return self._engine.transcribe(pcm16, self._rate, self._phrases)


def _short_speech(pcm16: bytes) -> bool:
    """Only a short command is guessed early: long speech takes the full window, too slow to waste."""
    import numpy as np

    return fits_short_window(np.frombuffer(pcm16, dtype=np.int16).astype(np.float32) / 32768.0)
