"""`nargis today`, `export`, `import`, `backup`, `restore`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.cli.render import habit_line, reminder_line, task_line
from nargis_desktop.errors import InputError


@click.command("today")
@now_option
@pass_state
def today(cli: CliState) -> None:
    """What is due today: tasks (overdue first), habits to check, reminders."""
    from nargis_desktop.services.agenda import today as agenda_for

    now = cli.now()
    data = cli.profile.data
    agenda = agenda_for(cli.profile.store, now)
    click.echo(f"Today, {now:%A %d %B}")
    if agenda.is_empty:
        click.echo("  nothing due today")
    for task in agenda.tasks:
        click.echo("  task      " + task_line(task, now))
    for habit in agenda.habits_to_check:
        click.echo("  habit     " + habit_line(habit, data.streak(habit, now.date())))
    for reminder in agenda.reminders:
        click.echo("  reminder  " + reminder_line(reminder, now))
    if agenda.habits_done:
        click.echo("  checked today: " + ", ".join(h.name for h in agenda.habits_done))


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "markdown", "ics"]), default="json", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="File (a folder for csv); default: standard output."
)
@now_option
@pass_state
def export(cli: CliState, fmt: str, output: Path | None) -> None:
    """Export everything (deleted items are left out)."""
    from nargis_desktop.exchange.json_format import Snapshot, snapshot_to_json
    from nargis_desktop.exchange.text_formats import to_ics, to_markdown, write_csv_folder

    snapshot = Snapshot.of(cli.profile.store)
    now = cli.now()
    if fmt == "csv":
        if output is None:
            raise InputError("csv writes one file per kind: give a folder with -o")
        for written in write_csv_folder(snapshot, output, now):
            click.echo(f"wrote {written}", err=True)
        return
    if fmt == "json":
        payload: bytes = (json.dumps(snapshot_to_json(snapshot, now), indent=2, ensure_ascii=False) + "\n").encode()
    elif fmt == "markdown":
        payload = to_markdown(snapshot, now).encode()
    else:
        payload = to_ics(snapshot, now)
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        _write_atomically(output, payload)
        click.echo(f"wrote {output}", err=True)


def _write_atomically(path: Path, payload: bytes) -> None:
    import os

    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(payload)
    os.replace(partial, path)


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@now_option
@pass_state
def import_file(cli: CliState, file: Path) -> None:
    """Import a JSON export; new items are added, known ones (same id) updated."""
    from nargis_desktop.exchange.json_import import read_snapshot, write_snapshot

    snapshot = read_snapshot(file, cli.now())
    counts = write_snapshot(cli.profile.store, snapshot)
    click.echo("imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def backup(cli: CliState, file: Path) -> None:
    """Write an encrypted backup of the store (same key) to FILE."""
    from nargis_desktop.store.backup import export_copy

    if file.exists():
        raise InputError(f"{file} exists already; choose a new file name", code="file-exists")
    export_copy(cli.profile.store.conn, file, cli.profile.key)
    click.echo(f"backed up to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def restore(cli: CliState, file: Path) -> None:
    """Replace the store with a backup; the current data is saved in the backups folder first."""

    kept = cli.profile.restore(file)
    click.echo(f"restored from {file}; the data it replaced is kept in {kept}")
