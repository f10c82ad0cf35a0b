"""`nargis demo` (a short tour in a throw-away profile) and `nargis app` (the desktop window)."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.cli.render import habit_line, journal_line, reminder_line, task_line
from nargis_desktop.domain.plurals import count

DEMO_PASSPHRASE = "demo"


def run_demo(now: datetime) -> None:
    from nargis_desktop.app import open_profile
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.domain.tasks import Priority
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.services.agenda import today

    with tempfile.TemporaryDirectory(prefix="nargis-demo-") as folder:
        root = Path(folder)
        paths = ProfilePaths(data_dir=root / "data", config_dir=root / "config", cache_dir=root / "cache")
        profile = open_profile(paths, NoSecretStore(), prompt=lambda _confirm: DEMO_PASSPHRASE)
        data = profile.data
        click.echo(f"A demo profile in {root} (encrypted with the passphrase {DEMO_PASSPHRASE!r}).\n")
        tasks = [
            data.add_task("Call mom", now, due=now.replace(hour=17, minute=0, second=0), priority=Priority.HIGH),
            data.add_task("Water the plants", now, due=now.date() - timedelta(days=1), recurrence="FREQ=WEEKLY"),
            data.add_task("Plan the weekend trip", now, due=now.date() + timedelta(days=3), tags=["family"]),
        ]
        meditation = data.add_habit("Meditate", now - timedelta(days=10), start=now.date() - timedelta(days=10))
        for days_ago in range(1, 6):
            data.check_in(meditation, now.date() - timedelta(days=days_ago), now)
        running = data.add_habit(
            "Run", now - timedelta(days=21), schedule="3 times per week", start=now.date() - timedelta(days=21)
        )
        for days_ago in (2, 4, 6, 8, 10, 12, 15, 17, 19):
            data.check_in(running, now.date() - timedelta(days=days_ago), now)
        entry = data.add_journal("Slept well. Long walk by the river; felt calm all day.", now, mood=4)
        reminder = data.add_reminder("Stretch", now + timedelta(minutes=20), now)
        click.echo("Added:")
        for task in tasks:
            click.echo("  " + task_line(task, now))
        for habit in (meditation, running):
            click.echo("  " + habit_line(habit, data.streak(habit, now.date())))
        click.echo("  " + journal_line(entry))
        click.echo("  " + reminder_line(reminder, now))
        done = data.complete_task(tasks[1], now)
        click.echo(f"\nCompleted the weekly task {done.title!r}: it rolls to {done.due}.")
        agenda = today(profile.store, now)
        click.echo(
            f"\nToday, {now:%A %d %B}: {count(len(agenda.tasks), 'task')} due, "
            f"{count(len(agenda.habits_to_check), 'habit')} to check, {count(len(agenda.reminders), 'reminder')}."
        )
        for task in agenda.tasks:
            click.echo("  " + task_line(task, now))
        secret = b"Long walk by the river"
        raw = profile.paths.store_file.read_bytes()
        profile.close()
        click.echo(
            f"\nThe store file holds {len(raw)} bytes; the journal text appears in it "
            f"{'in plain text (BAD)' if secret in raw else 'nowhere: it is encrypted'}."
        )
        click.echo("Try it for real: nargis task add 'Buy milk' --due 'tomorrow 5pm'; nargis today")


@click.command("demo")
@now_option
@pass_state
def demo(cli: CliState) -> None:
    """A short tour in a temporary profile; your own data is not touched."""
    run_demo(cli.now())


def display_problem() -> str | None:
    """Why a window cannot open here, or None when it can."""
    if importlib.util.find_spec("PySide6") is None:
        return "PySide6 is not installed (pip install 'nargis-desktop[desktop]')"
    if os.environ.get("QT_QPA_PLATFORM") in {"offscreen", "minimal"}:
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    return None


@click.command("app")
@click.option(
    "--screenshot",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Render the window to this PNG and quit (works offscreen).",
)
@click.option(
    "--view",
    type=click.Choice(["today", "tasks", "habits", "journal", "insights", "conversation", "settings"]),
    default="today",
    show_default=True,
    help="Which view to show (or render with --screenshot).",
)
@click.option(
    "--tray",
    "--minimized",
    "tray",
    is_flag=True,
    help="Start hidden in the system tray (the window opens from the tray icon); shown where there is no tray.",
)
@now_option
@pass_state
def app(cli: CliState, screenshot: Path | None, view: str, tray: bool) -> None:
    """Open the desktop app; with no display, run the demo instead."""
    problem = display_problem()
    if problem and screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        problem = display_problem()
    if problem:
        click.echo(f"Cannot open the window: {problem}. Running the headless demo instead.\n")
        run_demo(cli.now())
        return
    from nargis_desktop.app import open_profile
    from nargis_desktop.ui.application import run_app

    raise click.exceptions.Exit(
        run_app(lambda prompt: open_profile(prompt=prompt), cli.now_override, screenshot, view, hidden=tray)
    )
