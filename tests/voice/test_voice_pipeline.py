"""The voice pipeline with real engines: Piper speaks, whisper (or Vosk) hears, the assistant acts,
Piper answers. A WAV file stands in for the microphone and a WAV sink for the speaker."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

from nargis_desktop.assistant.voice import (
    DID_NOT_CATCH,
    ERROR,
    FINAL_TRANSCRIPT,
    LISTENING_STOPPED,
    PARTIAL_TRANSCRIPT,
    VoiceEvent,
    VoicePipeline,
)
from nargis_desktop.audio.pcm import read_speech, rms, to_pcm16
from nargis_desktop.audio.player import SpeechPlayer
from nargis_desktop.audio.wav_io import WavFileSource, WavSink
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech
from tests.assistant.harness import NOW, build_base, diff, export, open_session

COMMANDS = [
    ("Remind me to call mom tomorrow at five.", "reminders"),
    ("Add buy eggs to my list.", "tasks"),
    ("I meditated today.", "checkins"),
    ("Remind me to stretch in twenty minutes.", "reminders"),
    ("New journal entry: the walk by the river was lovely.", "journal"),
    ("Mark buy milk as done.", "tasks"),
    ("Add call the plumber tomorrow.", "tasks"),
    ("I went running yesterday.", "checkins"),
    ("Remind me to water the plants every Monday at eight a.m.", "reminders"),
    ("Create a habit called journaling.", "habits"),
    ("Move call the bank to Friday.", "tasks"),
    ("Remind me to take out the recycling tonight.", "reminders"),
    ("I read today.", "checkins"),
    ("Add a task to book a haircut.", "tasks"),
    ("Journal: I felt calm and rested.", "journal"),
    ("Remind me to pay the gas bill on December third.", "reminders"),
    ("Check off my floss habit.", "checkins"),
    ("Add renew the car insurance next week.", "tasks"),
    ("Remind me to check the oven in half an hour.", "reminders"),
    ("Start a new habit to practice guitar three times a week.", "habits"),
]


def speak(piper: TextToSpeech, text: str) -> bytes:
    chunks = list(piper.synthesize(text))
    return to_pcm16(np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2"), chunks[0].sample_rate_hz)


def test_twenty_spoken_commands_change_the_data_and_get_a_spoken_reply(
    tmp_path: Path, piper: TextToSpeech, whisper: SpeechToText
) -> None:
    key = secrets.token_bytes(32)
    build_base(tmp_path / "base.db", key)
    session = open_session(tmp_path / "base.db", tmp_path, key, None)
    changed_right, missed = 0, []
    for text, kind in COMMANDS:
        source = WavFileSource(pcm16=speak(piper, text), realtime=False)
        sink = WavSink()
        pipeline = VoicePipeline(source, whisper, lambda said: session.assistant.handle(said, NOW), piper, sink)
        before = export(session.store)
        pipeline.on_source_end = lambda: None
        pipeline.press()
        assert pipeline.wait(60)
        effect = diff(before, export(session.store))
        changed_right += bool(effect.added[kind] or effect.changed[kind])
        if not (effect.added[kind] or effect.changed[kind]):
            missed.append((text, pipeline.last_transcript))
        reply_seconds = len(sink.frames) / 2 / sink.sample_rate_hz
        assert 0.5 < reply_seconds < 15, (text, pipeline.last_transcript)
        assert rms(bytes(sink.frames)) > 300
    session.store.close()
    assert changed_right >= 19, f"only {changed_right} of {len(COMMANDS)} spoken commands had their effect: {missed}"


def test_vosk_streams_partials_before_the_speech_ends(
    tmp_path: Path, vosk_korean: SpeechToText, piper: TextToSpeech
) -> None:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
    wav = tmp_path / "ko.wav"
    subprocess.run(
        [espeak, "-v", "ko", "-w", str(wav), "안녕하세요 오늘 날씨가 정말 좋네요 내일 엄마에게 전화해야 해요"],
        check=True,
    )
    source = WavFileSource(wav, realtime=True)
    events: list[VoiceEvent] = []
    pipeline = VoicePipeline(source, vosk_korean, _no_turn, piper, WavSink())
    pipeline.subscribe(events.append)
    pipeline.press()
    assert pipeline.wait(60)
    kinds = [e.kind for e in events]
    assert PARTIAL_TRANSCRIPT in kinds
    first_partial = next(e.at_ns for e in events if e.kind == PARTIAL_TRANSCRIPT)
    audio_end = next(e.at_ns for e in events if e.kind == LISTENING_STOPPED)
    assert first_partial < audio_end
    final = next(e for e in events if e.kind == FINAL_TRANSCRIPT)
    assert final.data["text"].strip()


def _no_turn(_text: str) -> object:
    from nargis_desktop.assistant.calls import Turn

    return Turn(input=_text, actions=[], reply="네.", path="none")


def test_a_press_while_speaking_stops_the_real_voice_mid_reply(piper: TextToSpeech) -> None:
    """How fast it stops is a figure (benchmarks/voice_turns.py, barge_in_stop), not a timed test:
    here, that the real voice is cut off, and far less than the whole reply was played."""
    sink = WavSink(realtime=True)  # takes as long to play as to hear, like a device
    player = SpeechPlayer(piper, sink)
    speaking = threading.Event()
    player.say("This is a long answer. " * 6, on_start=speaking.set)
    assert speaking.wait(30)
    threading.Event().wait(0.3)  # let it talk for a moment (scenario time, not synchronisation)
    player.stop()
    assert sink.aborted_ns is not None and sink.last_write_ns is not None
    heard = len(sink.frames) / 2 / sink.sample_rate_hz
    whole = sum(len(c.pcm16) for c in piper.synthesize("This is a long answer. " * 6)) / 2 / sink.sample_rate_hz
    assert heard < whole / 2


def test_silence_gets_a_gentle_reply_and_no_action(tmp_path: Path, piper: TextToSpeech, whisper: SpeechToText) -> None:
    turns: list[str] = []
    source = WavFileSource(pcm16=bytes(16000 * 2 * 2), realtime=False)
    events: list[VoiceEvent] = []
    pipeline = VoicePipeline(source, whisper, lambda text: turns.append(text) or _no_turn(text), piper, WavSink())
    pipeline.subscribe(events.append)
    pipeline.press()
    assert pipeline.wait(60)
    assert turns == []
    assert [e.data["text"] for e in events if e.kind == "reply_text"] == [DID_NOT_CATCH]


class FailingMicrophone(WavFileSource):
    """A microphone that is unplugged half-way (no real device can be unplugged here)."""

    def _run(self, on_frames, on_end):  # type: ignore[no-untyped-def]
        half = len(self.pcm16) // 2
        for offset in range(0, half, 640):
            on_frames(self.pcm16[offset : offset + 640])
        if on_end is not None:
            on_end(OSError("device unplugged"))


def test_a_lost_device_reports_an_error_and_keeps_what_was_heard(piper: TextToSpeech, whisper: SpeechToText) -> None:
    source = FailingMicrophone(pcm16=speak(piper, "Remind me to call mom tomorrow at five."), realtime=False)
    events: list[VoiceEvent] = []
    heard: list[str] = []
    pipeline = VoicePipeline(source, whisper, lambda t: heard.append(t) or _no_turn(t), piper, WavSink())
    pipeline.subscribe(events.append)
    pipeline.press()
    assert pipeline.wait(60)
    errors = [e for e in events if e.kind == ERROR]
    assert errors and errors[0].data["code"] == "audio-device-lost"
    assert heard and "remind" in heard[0].lower()  # the first half still counts
    pipeline.press()  # the next press works
    assert pipeline.wait(60)


@pytest.mark.parametrize(
    ("rate", "channels", "subtype"),
    [(8000, 1, "PCM_U8"), (44100, 2, "PCM_24"), (48000, 1, "PCM_32"), (22050, 2, "PCM_16")],
)
def test_any_wav_is_converted_to_16k_mono(tmp_path: Path, rate: int, channels: int, subtype: str) -> None:
    import soundfile

    seconds = 1.5
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(int(rate * seconds)) / rate)
    data = np.stack([tone] * channels, axis=1) if channels == 2 else tone
    soundfile.write(str(tmp_path / "t.wav"), data, rate, subtype=subtype)
    pcm = read_speech(tmp_path / "t.wav")
    assert abs(len(pcm) / 2 / 16000 - seconds) < 0.01 and rms(pcm) > 5000


def test_a_file_that_is_not_audio_is_refused(tmp_path: Path) -> None:
    from nargis_desktop.audio.pcm import AudioError

    (tmp_path / "notes.wav").write_text("not audio at all")
    with pytest.raises(AudioError, match="not an audio file"):
        read_speech(tmp_path / "notes.wav")


def test_hands_free_mode_ends_the_turn_on_the_pause_even_with_faint_room_noise(
    piper: TextToSpeech, whisper: SpeechToText
) -> None:
    from nargis_desktop.audio.vad import EndOfSpeech, SileroVoiceActivity

    speech = speak(piper, "Remind me to call mom tomorrow at five.")
    noise = np.random.default_rng(3).normal(0, 60, 16000 * 4).astype("<i2")  # a quiet room, ~-55 dBFS
    pause = noise[: 16000 * 3].tobytes()  # 3 s: the turn must end well before the file does
    mixed = (np.frombuffer(speech, dtype="<i2").astype(np.int32) + noise[: len(speech) // 2]).clip(-32768, 32767)
    source = WavFileSource(pcm16=mixed.astype("<i2").tobytes() + pause, realtime=True)
    events: list[VoiceEvent] = []
    vad = SileroVoiceActivity()
    pipeline = VoicePipeline(
        source, whisper, _no_turn, piper, WavSink(), hands_free=EndOfSpeech(vad, silence_ms=700), voice_activity=vad
    )
    pipeline.subscribe(events.append)
    pipeline.press()
    assert pipeline.wait(60)
    stopped = next(e.at_ns for e in events if e.kind == LISTENING_STOPPED)
    assert source.onset_ns is not None
    seconds = (stopped - source.onset_ns) / 1e9
    speech_seconds = len(speech) / 32000
    assert speech_seconds < seconds < speech_seconds + 1.5
    assert "mom" in next(e.data["text"] for e in events if e.kind == FINAL_TRANSCRIPT).lower()
