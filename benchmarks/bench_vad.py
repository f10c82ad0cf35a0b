"""Silero VAD figures: how long after the last word a hands-free turn ends, and the cost per frame.

Each command (Piper and espeak-ng voices, clean and with pink noise at 20 dB SNR) is followed by
2 s of silence (or of the same noise) and fed to `EndOfSpeech` in 20 ms microphone frames, as the
microphone would. "Last word" is the last sample of the clean speech louder than 2 % of its peak.

- `model_lag_ms`: from the last word to the first 32 ms window the model calls a pause.
- `turn_end_ms`: from the last word to the moment the turn ends (the lag plus the pause the turn
  waits for, `--silence-ms`).
- `ms_per_window`: Silero on onnxruntime, one thread, per 32 ms window (real-time factor below).

  .venv/bin/python -m benchmarks.bench_vad [--silence-ms 700] [--utterances 12]

The machine is shared and noisy: medians are quoted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from benchmarks.asr_voices import VOICES, Synthesizer
from nargis_desktop.audio.vad import SILENCE_PROBABILITY, WINDOW_MS, EndOfSpeech, SileroVoiceActivity

FRAME_BYTES = 320 * 2  # 20 ms of 16 kHz int16
TAIL_S = 2.0
COMMANDS = [
    "Remind me to call grandma at 9 pm.",
    "Add buy eggs to my list.",
    "Mark buy milk as done.",
    "I meditated today.",
    "Remind me to stretch in twenty minutes.",
    "What's on my list today?",
    "Add call the plumber tomorrow.",
    "Remind me to pay rent on Friday.",
    "New journal entry: the walk by the river was lovely.",
    "Snooze the stretch reminder for ten minutes.",
    "Add finish the slides due friday high priority.",
    "Start a new habit of reading every evening.",
]


def last_word_end_s(pcm16: bytes) -> float:
    import numpy as np

    samples = np.abs(np.frombuffer(pcm16, dtype="<i2").astype(np.float64))
    loud = np.flatnonzero(samples > 0.02 * samples.max())
    return float(loud[-1]) / 16_000


def one_turn(
    vad: SileroVoiceActivity, speech: bytes, end_s: float, tail: bytes, silence_ms: int
) -> dict[str, float] | None:
    """`end_s`: where the last word ends (from the clean speech: in noise no level can tell)."""
    audio = speech + tail
    detector = EndOfSpeech(vad, silence_ms=silence_ms)
    stream = vad.stream()
    first_pause_s = ended_s = None
    window = 0
    for offset in range(0, len(audio), FRAME_BYTES):
        frame = audio[offset : offset + FRAME_BYTES]
        for probability in stream.accept(frame):
            window += 1
            window_end_s = window * WINDOW_MS / 1000
            if first_pause_s is None and window_end_s > end_s and probability < SILENCE_PROBABILITY:
                first_pause_s = window_end_s
        if detector.heard_end(frame):
            ended_s = (offset + len(frame)) / 32_000
            break
    if ended_s is None:
        return None
    # A negative turn end is a turn cut before the last word (a pause inside the command).
    lag_ms = (first_pause_s - end_s) * 1000 if first_pause_s is not None else float("nan")
    return {"model_lag_ms": lag_ms, "turn_end_ms": (ended_s - end_s) * 1000}


def window_cost_ms(vad: SileroVoiceActivity, speech: bytes) -> float:
    stream = vad.stream()
    frames = [speech[o : o + FRAME_BYTES] for o in range(0, len(speech), FRAME_BYTES)]
    windows = 0
    started = time.perf_counter()
    for frame in frames:
        windows += len(stream.accept(frame))
    return (time.perf_counter() - started) * 1000 / max(windows, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--silence-ms", type=int, default=700, help="the pause that ends a hands-free turn")
    parser.add_argument("--utterances", type=int, default=len(COMMANDS))
    args = parser.parse_args()

    import tempfile
    from pathlib import Path

    import numpy as np

    from nargis_desktop.audio.pcm import read_speech, to_pcm16
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.models.engines import open_text_to_speech
    from nargis_desktop.models.manager import ModelManager

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        manager = ModelManager(ProfilePaths(data_dir=root / "d", config_dir=root / "c", cache_dir=root / "k"))
        piper = open_text_to_speech(manager.resolve("tts"))
        piper.variation = 0.0  # type: ignore[attr-defined]

        def say(text: str) -> bytes:
            chunks = list(piper.synthesize(text))
            samples = np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2")
            return to_pcm16(samples, chunks[0].sample_rate_hz)

        synth = Synthesizer(say)
        vad = SileroVoiceActivity()
        vad.load()
        noise = np.frombuffer(read_speech(synth.noise()), dtype="<i2")
        results: dict[str, Any] = {"silence_ms": args.silence_ms}
        costs: list[float] = []
        for voice in [v for v in VOICES if v.engine in ("piper", "espeak")][:3]:
            for snr in (None, 20):
                turns = []
                for text in COMMANDS[: args.utterances]:
                    clean = synth.clean(voice, text)
                    speech = synth.speech(voice, text, snr)
                    if snr is None:
                        tail = bytes(int(TAIL_S * 32_000))
                    else:  # the noise goes on after the speech, at the level it was mixed at
                        mixed = np.frombuffer(speech, dtype="<i2").astype(np.float64)
                        said = np.frombuffer(clean, dtype="<i2").astype(np.float64)
                        level = np.std(mixed - said)
                        piece = noise[: int(TAIL_S * 16_000)].astype(np.float64)
                        tail = (piece / np.std(piece) * level).astype("<i2").tobytes()
                    turn = one_turn(vad, speech, last_word_end_s(clean), tail, args.silence_ms)
                    if turn:
                        turns.append(turn)
                    costs.append(window_cost_ms(vad, speech))
                label = f"{voice.name}, {'clean' if snr is None else f'{snr} dB SNR'}"
                results[label] = {
                    "turns_ended": f"{len(turns)} of {args.utterances}",
                    "model_lag_p50_ms": round(statistics.median(t["model_lag_ms"] for t in turns), 1)
                    if turns
                    else None,
                    "turn_end_p50_ms": round(statistics.median(t["turn_end_ms"] for t in turns), 1) if turns else None,
                    "turn_end_max_ms": round(max(t["turn_end_ms"] for t in turns), 1) if turns else None,
                    "cut_before_the_last_word": sum(t["turn_end_ms"] < 0 for t in turns),
                }
        results["ms_per_32ms_window_p50"] = round(statistics.median(costs), 3)
        results["real_time_factor"] = round(statistics.median(costs) / WINDOW_MS, 4)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
