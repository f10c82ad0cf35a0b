"""The pipeline's and the player's logic with fast fakes: presses and releases in order and
idempotent, barge-in while a reply is prepared or playing, one owner of the speaker, errors as
events. The real devices are driven in test_live_audio.py."""

from __future__ import annotations

import threading
import time

from nargis_desktop.assistant.voice import (
    ERROR,
    FINAL_TRANSCRIPT,
    LISTENING_STARTED,
    NO_SPEECH,
    REPLY_TEXT,
    SPEAKING_STARTED,
    TURN_CANCELLED,
    VoiceEvent,
    VoicePipeline,
)
from nargis_desktop.audio.player import SpeechPlayer
from nargis_desktop.audio.vad import EndOfSpeech
from tests.fakes import (
    EnergyVoiceActivity,
    FixedStt,
    ManualMicrophone,
    RecordingSpeaker,
    ToneTts,
    acting,
    tone,
)

EARCONS = (tone(120), tone(120))


def pipeline_with(
    stt: FixedStt | None = None,
    tts: ToneTts | None = None,
    act: object = None,
    earcons: bool = True,
    earcon_sounds: tuple[bytes, bytes] = EARCONS,
) -> tuple[VoicePipeline, ManualMicrophone, RecordingSpeaker, list[VoiceEvent]]:
    microphone, speaker = ManualMicrophone(), RecordingSpeaker()
    if act is None:
        _asked, act = acting()
    pipeline = VoicePipeline(
        microphone,
        stt or FixedStt(),
        act,  # type: ignore[arg-type]
        tts or ToneTts(),
        speaker,
        earcons=earcon_sounds if earcons else None,
        voice_activity=EnergyVoiceActivity(),
    )
    events: list[VoiceEvent] = []
    pipeline.subscribe(events.append)
    return pipeline, microphone, speaker, events


def kinds(events: list[VoiceEvent]) -> list[str]:
    return [e.kind for e in events]


def test_repeated_presses_while_held_and_repeated_releases_are_one_turn() -> None:
    asked, act = acting()
    pipeline, microphone, speaker, events = pipeline_with(act=act)
    for _ in range(30):  # a key's auto-repeat that reached the pipeline as presses
        pipeline.press()
    microphone.speak(tone(400))
    for _ in range(30):
        pipeline.release()
    assert pipeline.wait(30)
    assert asked == ["add buy milk"]
    assert kinds(events).count(LISTENING_STARTED) == 1
    assert speaker.threads == {"player"}


def test_a_press_while_listening_and_a_release_while_idle_do_nothing() -> None:
    asked, act = acting()
    pipeline, microphone, _speaker, events = pipeline_with(act=act)
    pipeline.release()  # nothing held
    pipeline.press()
    pipeline.press()  # a repeat
    assert pipeline.wait(0.2) is False  # still listening: one turn open
    assert microphone.open
    microphone.speak(tone(400))
    pipeline.release()
    pipeline.release()
    assert pipeline.wait(30)
    assert microphone.starts == 1
    assert asked == ["add buy milk"]
    assert kinds(events).count(LISTENING_STARTED) == 1


def test_an_empty_tap_or_a_noise_writes_nothing() -> None:
    asked, act = acting()
    pipeline, microphone, _speaker, events = pipeline_with(act=act)
    pipeline.press()
    microphone.speak(bytes(16000))  # half a second of silence
    pipeline.release()
    assert pipeline.wait(30)
    assert asked == []
    assert NO_SPEECH in kinds(events)


def test_the_earcons_and_the_reply_share_one_speaker_thread_and_play_whole() -> None:
    pipeline, microphone, speaker, _events = pipeline_with()
    pipeline.press()
    microphone.speak(tone(300))
    pipeline.release()
    assert pipeline.wait(30)
    assert speaker.threads == {"player"}  # nobody else touches the stream
    reply_ms = 200
    played_ms = len(speaker.played) / 2 / speaker.rate_hz * 1000
    assert played_ms >= 120 + 120 + reply_ms - 5  # both earcons whole, then the reply
    assert [m for m, _t in speaker.calls].count("abort") == 0


