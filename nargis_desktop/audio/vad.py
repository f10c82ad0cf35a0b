"""Did someone speak? Silero VAD on onnxruntime: a speech probability for every 32 ms of audio.

The model ships inside faster-whisper (`faster_whisper/assets/silero_vad_v6.onnx`), so no
download and no torch: it is found without importing faster-whisper (which would load
CTranslate2) and run on onnxruntime, which Piper already needs. Two uses:

- `has_speech`: before a turn is recognised and acted on, so an empty tap, a cough or room noise
  writes nothing (whisper hallucinates words on noise: "I.", "I'm").
- `EndOfSpeech`: hands-free mode ends the turn after a pause that follows speech — a trained
  model instead of an energy threshold, so faint background noise neither counts as speech nor
  keeps a turn open.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from nargis_desktop.errors import NargisError

_LOGGER = logging.getLogger(__name__)
RATE_HZ = 16_000
WINDOW_SAMPLES = 512  # what the model takes at 16 kHz: 32 ms
CONTEXT_SAMPLES = 64  # the tail of the previous window the model sees before each window
WINDOW_MS = WINDOW_SAMPLES * 1000 // RATE_HZ
SPEECH_PROBABILITY = 0.5  # Silero's own default threshold
SILENCE_PROBABILITY = 0.35  # below this a window is a pause (hysteresis, as in Silero's own code)
MIN_SPEECH_MS = 160  # a turn holds speech when at least this much of it is speech


class VoiceActivityError(NargisError):
    code = "vad-unavailable"
    exit_code = 3


class VadStream(Protocol):
    def accept(self, pcm16: bytes) -> list[float]:
        """Feed 16 kHz mono int16; the probabilities of the windows completed by it."""
        ...


class VoiceActivity(Protocol):
    """Speech probabilities per 32 ms window of 16 kHz mono int16 audio."""

    def load(self) -> None: ...

    def probabilities(self, pcm16: bytes) -> list[float]: ...

    def stream(self) -> VadStream: ...


def speech_ms(probabilities: Sequence[float], threshold: float = SPEECH_PROBABILITY) -> int:
    return sum(1 for p in probabilities if p >= threshold) * WINDOW_MS


def has_speech(vad: VoiceActivity, pcm16: bytes, min_speech_ms: int = MIN_SPEECH_MS) -> bool:
    return speech_ms(vad.probabilities(pcm16)) >= min_speech_ms


def silero_model_path() -> Path:
    spec = importlib.util.find_spec("faster_whisper")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    bundle = getattr(sys, "_MEIPASS", None)  # the installed app: PyInstaller unpacks data files here
    if bundle:
        folders.append(str(Path(bundle) / "faster_whisper"))
    for folder in folders:
        found = sorted((Path(folder) / "assets").glob("silero_vad*.onnx"))
        if found:
            return found[-1]
    raise VoiceActivityError(
        "the voice activity model is missing: it comes with faster-whisper (pip install 'nargis-desktop[voice]')"
    )


class SileroVoiceActivity:
    def __init__(self, model_path: Path | None = None) -> None:
        self.model_path = model_path
        self._session: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime
            except ImportError as err:
                raise VoiceActivityError("voice activity detection needs onnxruntime (it comes with Piper)") from err
            path = self.model_path or silero_model_path()
            options = onnxruntime.SessionOptions()
            options.inter_op_num_threads = 1
            options.intra_op_num_threads = 1  # 32 ms windows: one thread, never competing with the recogniser
            options.log_severity_level = 4
            try:
                session = onnxruntime.InferenceSession(
                    str(path), providers=["CPUExecutionProvider"], sess_options=options
                )
            except Exception as err:
                raise VoiceActivityError(f"the voice activity model {path.name} cannot be loaded: {err}") from err
            names = {i.name for i in session.get_inputs()}
            if names != {"input", "h", "c"}:
                raise VoiceActivityError(f"{path.name} is not the Silero VAD v6 model this code expects ({names})")
            self._session = session

    def run(self, windows: Any, state: tuple[Any, Any]) -> tuple[Any, tuple[Any, Any]]:
        """Windows (n, CONTEXT + WINDOW) float32 → probabilities (n,) and the carried LSTM state."""
        self.load()
        import numpy as np

        output, h, c = self._session.run(None, {"input": windows, "h": state[0], "c": state[1]})
        return np.asarray(output, dtype=np.float32).reshape(-1), (h, c)

    def probabilities(self, pcm16: bytes) -> list[float]:
        stream = self.stream()
        probabilities = stream.accept(pcm16)
        return probabilities + stream.flush()

    def stream(self) -> SileroStream:
        return SileroStream(self)


class SileroStream:
    """Windows of a continuous signal, each with the 64 samples before it, the state carried over."""

    def __init__(self, model: SileroVoiceActivity) -> None:
        import numpy as np

        self.model = model
        self._state = (np.zeros((1, 1, 128), np.float32), np.zeros((1, 1, 128), np.float32))
        self._context = np.zeros(CONTEXT_SAMPLES, np.float32)
        self._pending = np.zeros(0, np.float32)

    def accept(self, pcm16: bytes) -> list[float]:
        import numpy as np

        samples = np.frombuffer(pcm16, dtype="<i2").astype(np.float32) / 32768.0
        self._pending = np.concatenate([self._pending, samples])
        count = len(self._pending) // WINDOW_SAMPLES
        if count == 0:
            return []
        audio = self._pending[: count * WINDOW_SAMPLES]
        self._pending = self._pending[count * WINDOW_SAMPLES :]
        windows = audio.reshape(count, WINDOW_SAMPLES)
        before = np.vstack([self._context, windows[:-1, -CONTEXT_SAMPLES:]]) if count > 1 else self._context[None, :]
        self._context = windows[-1, -CONTEXT_SAMPLES:].copy()
        probabilities, self._state = self.model.run(np.hstack([before, windows]).astype(np.float32), self._state)
        return [float(p) for p in probabilities]

    def flush(self) -> list[float]:
        """The last partial window, padded with silence (only when at least half of it is audio)."""
        import numpy as np

        if len(self._pending) < WINDOW_SAMPLES // 2:
            return []
        padded = np.zeros(WINDOW_SAMPLES, np.float32)
        padded[: len(self._pending)] = self._pending
        self._pending = np.zeros(0, np.float32)
        return self.accept((padded * 32768.0).astype("<i2").tobytes())


class EndOfSpeech:
    """Hands-free mode: the turn ends after `silence_ms` of pause that follows real speech.

    Also ends a turn in which nobody speaks for `no_speech_s`, and any turn after `max_turn_s`, so a
    hands-free turn can never stay open for good.
    """

    def __init__(
        self,
        vad: VoiceActivity,
        silence_ms: int = 700,
        min_speech_ms: int = MIN_SPEECH_MS,
        no_speech_s: float = 8.0,
        max_turn_s: float = 30.0,
    ) -> None:
        self.vad = vad
        self.silence_windows = max(1, silence_ms // WINDOW_MS)
        self.min_speech_windows = max(1, min_speech_ms // WINDOW_MS)
        self.no_speech_windows = int(no_speech_s * 1000) // WINDOW_MS
        self.max_windows = int(max_turn_s * 1000) // WINDOW_MS
        self.reset()

    def reset(self) -> None:
        self._stream: VadStream = self.vad.stream()
        self._speech = self._quiet = self._windows = 0
        self._ended = False

    def heard_end(self, pcm16: bytes) -> bool:
        """Feed frames as they come; True once, when the turn should end."""
        if self._ended:
            return False
        for probability in self._stream.accept(pcm16):
            self._windows += 1
            if probability >= SPEECH_PROBABILITY:
                self._speech += 1
                self._quiet = 0
            elif probability < SILENCE_PROBABILITY:
                self._quiet += 1
            heard = self._speech >= self.min_speech_windows
            if (
                (heard and self._quiet >= self.silence_windows)
                or (not heard and self._windows >= self.no_speech_windows)
                or self._windows >= self.max_windows
            ):
                self._ended = True
                return True
        return False
