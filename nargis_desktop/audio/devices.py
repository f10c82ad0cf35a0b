"""Real microphones and speakers through sounddevice (PortAudio), any device rate resampled."""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

from nargis_desktop.audio.pcm import SPEECH_RATE_HZ, AudioError, to_pcm16
from nargis_desktop.audio.ports import FRAME_MS, EndCallback, FramesCallback

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    inputs: int
    outputs: int
    default_rate_hz: int
    is_default_input: bool
    is_default_output: bool


def list_devices() -> list[Device]:
    try:
        import sounddevice as sd
    except OSError as err:  # PortAudio itself is missing
        raise AudioError(
            f"audio is unavailable: PortAudio could not be loaded ({err})", code="audio-no-portaudio"
        ) from err
    default_in, default_out = sd.default.device
    return [
        Device(
            i,
            str(d["name"]),
            int(d["max_input_channels"]),
            int(d["max_output_channels"]),
            int(d["default_samplerate"]),
            i == default_in,
            i == default_out,
        )
        for i, d in enumerate(sd.query_devices())
    ]


def _pick(kind: str, wanted: int | str | None) -> Device:
    devices = [d for d in list_devices() if (d.inputs if kind == "input" else d.outputs) > 0]
    if not devices:
        raise AudioError(
            f"no audio {kind} device found (looked through {len(list_devices())} PortAudio devices; "
            "`nargis devices` lists them)",
            code=f"audio-no-{kind}",
        )
    if wanted is None:
        default = [d for d in devices if (d.is_default_input if kind == "input" else d.is_default_output)]
        return default[0] if default else devices[0]
    for device in devices:
        if device.index == wanted or (isinstance(wanted, str) and wanted.lower() in device.name.lower()):
            return device
    raise AudioError(f"no audio {kind} device matches {wanted!r}", code=f"audio-no-{kind}")


class SoundDeviceMicrophone:
    """Captures at the device's own rate; frames are resampled to 16 kHz mono off the audio thread."""

    sample_rate_hz = SPEECH_RATE_HZ

    def __init__(self, device: int | str | None = None, max_buffered_frames: int = 500) -> None:
        self.device = _pick("input", device)
        self._raw: queue.Queue[Any] = queue.Queue(maxsize=max_buffered_frames)  # 10 s: bounded, never grows
        self.dropped_frames = 0
        self._stream: Any = None
        self._worker: threading.Thread | None = None

    def start(self, on_frames: FramesCallback, on_end: EndCallback | None = None) -> None:
        import sounddevice as sd

        rate = self.device.default_rate_hz

        def callback(indata: Any, _frames: int, _time: Any, status: Any) -> None:
            try:
                self._raw.put_nowait(indata.copy())
            except queue.Full:
                self.dropped_frames += 1

        def convert() -> None:
            while (block := self._raw.get()) is not None:
                on_frames(to_pcm16(block, rate))

        try:
            self._stream = sd.InputStream(
                device=self.device.index,
                samplerate=rate,
                channels=1,
                dtype="int16",
                blocksize=rate * FRAME_MS // 1000,
                callback=callback,
                finished_callback=lambda: None,
            )
            self._stream.start()
        except Exception as err:  # PortAudioError: busy, unplugged, bad rate
            raise AudioError(
                f"cannot open the microphone {self.device.name!r}: {err}", code="audio-mic-failed"
            ) from err
        self._worker = threading.Thread(target=convert, name="mic-convert", daemon=True)
        self._worker.start()

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        if self._worker is not None:
            self._raw.put(None)
            self._worker.join()
            self._worker = None


class SoundDeviceSpeaker:
    def __init__(self, device: int | str | None = None) -> None:
        self.device = _pick("output", device)
        self._stream: Any = None

    def open(self, sample_rate_hz: int) -> None:
        import sounddevice as sd

        try:
            self._stream = sd.RawOutputStream(
                device=self.device.index,
                samplerate=sample_rate_hz,
                channels=1,
                dtype="int16",
                blocksize=sample_rate_hz * FRAME_MS // 1000,
            )
            self._stream.start()
        except Exception as err:
            raise AudioError(
                f"cannot open the speaker {self.device.name!r}: {err}", code="audio-speaker-failed"
            ) from err

    def write(self, pcm16: bytes) -> None:
        if self._stream is not None:
            self._stream.write(pcm16)

    def abort(self) -> None:
        if self._stream is not None:
            self._stream.abort()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