def test_a_reply_ready_at_once_after_release_plays_after_the_earcon_without_a_crash() -> None:
    for _ in range(20):
        # Short sounds, as the race is between the closing earcon and a reply ready at once, not
        # about how long either plays: twenty turns in a few seconds.
        pipeline, microphone, _speaker, events = pipeline_with(tts=ToneTts(ms=20), earcon_sounds=(tone(40), tone(40)))
        pipeline.press()
        microphone.speak(tone(100))
        pipeline.release()
        assert pipeline.wait(30)
        assert ERROR not in kinds(events)
        assert SPEAKING_STARTED in kinds(events)


def test_a_press_while_the_reply_is_being_prepared_drops_it() -> None:
    held = threading.Event()
    asked, act = acting(gate=held)
    pipeline, microphone, _speaker, events = pipeline_with(act=act)
    pipeline.press()
    microphone.speak(tone(300))
    pipeline.release()
    while not asked:  # the assistant has the first turn
        time.sleep(0.005)
    pipeline.press()  # the person talks again while the answer is still being made
    microphone.speak(tone(300))
    held.set()
    pipeline.release()
    assert pipeline.wait(30)
    assert TURN_CANCELLED in kinds(events)
    assert len(asked) == 2  # the first turn had already started acting: it finishes, unspoken
    assert kinds(events).count(SPEAKING_STARTED) == 1  # only the second reply is spoken


def test_a_press_while_the_last_turn_is_still_heard_means_it_never_acts() -> None:
    stt = FixedStt(["add buy milk", "add buy bread"])
    stt.gate.clear()
    asked, act = acting()
    pipeline, microphone, _speaker, _events = pipeline_with(stt=stt, act=act)
    pipeline.press()
    microphone.speak(tone(300))
    pipeline.release()
    assert stt.finishing.wait(5)
    pipeline.press()
    microphone.speak(tone(300))  # buffered while the recogniser is still busy: not lost
    pipeline.release()
    stt.gate.set()
    assert pipeline.wait(30)
    assert asked == ["add buy bread"]
    assert stt.heard_bytes[-1] >= len(tone(300)) - 640


def test_a_press_while_speaking_silences_within_one_block() -> None:
    pipeline, microphone, speaker, events = pipeline_with(tts=ToneTts(ms=3000), earcons=False)
    pipeline.press()
    microphone.speak(tone(300))
    pipeline.release()
    while SPEAKING_STARTED not in kinds(events):
        time.sleep(0.005)
    time.sleep(0.1)  # scenario: it has been talking for a moment
    pressed = time.monotonic()
    pipeline.press()
    while pipeline.barge_in_s is None:
        time.sleep(0.002)
    assert speaker.last_write_end - pressed < 0.05
    assert "abort" in [m for m, _t in speaker.calls]
    pipeline.release()
    assert pipeline.wait(30)


def test_a_speaker_that_fails_is_an_error_event_and_the_next_turn_works() -> None:
    pipeline, microphone, speaker, events = pipeline_with(earcons=False)
    speaker.fail_on_write = True
    pipeline.press()
    microphone.speak(tone(300))
    pipeline.release()
    assert pipeline.wait(30)
    errors = [e for e in events if e.kind == ERROR]
    assert errors and errors[0].data["code"] == "audio-speaker-failed"
    speaker.fail_on_write = False
    events.clear()
    pipeline.press()
    microphone.speak(tone(300))
    pipeline.release()
    assert pipeline.wait(30)
    assert ERROR not in kinds(events) and SPEAKING_STARTED in kinds(events)


def test_the_player_stops_a_reply_that_is_still_being_synthesized() -> None:
    tts = ToneTts()
    tts.gate.clear()
    speaker = RecordingSpeaker()
    player = SpeechPlayer(tts, speaker)
    finished: list[bool] = []
    player.say("A long answer.", on_finish=finished.append)
    assert player.speaking
    assert player.stop() < 0.1
    tts.gate.set()
    assert player.wait(5)
    assert not speaker.played and finished == [True]


def test_hands_free_ends_on_the_pause_after_speech_and_not_on_faint_noise() -> None:
    asked, act = acting()
    pipeline, microphone, _speaker, events = pipeline_with(act=act)
    pipeline.hands_free = EndOfSpeech(EnergyVoiceActivity(), silence_ms=300)
    pipeline.press()
    microphone.speak(tone(500) + tone(600, amplitude=0.005))  # speech, then faint noise (a pause)
    assert pipeline.wait(30)
    assert asked == ["add buy milk"]
    assert FINAL_TRANSCRIPT in kinds(events) and REPLY_TEXT in kinds(events)
