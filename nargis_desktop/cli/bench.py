"""`nargis bench voice`: measure the voice pipeline on this machine."""

from __future__ import annotations

import json

import click

from nargis_desktop.config import ProfilePaths


@click.group("bench")
def bench_group() -> None:
    """Measure Nargis on this machine."""


@bench_group.command("voice")
@click.option("--turns", type=click.IntRange(1, 15), default=15, show_default=True)
@click.option(
    "--engine",
    "engines",
    multiple=True,
    type=click.Choice(["whisper", "vosk"]),
    help="Engines to measure (default: both).",
)
def voice(turns: int, engines: tuple[str, ...]) -> None:
    """Release → first reply audio, first partial, Piper first audio, barge-in, memory (JSON)."""
    from nargis_desktop.voice_benchmark import run

    click.echo(json.dumps(run(ProfilePaths.from_environment(), engines or ("whisper", "vosk"), turns), indent=2))
