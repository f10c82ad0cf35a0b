"""`nargis voice` as a person uses it: in a terminal, through a real (virtual) microphone and
speaker on PulseAudio, with speech from two voices — Piper and espeak-ng — said into the
microphone at real-time pace. Effects are checked in the exported data; the reply is recorded
from the speaker and transcribed back."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pytest

from nargis_desktop.audio.pcm import read_speech
from nargis_desktop.audio.vad import SileroVoiceActivity, speech_ms
from nargis_desktop.models.engines.base import SpeechToText, TextToSpeech
from tests.helpers.virtual_audio import MIC, SPEAKER, VirtualAudio
from tests.moments import NOW_TEXT as NOW
from tests.voice.live import NARGIS, Terminal, changed, espeak_wav, exported, nargis, noise_wav, piper_wav

pytestmark = pytest.mark.slow

COMMANDS = [  # (voice, what is said, the kind of item it must add or change)
    ("piper", "Add buy eggs to my list.", "tasks"),
    ("espeak", "Add call the plumber tomorrow.", "tasks"),
    ("piper", "Remind me to call mom tomorrow at five p.m.", "reminders"),
    ("espeak", "I meditated today.", "checkins"),
    ("piper", "New journal entry: the walk by the river was lovely.", "journal"),
    ("espeak", "Create a habit called journaling.", "habits"),
    ("piper", "Mark buy milk as done.", "tasks"),
    ("espeak", "Add a task to book a haircut.", "tasks"),
    ("piper", "Remind me to stretch in twenty minutes.", "reminders"),
    ("espeak", "New journal entry: I felt calm and rested.", "journal"),
    ("piper", "I read today.", "checkins"),
    ("espeak", "Add renew the car insurance next week.", "tasks"),
]


@pytest.fixture(scope="module")
def voice(audio: VirtualAudio, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Terminal, dict[str, str]]]:
    home = tmp_path_factory.mktemp("nargis-home")
    env = {k: v for k, v in audio.env.items() if not k.startswith("NARGIS_")}
    env.update(NARGIS_HOME=str(home), NARGIS_PASSPHRASE="live voice test")
    for args in (["habit", "add", "Meditate"], ["habit", "add", "Read"], ["task", "add", "Buy milk"]):
        assert nargis(env, *args, "--now", NOW).returncode == 0
    terminal = Terminal(
        [NARGIS, "voice", "--engine", "whisper", "--device", MIC, "--speaker", SPEAKER, "--now", NOW], env
    )
    terminal.expect(r"^Ready:", timeout=120)
    yield terminal, env
    assert terminal.close() == 0


def _turn(terminal: Terminal, audio: VirtualAudio, wav: Path) -> str:
    """Tap to talk, say the recording, tap to stop; the reply's text once it has been spoken."""
    terminal.key(b"\n")
    terminal.expect(r"^Listening")
    audio.speak(wav)
    terminal.key(b"\n")
    reply = terminal.expect(r"Nargis: |problem:")
    terminal.expect(r"^Ready\.$")
    return reply


def test_spoken_commands_from_two_voices_change_the_data(
    voice: tuple[Terminal, dict[str, str]], audio: VirtualAudio, piper: TextToSpeech, tmp_path: Path
) -> None:
    terminal, env = voice
    missed = []
    for index, (speaker, text, kind) in enumerate(COMMANDS):
        wav = tmp_path / f"{index}.wav"
        piper_wav(piper, text, wav) if speaker == "piper" else espeak_wav(text, wav)
        before = exported(env)
        reply = _turn(terminal, audio, wav)
        effect = changed(before, exported(env))
        heard = next((line for line in reversed(terminal.seen) if "you said:" in line), "")
        if effect != {kind}:
            missed.append((speaker, text, heard, reply, sorted(effect)))
    # Never a wrong write: a misheard command may be asked about (nothing written), never misfiled.
    assert all(not effect for *_said, effect in missed), missed
    assert len(COMMANDS) - len(missed) >= 10, f"{len(missed)} of {len(COMMANDS)} spoken commands went wrong: {missed}"


