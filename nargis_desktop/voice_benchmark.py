"""`nargis bench voice`: latency of whole voice turns on synthesized commands, per stage.

Each command is spoken by the bundled Piper voice, fed at real-time pace as the microphone, and
answered through the real pipeline into a WAV sink. "Release" is the end of the utterance. The
same turns also run through a naive sequential pipeline (transcribe after release, act, synthesize
the whole reply, then play) for comparison.
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from nargis_desktop.app import language_model_loader, speech_to_text, text_to_speech
from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.assistant.voice import (
    LISTENING_STOPPED,
    PARTIAL_TRANSCRIPT,
    SPEAKING_STARTED,
    VoiceEvent,
    VoicePipeline,
)
from nargis_desktop.audio.pcm import to_pcm16
from nargis_desktop.audio.player import SpeechPlayer
from nargis_desktop.audio.wav_io import WavFileSource, WavSink
from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store

COMMANDS = [
    "Remind me to call mom tomorrow at five.",
    "Add buy eggs to my list.",
    "What's on my list today?",
    "Remind me to stretch in twenty minutes.",
    "Add call the plumber tomorrow.",
    "What reminders do I have?",
    "Remind me to water the plants tonight.",
    "Add a task to book a haircut.",
    "Remind me to pay rent on Friday.",
    "Add renew the car insurance next week.",
    "What do I need to do this week?",
    "Remind me to text Sara at noon.",
    "Add pick up the dry cleaning.",
    "Remind me to check the oven in half an hour.",
    "Add order printer ink.",
]
THREE_SENTENCES = "Your meditation streak is five days. That is your best this month. Keep it going tomorrow!"


def speak(tts: TextToSpeech, text: str) -> bytes:
    import numpy as np

    chunks = list(tts.synthesize(text))
    return to_pcm16(np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2"), chunks[0].sample_rate_hz)


def _ms(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else float("nan")


def pipeline_turns(stt: SpeechToText, tts: TextToSpeech, assistant: Assistant, audio: list[bytes]) -> dict[str, float]:
    first_audio, partial_after_onset, transcript_after_release, audio_after_transcript = [], [], [], []
    for pcm in audio:
        source = WavFileSource(pcm16=pcm, realtime=True)
        events: list[VoiceEvent] = []
        pipeline = VoicePipeline(source, stt, lambda said: assistant.handle(said, bench_now()), tts, WavSink())
        pipeline.subscribe(events.append)
        pipeline.press()
        pipeline.wait(60)
        stamps: dict[str, int] = {}
        for event in events:
            stamps.setdefault(event.kind, event.at_ns)
        if SPEAKING_STARTED in stamps and LISTENING_STOPPED in stamps:
            first_audio.append((stamps[SPEAKING_STARTED] - stamps[LISTENING_STOPPED]) / 1e6)
        if "final_transcript" in stamps:
            transcript_after_release.append((stamps["final_transcript"] - stamps[LISTENING_STOPPED]) / 1e6)
            if SPEAKING_STARTED in stamps:
                audio_after_transcript.append((stamps[SPEAKING_STARTED] - stamps["final_transcript"]) / 1e6)
        if PARTIAL_TRANSCRIPT in stamps and source.onset_ns:
            partial_after_onset.append((stamps[PARTIAL_TRANSCRIPT] - source.onset_ns) / 1e6)
    return {
        "release_to_first_audio_p50_ms": _ms(first_audio),
        "release_to_transcript_p50_ms": _ms(transcript_after_release),
        "first_partial_after_speech_onset_p50_ms": _ms(partial_after_onset),
    }


def naive_turns(stt: SpeechToText, tts: TextToSpeech, assistant: Assistant, audio: list[bytes]) -> float:
    """Transcribe after release, act, synthesize the whole reply, then start playing."""
    timings = []
    for pcm in audio:
        started = time.perf_counter()
        text = stt.transcribe(pcm).text
        reply = assistant.handle(text or "hello", bench_now()).reply
        list(tts.synthesize(reply))
        timings.append((time.perf_counter() - started) * 1000)
    return _ms(timings)


def first_audio_for_three_sentences(tts: TextToSpeech, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        sink = WavSink()
        player = SpeechPlayer(tts, sink)
        heard = threading.Event()
        started = time.perf_counter()
        player.say(THREE_SENTENCES, on_start=heard.set)
        heard.wait(30)
        timings.append((time.perf_counter() - started) * 1000)
        player.wait(30)
    return _ms(timings)


def barge_in_stop(tts: TextToSpeech, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        player = SpeechPlayer(tts, WavSink(realtime=True))
        heard = threading.Event()
        player.say(THREE_SENTENCES * 2, on_start=heard.set)
        heard.wait(30)
        threading.Event().wait(0.2)  # mid-sentence
        timings.append(player.stop() * 1000)
    return _ms(timings)


def resident_memory_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def bench_now() -> Any:
    from datetime import datetime

    return datetime(2026, 11, 25, 9, 30)


def run(paths: ProfilePaths, engines: tuple[str, ...] = ("whisper", "vosk"), turns: int = 15) -> dict[str, Any]:
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    results: dict[str, Any] = {"turns": min(turns, len(COMMANDS))}
    tts = text_to_speech(paths)
    tts.load()
    audio = [speak(tts, text) for text in COMMANDS[:turns]]
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db", secrets.token_bytes(32))
        llm = language_model_loader(paths)
        assistant = Assistant(PersonalData(store), llm)
        for engine in engines:
            stt = speech_to_text(paths, engine)
            stt.load()
            stt.transcribe(audio[0])  # warm up: first calls allocate
            results[engine] = pipeline_turns(stt, tts, assistant, audio)
            if engine == "whisper":
                results["naive_sequential_whisper_first_audio_p50_ms"] = naive_turns(stt, tts, assistant, audio)
        results["piper_first_audio_three_sentences_ms"] = first_audio_for_three_sentences(tts)
        results["barge_in_stop_p50_ms"] = barge_in_stop(tts)
        model = llm()
        if model is not None:
            model.load()
        results["resident_memory_with_stt_llm_tts_mb"] = resident_memory_mb()
        store.close()
    return results
