"""`nargis doctor`: what is installed, where data lives, which keyring, is the store sound."""

from __future__ import annotations

import importlib.util
import platform

import click

from nargis_desktop import __version__
from nargis_desktop.cli.common import CliState, pass_state
from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import NargisError, user_message

ENGINES = {
    "PySide6": "desktop app",
    "sounddevice": "microphone and speaker",
    "vosk": "Vosk speech recognition",
    "faster_whisper": "Whisper speech recognition",
    "piper": "Piper text-to-speech",
    "llama_cpp": "local LLM",
    "duckdb": "analytics",
    "apscheduler": "reminder scheduling",
    "gspread": "Google Sheets sync",
}


@click.command("doctor")
@pass_state
def doctor(cli: CliState) -> None:
    """Check the installation, the data folder, the keyring and the store."""
    paths = ProfilePaths.from_environment()
    click.echo(f"nargis {__version__} on Python {platform.python_version()} ({platform.system()} {platform.machine()})")
    click.echo(f"data folder:   {paths.data_dir}")
    click.echo(f"config folder: {paths.config_dir}")
    from nargis_desktop.app import secret_store  # the adapter the app uses, picked in one place

    click.echo(f"keyring:       {secret_store().describe()}")
    if paths.key_file.exists():
        from nargis_desktop.store.keys import KeyRecord

        click.echo(f"store key:     {KeyRecord.read(paths.key_file).method}")
    healthy = True
    try:
        store = cli.profile.store
        problems = store.integrity_problems()
        counts = {
            repo.codec.table: repo.count()
            for repo in (store.tasks, store.habits, store.checkins, store.journal, store.reminders)
        }
        click.echo(
            f"store:         {paths.store_file} ({'ok' if not problems else 'DAMAGED'}), "
            + ", ".join(f"{n} {name}" for name, n in counts.items())
        )
        for problem in problems[:5]:
            click.echo(f"  integrity: {problem}")
        healthy = not problems
    except NargisError as err:
        click.echo(f"store:         {user_message(err)}")
        healthy = False
    except Exception as err:  # sqlcipher3.DatabaseError and the like: a store too damaged to describe
        if not type(err).__module__.startswith("sqlcipher3"):
            raise
        click.echo(f"store:         cannot be opened: {err} [store-damaged]")
        healthy = False
    click.echo("engines:")
    for module, purpose in ENGINES.items():
        found = importlib.util.find_spec(module) is not None
        click.echo(f"  {'ok ' if found else '-- '} {module:<15} {purpose}{'' if found else ' (not installed)'}")
    click.echo("models (what each role would use; `nargis models list` shows all):")
    from nargis_desktop.models.manager import ROLE_WORDS, ModelManager

    manager = ModelManager(paths)
    for role, words in ROLE_WORDS.items():
        try:
            status, source = manager.select(role)
            click.echo(f"  ok  {words:<15} {status.entry.id} ({source})")
        except NargisError as err:
            click.echo(f"  --  {words:<15} {err.message}")
    if not healthy:
        raise click.exceptions.Exit(2)
