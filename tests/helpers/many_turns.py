"""Fifty voice turns in a row on the real sounddevice adapters (run in its own process, so a crash
in PortAudio is a failed test, not a dead test run). The engines are the fast fakes, so each reply
is ready within milliseconds of the release — the case where the release earcon and the reply
used to fight over the speaker's stream. Every tenth turn the person presses again while the
reply is being prepared, every tenth (offset by five) while it plays.

Prints one JSON line: turns, errors, replies ready within 20 ms of release, barge-ins."""

from __future__ import annotations

import json
import sys
import threading

from nargis_desktop.assistant.voice import LISTENING_STOPPED, REPLY_TEXT, SPEAKING_STARTED, VoiceEvent, VoicePipeline
from nargis_desktop.audio import earcons
from nargis_desktop.audio.devices import SoundDeviceMicrophone, SoundDeviceSpeaker
from tests.fakes import FixedStt, ToneTts, acting

TURNS = 50


def main(mic: str, speaker: str) -> int:
    gate = threading.Event()
    gate.set()
    _asked, act = acting("Okay. Done. That is all.", gate)
    tts = ToneTts(ms=300)
    pipeline = VoicePipeline(
        SoundDeviceMicrophone(mic),
        FixedStt(),
        act,  # type: ignore[arg-type]
        tts,
        SoundDeviceSpeaker(speaker),
        earcons=(earcons.load(earcons.START), earcons.load(earcons.STOP)),
    )
    pipeline.warm_up()
    events: list[VoiceEvent] = []
    speaking = threading.Event()
    pipeline.subscribe(events.append)
    pipeline.subscribe(lambda e: speaking.set() if e.kind == SPEAKING_STARTED else None)
    quick, barge_ins, completed = 0, 0, 0
    for turn in range(TURNS):
        events.clear()
        speaking.clear()
        if turn % 10 == 0:
            gate.clear()  # the answer takes a while: the person presses again meanwhile
        pipeline.press()
        pipeline.release()
        if turn % 10 == 0:
            pipeline.press()
            gate.set()
            pipeline.release()
            barge_ins += 1
        elif turn % 10 == 5:
            speaking.wait(10)
            pipeline.press()  # talks over the reply
            pipeline.release()
            barge_ins += 1
        if not pipeline.wait(30):
            print(json.dumps({"stuck_at_turn": turn}))
            return 1
        completed += 1
        stops = [e.at_ns for e in events if e.kind == LISTENING_STOPPED]
        replies = [e.at_ns for e in events if e.kind == REPLY_TEXT]
        if stops and replies and (replies[-1] - stops[-1]) / 1e6 < 20:
            quick += 1
        if any(e.kind == "error" for e in events):
            print(json.dumps({"errors": [e.data for e in events if e.kind == "error"], "turn": turn}))
            return 1
    pipeline.close()
    print(json.dumps({"turns": completed, "replies_ready_within_20_ms": quick, "barge_ins": barge_ins}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
