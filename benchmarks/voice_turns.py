"""Latency of whole voice turns on synthesized commands, per stage.

Each command is spoken by the bundled Piper voice, fed at real-time pace as the microphone, and
answered through the real pipeline into a WAV sink, with Silero's speech check as the app has it.
"Release" is the end of the audio, which holds 0.1–0.25 s of quiet after the last word (Piper's
own): whisper starts decoding a command once it has been quiet for 0.12 s with the key still held
(models/engines/early_guess.py), so part of the decode happens before the release. The
same turns also run through a naive sequential pipeline (transcribe after release, act, synthesize
the whole reply, then play) for comparison.

The only Vosk model that installs here is Korean, so the Vosk turns hear the same commands said in
Korean by espeak-ng, and the assistant is handed the English command the Korean one says: the
recognition is real streaming speech, the answer is the same as in the whisper turns.
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
from nargis_desktop.assistant.calls import Turn
from nargis_desktop.assistant.voice import VoiceEvent, VoicePipeline, stage_timings
from nargis_desktop.audio.pcm import to_pcm16
from nargis_desktop.audio.player import SpeechPlayer
from nargis_desktop.audio.vad import SileroVoiceActivity
from nargis_desktop.audio.wav_io import WavFileSource, WavSink
from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import ModelError
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
# The same commands in Korean, for the Korean Vosk model (spoken by espeak-ng).
KOREAN_COMMANDS = [
    "내일 다섯 시에 엄마에게 전화하라고 알려줘",
    "내 목록에 계란 사기를 추가해줘",
    "오늘 내 목록에 뭐가 있어",
    "이십 분 후에 스트레칭하라고 알려줘",
    "내일 배관공에게 전화하기를 추가해줘",
    "내 알림에 뭐가 있어",
    "오늘 밤에 화분에 물 주라고 알려줘",
    "미용실 예약하기를 할 일에 추가해줘",
    "금요일에 월세 내라고 알려줘",
    "다음 주에 자동차 보험 갱신하기를 추가해줘",
    "이번 주에 뭘 해야 해",
    "정오에 사라에게 문자하라고 알려줘",
    "세탁소에서 옷 찾아오기를 추가해줘",
    "삼십 분 후에 오븐 확인하라고 알려줘",
    "프린터 잉크 주문하기를 추가해줘",
]
_VOICE_ACTIVITY = SileroVoiceActivity()
SPEECH_LEVEL = 500  # of 32767: the first louder sample is where speech starts
THREE_SENTENCES = "Your {habit} streak is five days. That is your best this month. Keep it going tomorrow!"
# A habit per run, so no run hears pieces the voice already made (it keeps short ones).
HABITS = ("meditation", "running", "reading", "journaling", "stretching", "guitar", "flossing")


def speak(tts: TextToSpeech, text: str) -> bytes:
    import numpy as np

    chunks = list(tts.synthesize(text))
    return to_pcm16(np.frombuffer(b"".join(c.pcm16 for c in chunks), dtype="<i2"), chunks[0].sample_rate_hz)


def speak_korean(text: str) -> bytes | None:
    """16 kHz speech from espeak-ng, or None where it is not installed."""
    import shutil
    import subprocess

    from nargis_desktop.audio.pcm import read_speech

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "ko.wav"
        subprocess.run([espeak, "-v", "ko", "-w", str(wav), text], check=True)
        return read_speech(wav)


def speech_offset_ns(pcm16: bytes) -> int:
    """How far into the audio the speech starts."""
    import numpy as np

    loud = np.flatnonzero(np.abs(np.frombuffer(pcm16, dtype="<i2")) > SPEECH_LEVEL)
    return int(loud[0]) * 1_000_000_000 // 16_000 if loud.size else 0


def quiet_after_speech_ms(pcm16: bytes) -> float:
    """How long the audio goes on after its last louder sample (the release comes that much later)."""
    import numpy as np

    loud = np.flatnonzero(np.abs(np.frombuffer(pcm16, dtype="<i2")) > SPEECH_LEVEL)
    return (len(pcm16) // 2 - int(loud[-1])) * 1000 / 16_000 if loud.size else 0.0


def _ms(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else float("nan")


def pipeline_turns(
    stt: SpeechToText, tts: TextToSpeech, assistant: Assistant, audio: list[bytes], said: list[str] | None = None
) -> dict[str, float]:
    """`said[i]`, when given, is what the assistant is handed for turn i instead of the transcript."""
    first_audio, partial_after_onset, transcript_after_release, after_last_word = [], [], [], []
    for turn, pcm in enumerate(audio):
        source = WavFileSource(pcm16=pcm, realtime=True)
        events: list[VoiceEvent] = []
        command = said[turn] if said else None

        def act(heard: str, command: str | None = command) -> Turn:
            return assistant.handle(command or heard, bench_now())

        # As the app builds it: Silero checks each turn for speech before it is acted on.
        pipeline = VoicePipeline(source, stt, act, tts, WavSink(), voice_activity=_VOICE_ACTIVITY)
        pipeline.subscribe(events.append)
        pipeline.press()
        pipeline.wait(60)
        onset = source.onset_ns + speech_offset_ns(pcm) if source.onset_ns else None
        spans = stage_timings(events, onset)
        if "first_audio_after_release_ms" in spans:
            first_audio.append(spans["first_audio_after_release_ms"])
            after_last_word.append(spans["first_audio_after_release_ms"] + quiet_after_speech_ms(pcm))
        if "transcript_after_release_ms" in spans:
            transcript_after_release.append(spans["transcript_after_release_ms"])
        if "first_partial_after_onset_ms" in spans:
            partial_after_onset.append(spans["first_partial_after_onset_ms"])
    return {
        "release_to_first_audio_p50_ms": _ms(first_audio),
        "last_word_to_first_audio_p50_ms": _ms(after_last_word),
        "release_to_transcript_p50_ms": _ms(transcript_after_release),
        "first_partial_after_speech_onset_p50_ms": _ms(partial_after_onset),
    }


def naive_turns(
    stt: SpeechToText, tts: TextToSpeech, assistant: Assistant, audio: list[bytes], said: list[str] | None = None
) -> float:
    """Transcribe after release, act, synthesize the whole reply, then start playing."""
    timings = []
    for turn, pcm in enumerate(audio):
        started = time.perf_counter()
        text = stt.transcribe(pcm).text
        reply = assistant.handle((said[turn] if said else text) or "hello", bench_now()).reply
        list(tts.synthesize(reply))
        timings.append((time.perf_counter() - started) * 1000)
    return _ms(timings)


def first_audio_for_three_sentences(tts: TextToSpeech, runs: int = 7) -> float:
    timings = []
    for habit in HABITS[:runs]:
        sink = WavSink()
        player = SpeechPlayer(tts, sink)
        heard = threading.Event()
        started = time.perf_counter()
        player.say(THREE_SENTENCES.format(habit=habit), on_start=heard.set)
        heard.wait(30)
        timings.append((time.perf_counter() - started) * 1000)
        player.wait(30)
    return _ms(timings)


def barge_in_stop(tts: TextToSpeech, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        player = SpeechPlayer(tts, WavSink(realtime=True))
        heard = threading.Event()
        player.say(THREE_SENTENCES.format(habit="reading") * 2, on_start=heard.set)
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


def fresh_voice(paths: ProfilePaths) -> TextToSpeech:
    tts = text_to_speech(paths)
    tts.load()
    return tts


def bench_now() -> Any:
    from datetime import datetime

    return datetime(2026, 11, 25, 9, 30)


def pipeline_memory_mb(paths: ProfilePaths, engine: str) -> float:
    """Resident memory of a process holding one STT engine, the LLM and the voice, all loaded."""
    from nargis_desktop.app import language_model_loader, speech_to_text, text_to_speech

    for loaded in (speech_to_text(paths, engine), text_to_speech(paths), language_model_loader(paths)()):
        if loaded is not None:
            loaded.load()
    return resident_memory_mb()


def _memory_in_own_process(paths: ProfilePaths, engine: str) -> float:
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return float(pool.apply(pipeline_memory_mb, (paths, engine)))


def run(paths: ProfilePaths, engines: tuple[str, ...] = ("whisper", "vosk"), turns: int = 15) -> dict[str, Any]:
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    results: dict[str, Any] = {"turns": min(turns, len(COMMANDS))}
    tts = fresh_voice(paths)
    audio = [speak(tts, text) for text in COMMANDS[:turns]]
    llm = language_model_loader(paths)
    with tempfile.TemporaryDirectory() as folder:

        def assistant() -> Assistant:
            """Each run starts from the same empty data, so every run gets the same replies."""
            store = Store.open(Path(folder) / f"{secrets.token_hex(4)}.db", secrets.token_bytes(32))
            return Assistant(PersonalData(store), llm)

        measured = []
        for engine in engines:
            try:
                stt = speech_to_text(paths, engine)
            except ModelError as err:  # Vosk speaks English only after `nargis models pull vosk-small-en`
                results[engine] = f"not measured: {err.message}"
                continue
            measured.append(engine)
            stt.load()
            heard, said = audio, None
            if engine == "vosk" and "en" not in stt.capabilities.languages:
                korean = [speak_korean(text) for text in KOREAN_COMMANDS[:turns]]
                if any(k is None for k in korean):
                    results[engine] = "not measured: espeak-ng speaks the Korean commands (scripts/setup installs it)"
                    continue
                heard, said = [k for k in korean if k is not None], COMMANDS[:turns]
                results[f"{engine}_speech"] = "Korean commands (espeak-ng); the assistant is handed the English"
            stt.transcribe(heard[0])  # warm up: first calls allocate
            # A fresh voice for each run: none may hear pieces of the same replies kept by the one before.
            results[engine] = pipeline_turns(stt, fresh_voice(paths), assistant(), heard, said)
            naive = naive_turns(stt, fresh_voice(paths), assistant(), heard, said)
            results[f"naive_sequential_{engine}_first_audio_p50_ms"] = naive
        results["piper_first_audio_three_sentences_ms"] = first_audio_for_three_sentences(fresh_voice(paths))
        results["barge_in_stop_p50_ms"] = barge_in_stop(tts)
    for engine in measured:
        results[f"resident_memory_{engine}_llm_piper_mb"] = _memory_in_own_process(paths, engine)
    return results
