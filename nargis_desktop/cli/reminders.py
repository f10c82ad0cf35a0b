"""`nargis reminder …`"""

from __future__ import annotations

import click

from nargis_desktop.cli.common import CliState, now_option, parse_datetime_option, parse_repeat_option, pass_state
from nargis_desktop.cli.render import reminder_line


@click.group("reminder")
def reminder_group() -> None:
    """Set, list, snooze and finish reminders."""


@reminder_group.command("add")
@click.argument("text", nargs=-1, required=True)
@click.option("--at", "at_text", required=True, help='When: "tomorrow 5pm", "in 20 minutes", ISO…')
@click.option("--repeat", help='"every weekday", "every month", or an RRULE.')
@now_option
@pass_state
def add(cli: CliState, text: tuple[str, ...], at_text: str, repeat: str | None) -> None:
    """Set a reminder."""
    at = parse_datetime_option(at_text)
    reminder = cli.profile.data.add_reminder(" ".join(text), at, cli.now(), recurrence=parse_repeat_option(repeat))
    click.echo("set    " + reminder_line(reminder, cli.now()))


@reminder_group.command("list")
@click.option("--all", "include_done", is_flag=True, help="Include finished reminders.")
@now_option
@pass_state
def list_reminders(cli: CliState, include_done: bool) -> None:
    """List reminders, soonest first."""
    reminders = cli.profile.data.reminders(include_done=include_done)
    if not reminders:
        click.echo("no reminders")
    for reminder in reminders:
        click.echo(reminder_line(reminder, cli.now()))


@reminder_group.command("snooze")
@click.argument("reminder")
@click.option(
    "--minutes", "-m", type=click.FloatRange(min=0, min_open=True), default=10, show_default=True, help="For how long."
)
@now_option
@pass_state
def snooze(cli: CliState, reminder: str, minutes: float) -> None:
    """Snooze a reminder."""
    data = cli.profile.data
    click.echo("snoozed " + reminder_line(data.snooze_reminder(data.reminder(reminder), minutes, cli.now()), cli.now()))


@reminder_group.command("done")
@click.argument("reminder")
@now_option
@pass_state
def done(cli: CliState, reminder: str) -> None:
    """Finish a reminder; a repeating one moves to its next time."""
    data = cli.profile.data
    finished = data.complete_reminder(data.reminder(reminder), cli.now())
    click.echo(("done   " if finished.done else "next   ") + reminder_line(finished, cli.now()))
