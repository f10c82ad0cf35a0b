"""`nargis listen`, `transcribe`, `say`, `devices`, `voice`: the voice pipeline from a terminal."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import NargisError

ENGINES = click.Choice(["vosk", "whisper"])


@click.command("listen")
@click.option(
    "--wav",
    "wav",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="A recorded utterance (any rate, channels, bit depth).",
)
@click.option("--engine", type=ENGINES, help="Speech recogniser (default: the configured one).")
@click.option("--json", "as_json", is_flag=True, help="Print the turn as JSON.")
@click.option("--reply-wav", type=click.Path(path_type=Path, dir_okay=False), help="Write the spoken reply here.")
@click.option("--realtime/--fast", default=False, help="Feed the file at the pace of a microphone.")
@now_option
@pass_state
def listen(cli: CliState, wav: Path, engine: str | None, as_json: bool, reply_wav: Path | None, realtime: bool) -> None:
    """One whole voice turn on a recording: hear it, act, answer aloud."""
    from nargis_desktop.app import voice_pipeline
    from nargis_desktop.assistant.voice import VoiceEvent, stage_timings
    from nargis_desktop.audio.wav_io import WavFileSource, WavSink

    source = WavFileSource(wav, realtime=realtime)
    sink = WavSink(reply_wav)
    pipeline = voice_pipeline(cli.profile, source, sink, engine=engine, now=cli.now)
    events: list[VoiceEvent] = []
    pipeline.subscribe(events.append)
    pipeline.stt.load()
    pipeline.player.tts.load()
    ended = threading.Event()
    pipeline.on_source_end = ended.set  # the end of the file is the release of the key
    pipeline.press()
    ended.wait()
    pipeline.wait(120)
    errors = [e for e in events if e.kind == "error"]
    turn = pipeline.last_turn
    result: dict[str, Any] = turn.as_json() if turn else {"input": "", "actions": [], "reply": "", "path": "none"}
    result["transcript"] = pipeline.last_transcript
    result["partials"] = pipeline.partials
    result["timings_ms"] = {**result.get("timings_ms", {}), **stage_timings(events, source.onset_ns)}
    if errors:
        result["error"] = errors[0].data
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(
            f"heard: {result['transcript']!r}\n{next((e.data['text'] for e in events if e.kind == 'reply_text'), '')}"
        )
    if errors:
        raise click.exceptions.Exit(1)


@click.command("transcribe")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--engine", type=ENGINES, help="Speech recogniser (default: the configured one).")
@click.option("--words", is_flag=True, help="Also print when each word starts and ends (seconds).")
def transcribe(file: Path, engine: str | None, words: bool) -> None:
    """Print what is said in an audio file."""
    from nargis_desktop.app import speech_to_text
    from nargis_desktop.audio.pcm import read_speech

    pcm = read_speech(file)
    transcript = speech_to_text(ProfilePaths.from_environment(), engine, word_timings=words).transcribe(pcm)
    click.echo(transcript.text)
    for word in transcript.words:
        click.echo(f"{word.start_s:7.2f} {word.end_s:7.2f}  {word.text}")


@click.command("say")
@click.argument("text", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write a WAV instead of playing.")
@click.option("--rate", type=click.FloatRange(0.5, 2.0), default=1.0, show_default=True, help="Speaking rate.")
def say(text: tuple[str, ...], output: Path | None, rate: float) -> None:
    """Speak TEXT with the configured voice (on the speaker, or into a WAV with -o)."""
    from nargis_desktop.app import text_to_speech
    from nargis_desktop.audio.player import SpeechPlayer
    from nargis_desktop.audio.ports import Speaker
    from nargis_desktop.audio.wav_io import WavSink

    speaker: Speaker
    if output is not None:
        speaker = WavSink(output)
    else:
        from nargis_desktop.audio.devices import SoundDeviceSpeaker

        speaker = SoundDeviceSpeaker()
    failures: list[NargisError] = []  # the player reports on its own thread; raised here, after it is done
    player = SpeechPlayer(
        text_to_speech(ProfilePaths.from_environment()),
        speaker,
        rate,
        on_error=lambda code, message: failures.append(NargisError(message, code=code)),
    )
    player.say(" ".join(text))
    player.wait()
    if failures:
        raise failures[0]
    if output is not None:
        click.echo(f"wrote {output}", err=True)


@click.command("devices")
def devices() -> None:
    """List audio input and output devices (PulseAudio/PipeWire sources and sinks by name too)."""
    from nargis_desktop.audio.devices import list_devices

    found = list_devices()
    if not found:
        click.echo("no audio devices found (PortAudio sees none)")
    for device in found:
        marks = " ".join(
            m for m, on in (("default-in", device.is_default_input), ("default-out", device.is_default_output)) if on
        )
        where = f"pulse: {device.pulse_name:<24}" if device.pulse_name else f"{device.index:>3}"
        channels = f"in {device.inputs}  out {device.outputs}"
        click.echo(f"{where}  {channels}  {device.default_rate_hz} Hz  {device.name}  {marks}".rstrip())


@click.command("voice")
@click.option("--engine", type=ENGINES, help="Speech recogniser (default: the configured one).")
@click.option("--device", help="Microphone: index, name part or PulseAudio source name (see `nargis devices`).")
@click.option("--speaker", "speaker_name", help="Speaker: index, name part or PulseAudio sink name.")
@click.option("--hands-free", is_flag=True, help="End each turn when you stop speaking instead of a second key.")
@now_option
@pass_state
def voice(cli: CliState, engine: str | None, device: str | None, speaker_name: str | None, hands_free: bool) -> None:
    """Push to talk in the terminal: hold Enter or Space while you speak (or tap to start and tap to
    stop); q quits."""
    from nargis_desktop.app import voice_pipeline
    from nargis_desktop.audio.devices import SoundDeviceMicrophone, SoundDeviceSpeaker
    from nargis_desktop.cli.talk_keys import TalkKeys, describe_event

    pipeline = voice_pipeline(
        cli.profile,
        SoundDeviceMicrophone(_device_choice(device)),
        SoundDeviceSpeaker(_device_choice(speaker_name)),
        engine=engine,
        now=cli.now,
        with_earcons=True,
        hands_free=hands_free,
    )

    def show(event: Any) -> None:
        line = describe_event(event)
        if line:
            click.echo(line, err=True)

    pipeline.subscribe(show)
    click.echo("Loading the voice models… (you can start talking already)", err=True)
    threading.Thread(target=_warm_up, args=(pipeline, hands_free), name="warm-up", daemon=True).start()
    try:
        with TalkKeys(sys.stdin.fileno()) as keys:
            keys.run(pipeline)
    finally:
        pipeline.close()


def _device_choice(name: str | None) -> int | str | None:
    """An index as a number; anything else is a name (part), matched by the device adapters."""
    return int(name) if name and name.isdigit() else name


def _warm_up(pipeline: Any, hands_free: bool) -> None:
    from nargis_desktop.errors import NargisError, user_message

    try:
        pipeline.warm_up()
    except NargisError as err:
        click.echo(user_message(err), err=True)
        return
    how = (
        "press Enter or Space and speak; it stops when you do" if hands_free else "hold Enter or Space while you speak"
    )
    click.echo(f"Ready: {how} (q quits).", err=True)
