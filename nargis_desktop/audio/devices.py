"""Real microphones and speakers through sounddevice (PortAudio), any device rate resampled."""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from nargis_desktop.audio.pcm import SPEECH_RATE_HZ, AudioError, StreamConverter
from nargis_desktop.audio.ports import FRAME_MS, EndCallback, FramesCallback

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Device:
    index: int  # the PortAudio device that opens it (for a PulseAudio device: PortAudio's "pulse")
    name: str
    inputs: int
    outputs: int
    default_rate_hz: int
    is_default_input: bool
    is_default_output: bool
    pulse_name: str | None = None  # a PulseAudio/PipeWire source or sink, reached through PortAudio's "pulse"


def list_devices() -> list[Device]:
    """PortAudio's devices, then the PulseAudio/PipeWire sources and sinks (ALSA shows only "pulse")."""
    try:
        import sounddevice as sd
    except OSError as err:  # PortAudio itself is missing
        raise AudioError(
            f"audio is unavailable: PortAudio could not be loaded ({err})", code="audio-no-portaudio"
        ) from err
    default_in, default_out = sd.default.device
    found = [
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
    via = next((d for d in found if d.name == "pulse"), None)
    return found + (pulse_devices(via) if via is not None else [])


def pulse_devices(via: Device) -> list[Device]:
    """The sound server's own sources and sinks, each opened through PortAudio's `via` device."""
    from nargis_desktop.audio.pulse import list_pulse_devices

    return [
        Device(
            via.index,
            f"{p.description} ({p.name})" if p.description and p.description != p.name else p.name,
            via.inputs if p.is_source else 0,
            0 if p.is_source else via.outputs,
            p.rate_hz or via.default_rate_hz,
            p.is_default,
            p.is_default and not p.is_source,
            pulse_name=p.name,
        )
        for p in list_pulse_devices()
    ]


def _pick(kind: str, wanted: int | str | None) -> Device:
    everything = list_devices()
    devices = [d for d in everything if (d.inputs if kind == "input" else d.outputs) > 0]
    if not devices:
        raise AudioError(
            f"no audio {kind} device found (looked through {len(everything)} devices; `nargis devices` lists them)",
            code=f"audio-no-{kind}",
        )
    if wanted is None:
        default = [
            d
            for d in devices
            if d.pulse_name is None and (d.is_default_input if kind == "input" else d.is_default_output)
        ]
        return default[0] if default else devices[0]
    if isinstance(wanted, int):
        matches = [d for d in devices if d.index == wanted and d.pulse_name is None]
    else:
        needle = wanted.lower()
        exact = [d for d in devices if needle in (d.name.lower(), (d.pulse_name or "").lower())]
        matches = exact or [d for d in devices if needle in d.name.lower()]
    if matches:
        return matches[0]
    names = ", ".join(repr(d.pulse_name or d.name) for d in devices)
    raise AudioError(f"no audio {kind} device matches {wanted!r}; there are: {names}", code=f"audio-no-{kind}")


@contextmanager
def _routed_to(variable: str, device: Device) -> Iterator[None]:
    """A PulseAudio device is opened as PortAudio's "pulse" with the server told which one to use."""
    if device.pulse_name is None:
        yield
        return
    before = os.environ.get(variable)
    os.environ[variable] = device.pulse_name
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = before


class SoundDeviceMicrophone:
    """Captures at the device's own rate; frames are resampled to 16 kHz mono off the audio thread."""

    sample_rate_hz = SPEECH_RATE_HZ

    def __init__(self, device: int | str | None = None, max_buffered_frames: int = 500) -> None:
        self.device = _pick("input", device)
        self._raw: queue.Queue[Any] = queue.Queue(maxsize=max_buffered_frames)  # 10 s: bounded, never grows
        self.dropped_frames = 0
        self._stream: Any = None
        self._worker: threading.Thread | None = None
        self._stopping = False

    def start(self, on_frames: FramesCallback, on_end: EndCallback | None = None) -> None:
        import sounddevice as sd

        rate = self.device.default_rate_hz
        converter = StreamConverter(rate)
        self._stopping = False

        def callback(indata: Any, _frames: int, _time: Any, status: Any) -> None:
            try:
                self._raw.put_nowait(indata.copy())
            except queue.Full:
                self.dropped_frames += 1

        def finished() -> None:
            if not self._stopping and on_end is not None:  # the device went away under the stream
                on_end(AudioError(f"the microphone {self.device.name!r} stopped", code="audio-device-lost"))

        def convert() -> None:
            while (block := self._raw.get()) is not None:
                pcm16 = converter.convert(block)
                if pcm16:
                    on_frames(pcm16)

        try:
            with _routed_to("PULSE_SOURCE", self.device):
                self._stream = sd.InputStream(
                    device=self.device.index,
                    samplerate=rate,
                    channels=1,
                    dtype="int16",
                    blocksize=rate * FRAME_MS // 1000,
                    callback=callback,
                    finished_callback=finished,
                )
                self._stream.start()
        except Exception as err:  # PortAudioError: busy, unplugged, bad rate
            raise AudioError(
                f"cannot open the microphone {self.device.name!r}: {err}", code="audio-mic-failed"
            ) from err
        self._worker = threading.Thread(target=convert, name="mic-convert", daemon=True)
        self._worker.start()

    def stop(self) -> None:
        self._stopping = True
        if self._stream is not None:
            try:
                # abort, not stop: stop() waits for PortAudio to drain ~20 ms of input nobody needs
                self._stream.abort()
                self._stream.close()
            except Exception:  # a device already gone cannot be stopped; it is closed all the same
                _LOGGER.warning("could not stop the microphone cleanly", exc_info=True)
            self._stream = None
        if self._worker is not None:
            self._raw.put(None)
            self._worker.join()
            self._worker = None


class SoundDeviceSpeaker:
    realtime = True  # a write returns once the device has room: at the pace of playback

    def __init__(self, device: int | str | None = None) -> None:
        self.device = _pick("output", device)
        self._stream: Any = None

    def open(self, sample_rate_hz: int) -> None:
        import sounddevice as sd

        try:
            with _routed_to("PULSE_SINK", self.device):
                self._stream = sd.RawOutputStream(
                    device=self.device.index,
                    samplerate=sample_rate_hz,
                    channels=1,
                    dtype="int16",
                    blocksize=sample_rate_hz * FRAME_MS // 1000,
                    latency="low",  # the player feeds it without gaps, so a short buffer is safe
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
        """Drop what the device still holds; only ever called from the player's thread."""
        if self._stream is not None and self._stream.active:
            self._stream.abort()

    def close(self) -> None:
        """Let what the device still holds play out (an earcon is heard whole), then close."""
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                if stream.active:
                    stream.stop()
            finally:
                stream.close()