def test_the_whole_reply_reaches_the_speaker(
    voice: tuple[Terminal, dict[str, str]],
    audio: VirtualAudio,
    piper: TextToSpeech,
    whisper: SpeechToText,
    tmp_path: Path,
) -> None:
    terminal, _env = voice
    wav = piper_wav(piper, "Add water the ferns to my list.", tmp_path / "ferns.wav")
    terminal.key(b"\n")
    terminal.expect(r"^Listening")
    audio.speak(wav)
    with audio.recording(tmp_path / "speaker.wav") as recorded:
        terminal.key(b"\n")
        reply = terminal.expect(r"Nargis: ").split("Nargis: ", 1)[1]
        terminal.expect(r"^Ready\.$")
    pcm = read_speech(recorded)
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768
    assert samples.size and np.mean(np.abs(samples) > 0.99) < 0.001, "the reply is clipped"  # Piper peaks at 1.0
    heard = whisper.transcribe(pcm).text
    words = lambda text: " ".join(re.findall(r"[a-z']+", text.lower()))  # noqa: E731
    assert SequenceMatcher(None, words(reply), words(heard)).ratio() > 0.75, (reply, heard)
    # Whole: as much speech reached the speaker as the reply holds (the earcon before it aside).
    vad = SileroVoiceActivity()
    reply_speech_ms = speech_ms(vad.probabilities(read_speech(piper_wav(piper, reply, tmp_path / "reply.wav"))))
    assert abs(speech_ms(vad.probabilities(pcm)) - reply_speech_ms) < 0.25 * reply_speech_ms


def test_an_empty_tap_and_a_noise_write_nothing(
    voice: tuple[Terminal, dict[str, str]], audio: VirtualAudio, tmp_path: Path
) -> None:
    terminal, env = voice
    before = exported(env)
    terminal.key(b"\n")
    terminal.expect(r"^Listening")
    terminal.key(b"\n")
    terminal.expect(r"no speech heard")
    terminal.expect(r"^Ready\.$")
    _turn(terminal, audio, noise_wav(tmp_path / "noise.wav"))
    assert changed(before, exported(env)) == set()


def test_a_key_held_for_ten_seconds_with_auto_repeat_is_one_turn(
    voice: tuple[Terminal, dict[str, str]], audio: VirtualAudio, piper: TextToSpeech, tmp_path: Path
) -> None:
    terminal, env = voice
    wav = piper_wav(piper, "Add buy new socks to my list.", tmp_path / "socks.wav")
    before = exported(env)
    count_before = sum("you said:" in line for line in terminal.seen)
    terminal.key(b"\n")  # the key goes down: one character, then the terminal repeats it
    terminal.expect(r"^Listening")
    speaking = threading.Thread(target=audio.speak, args=(wav,))
    speaking.start()
    held_until = time.monotonic() + 10
    time.sleep(0.5)  # the keyboard's repeat delay (scenario time, not synchronisation)
    while time.monotonic() < held_until:
        terminal.key(b"\n")  # auto-repeat: one every 30 ms while held
        time.sleep(0.03)
    speaking.join()
    terminal.expect(r"Nargis: ")
    terminal.expect(r"^Ready\.$")
    assert sum("you said:" in line for line in terminal.seen) - count_before == 1
    after = exported(env)
    assert changed(before, after) == {"tasks"}, terminal.seen[-12:]
    assert len(after["tasks"]) == len(before["tasks"]) + 1


def test_hands_free_ends_the_turn_when_the_person_stops_speaking(
    audio: VirtualAudio, piper: TextToSpeech, tmp_path: Path
) -> None:
    env = {k: v for k, v in audio.env.items() if not k.startswith("NARGIS_")}
    env.update(NARGIS_HOME=str(tmp_path / "home"), NARGIS_PASSPHRASE="hands free test")
    wav = piper_wav(piper, "Add buy lemons to my list.", tmp_path / "lemons.wav")
    terminal = Terminal(
        [NARGIS, "voice", "--hands-free", "--engine", "whisper", "--device", MIC, "--speaker", SPEAKER, "--now", NOW],
        env,
    )
    try:
        terminal.expect(r"^Ready:", timeout=120)
        before = exported(env)
        terminal.key(b"\n")  # one key to start; no second key: the pause after the speech ends it
        terminal.expect(r"^Listening")
        audio.speak(wav)
        terminal.expect(r"Nargis: ", timeout=30)
        terminal.expect(r"^Ready\.$")
        assert changed(before, exported(env)) == {"tasks"}
    finally:
        assert terminal.close() == 0
