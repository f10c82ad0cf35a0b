"""The first-run microphone page: pick a microphone, see its level, record a few seconds and hear
them played back. Works on the audio ports, so tests use a WAV-file microphone and a WAV sink."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWizardPage

from nargis_desktop.audio.pcm import SAMPLE_BYTES, SPEECH_RATE_HZ, rms
from nargis_desktop.audio.ports import FRAME_MS, Microphone, Speaker
from nargis_desktop.ui.background import run_in_background

RECORD_S = 3.0
LEVEL_FULL_SCALE = 10_000.0  # an RMS this loud fills the meter; normal speech sits around a third


@dataclass(frozen=True)
class AudioPorts:
    """The microphones to offer (name, device index) and how to open a microphone and a speaker."""

    devices: Sequence[tuple[str, int | None]]
    microphone: Callable[[int | None], Microphone]
    speaker: Callable[[], Speaker] = field(repr=False)


def system_audio() -> AudioPorts:
    """The real devices (none where PortAudio is missing: typing still works)."""
    from nargis_desktop.audio.devices import SoundDeviceMicrophone, SoundDeviceSpeaker, list_devices

    try:
        inputs = [(d.name, d.index) for d in list_devices() if d.inputs]
    except Exception:  # no PortAudio at all
        inputs = []
    return AudioPorts(inputs, SoundDeviceMicrophone, SoundDeviceSpeaker)


def play(speaker: Speaker, pcm16: bytes, sample_rate_hz: int = SPEECH_RATE_HZ) -> None:
    """Play a recording to the end, block by block (on a worker thread)."""
    step = sample_rate_hz * FRAME_MS // 1000 * SAMPLE_BYTES
    speaker.open(sample_rate_hz)
    try:
        for offset in range(0, len(pcm16), step):
            speaker.write(pcm16[offset : offset + step])
    finally:
        speaker.close()


class _Capture(QObject):
    """Frames arrive on the microphone's thread; the level and the end reach the page by queued signal."""

    level = Signal(float)
    ended = Signal()


class MicrophonePage(QWizardPage):
    def __init__(self, audio: AudioPorts | None = None) -> None:
        super().__init__()
        self.setTitle("Microphone")
        self.audio = audio or system_audio()
        layout = QVBoxLayout(self)
        self.devices = QComboBox()
        for name, index in self.audio.devices:
            self.devices.addItem(name, index)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        buttons = QHBoxLayout()
        self.record = QPushButton(f"Record {RECORD_S:.0f} seconds")
        self.record.clicked.connect(self.start_recording)
        self.play = QPushButton("Play it back")
        self.play.setEnabled(False)
        self.play.clicked.connect(self.play_back)
        buttons.addWidget(self.record)
        buttons.addWidget(self.play)
        buttons.addStretch(1)
        self.status = QLabel("Say a sentence: the bar moves with your voice, then listen to how you sound.")
        self.status.setWordWrap(True)
        for widget in (self.devices, self.meter):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.recording = bytearray()
        self.peak_level = 0.0
        self._lock = threading.Lock()
        self._microphone: Microphone | None = None
        self._capture = _Capture()
        self._capture.level.connect(self._show_level)
        self._capture.ended.connect(self.stop_recording)
        if not self.audio.devices:
            self.status.setText("No microphone found. You can still type to Nargis; plug one in later.")
            self.record.setEnabled(False)

    def start_recording(self) -> None:
        self.recording = bytearray()
        self.peak_level = 0.0
        wanted = int(RECORD_S * SPEECH_RATE_HZ) * SAMPLE_BYTES
        capture = self._capture

        def on_frames(pcm16: bytes) -> None:  # the microphone's thread
            with self._lock:
                if len(self.recording) >= wanted:
                    return
                self.recording += pcm16[: wanted - len(self.recording)]
                full = len(self.recording) >= wanted
            capture.level.emit(min(100.0, 100 * rms(pcm16) / LEVEL_FULL_SCALE))
            if full:
                capture.ended.emit()

        self._microphone = self.audio.microphone(self.devices.currentData())
        self._microphone.start(on_frames, lambda _error: capture.ended.emit())
        # A device that delivers nothing still ends the test.
        QTimer.singleShot(int(RECORD_S * 1000) + 1000, self.stop_recording)
        self.record.setEnabled(False)
        self.play.setEnabled(False)
        self.status.setText("Recording… speak now")

    def stop_recording(self) -> None:
        microphone, self._microphone = self._microphone, None
        if microphone is None:
            return
        threading.Thread(target=microphone.stop, name="microphone-stop", daemon=True).start()  # stop joins
        self.meter.setValue(0)
        self.record.setEnabled(True)
        with self._lock:
            seconds = len(self.recording) / SAMPLE_BYTES / SPEECH_RATE_HZ
        if not seconds:
            self.status.setText("Nothing was heard. Check that the microphone is plugged in and not muted.")
            return
        quiet = " It was very quiet: move closer or raise the input volume." if self.peak_level < 5 else ""
        self.status.setText(f"Recorded {seconds:.1f} s.{quiet} Press Play to hear it.")
        self.play.setEnabled(True)

    def play_back(self) -> None:
        with self._lock:
            pcm16 = bytes(self.recording)
        speaker = self.audio.speaker()
        self.play.setEnabled(False)
        self.status.setText("Playing…")
        run_in_background(lambda: play(speaker, pcm16), self._played, self._failed)

    def _played(self, _result: None) -> None:
        self.play.setEnabled(True)
        self.status.setText("That is how Nargis hears you.")

    def _failed(self, error: BaseException) -> None:
        self.play.setEnabled(True)
        self.status.setText(f"Could not play the recording: {error}")

    def _show_level(self, level: float) -> None:
        self.peak_level = max(self.peak_level, level)
        if self._microphone is not None:
            self.meter.setValue(int(level))
