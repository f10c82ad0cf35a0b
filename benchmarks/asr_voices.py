"""Speakers the project never tuned to, background noise, and word error rate — for bench_asr.

Voices: espeak-ng in several variants and rates, Festival's diphone voice (kal_diphone) and the
bundled Piper voice as the baseline every other voice test uses. Noise is pink noise from sox's
repeatable generator, mixed in by sox at a given signal-to-noise ratio. Audio is cached by the
hash of (voice, text, noise) under the temp folder, so a second run synthesizes nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nargis_desktop.audio.pcm import read_speech, write_wav

RATE_HZ = 16_000
CACHE = Path(tempfile.gettempdir()) / "nargis-asr-bench"
NOISE_SECONDS = 40  # one noise file; each utterance takes a slice starting where its hash says


@dataclass(frozen=True)
class Voice:
    name: str
    engine: str  # "espeak", "festival" or "piper"
    variant: str = ""
    words_per_minute: int = 0

    def available(self) -> bool:
        if self.engine == "espeak":
            return shutil.which("espeak-ng") is not None
        if self.engine == "festival":
            return (
                shutil.which("text2wave") is not None
                and Path("/usr/share/festival/voices/english/kal_diphone").exists()
            )
        return True


VOICES = (
    Voice("piper joe (baseline)", "piper"),
    Voice("espeak en-us+m3 160wpm", "espeak", "en-us+m3", 160),
    Voice("espeak en+f2 175wpm", "espeak", "en+f2", 175),
    Voice("espeak en-gb+m1 140wpm", "espeak", "en-gb+m1", 140),
    Voice("espeak en-us+f4 200wpm", "espeak", "en-us+f4", 200),
    Voice("festival kal diphone", "festival"),
)
NOISE_LEVELS = (None, 20, 10)  # clean, then SNR in dB


def _key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _espeak(voice: Voice, text: str, out: Path) -> None:
    subprocess.run(
        ["espeak-ng", "-v", voice.variant, "-s", str(voice.words_per_minute), "-w", str(out), text],
        check=True,
        capture_output=True,
    )


def _festival(text: str, out: Path) -> None:
    subprocess.run(
        ["text2wave", "-o", str(out), "-eval", "(voice_kal_diphone)"],
        input=text.encode(),
        check=True,
        capture_output=True,
    )


class Synthesizer:
    """Speech for (voice, text, noise), from the cache when it was made before."""

    def __init__(self, piper: Callable[[str], bytes], cache: Path = CACHE) -> None:
        self.piper = piper
        self.cache = cache
        self.made = 0

    def clean(self, voice: Voice, text: str) -> bytes:
        path = self.cache / "clean" / f"{_key(voice, text)}.wav"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = path.with_suffix(".raw.wav")
            if voice.engine == "piper":
                write_wav(raw, self.piper(text), RATE_HZ)
            elif voice.engine == "espeak":
                _espeak(voice, text, raw)
            else:
                _festival(text, raw)
            write_wav(path, read_speech(raw), RATE_HZ)  # 16 kHz mono int16, whatever the voice made
            raw.unlink()
            self.made += 1
        return read_speech(path)

    def speech(self, voice: Voice, text: str, snr_db: int | None) -> bytes:
        if snr_db is None:
            return self.clean(voice, text)
        path = self.cache / "noisy" / f"{_key(voice, text, snr_db)}.wav"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            self._mix(self.clean(voice, text), snr_db, int(_key(text), 16) % 1000, path)
        return read_speech(path)

    def noise(self) -> Path:
        """Pink noise from sox's repeatable generator (-R): the same samples on every machine."""
        path = self.cache / "pink-noise.wav"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    "sox",
                    "-R",
                    "-n",
                    "-r",
                    str(RATE_HZ),
                    "-b",
                    "16",
                    "-c",
                    "1",
                    str(path),
                    "synth",
                    str(NOISE_SECONDS),
                    "pinknoise",
                    "vol",
                    "0.5",
                ],
                check=True,
                capture_output=True,
            )
        return path

    def _mix(self, speech: bytes, snr_db: int, offset_ms: int, out: Path) -> None:
        """sox -m mixes speech with a slice of the noise scaled to `snr_db` below the speech's power."""
        import numpy as np

        samples = np.frombuffer(speech, dtype="<i2").astype(np.float64)
        noise = np.frombuffer(read_speech(self.noise()), dtype="<i2").astype(np.float64)
        start = offset_ms * RATE_HZ // 1000
        piece = noise[start : start + samples.size]
        speech_power = np.mean(samples[np.abs(samples) > 300] ** 2)  # the power of the speech, not the pauses
        gain = float(np.sqrt(speech_power / np.mean(piece**2) / 10 ** (snr_db / 10)))
        with tempfile.TemporaryDirectory() as folder:
            clean_wav, noise_wav = Path(folder) / "s.wav", Path(folder) / "n.wav"
            write_wav(clean_wav, speech, RATE_HZ)
            write_wav(noise_wav, piece.astype("<i2").tobytes(), RATE_HZ)
            # An explicit -v on each input keeps sox -m from halving both; the sum is clipped, not wrapped.
            subprocess.run(
                ["sox", "-m", "-v", "1", str(clean_wav), "-v", f"{gain:.6f}", str(noise_wav), "-b", "16", str(out)],
                check=True,
                capture_output=True,
            )


# Word error rate ---------------------------------------------------------------------------
_NUMBERS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "forty-five": "45",
    "fifty": "50",
    "first": "1st",
    "third": "3rd",
    "fifth": "5th",
    "twentieth": "20th",
    "fifteenth": "15th",
}


def words(text: str) -> list[str]:
    """Lower case, no punctuation, "p.m." as "pm", "5:30" as "5 30", numbers as digits: the forms
    that mean the same are one word, so only real misrecognitions count."""
    text = text.lower().replace("p.m.", "pm").replace("a.m.", "am").replace("to-do", "to do")
    text = re.sub(r"(\d)(am|pm)\b", r"\1 \2", text)
    text = re.sub(r"(\d):(\d\d)", r"\1 \2", text)
    tokens = re.findall(r"[a-z0-9']+", text.replace("-", " "))
    return [_NUMBERS.get(t, t) for t in tokens]


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def held_out(text: str) -> bool:
    """A third of the utterances, chosen by a hash of the text, that no tuning ever looks at."""
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % 3 == 0


def whisper_and_voices(root: Path) -> tuple[Path, Synthesizer]:
    """The bundled whisper tiny.en's folder and a Synthesizer whose Piper voice (the bundled one,
    without variation: the same speech every run) is the baseline, from a model manager under `root`."""
    import numpy as np

    from nargis_desktop.audio.pcm import to_pcm16
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.models.engines import open_text_to_speech
    from nargis_desktop.models.manager import ModelManager

    manager = ModelManager(ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "c"))
    piper = open_text_to_speech(manager.resolve("tts"))
    piper.variation = 0.0  # type: ignore[attr-defined]

    def say_with_piper(text: str) -> bytes:
        chunks = list(piper.synthesize(text))
        samples = np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2")
        return to_pcm16(samples, chunks[0].sample_rate_hz)

    return manager.resolve_entry(manager.entry("whisper-tiny-en")).path, Synthesizer(say_with_piper)
