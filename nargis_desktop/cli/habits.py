"""`nargis habit …`"""

from __future__ import annotations

import click

from nargis_desktop.cli.common import CliState, now_option, parse_day_option, pass_state
from nargis_desktop.cli.render import habit_line


@click.group("habit")
def habit_group() -> None:
    """Create habits, check them off, see streaks."""


@habit_group.command("add")
@click.argument("name", nargs=-1, required=True)
@click.option(
    "--schedule",
    "-s",
    default="daily",
    show_default=True,
    help='"daily", "weekdays", "mon,wed,fri", "3 times per week" or an RRULE.',
)
@click.option("--target", type=float, help="A amount per day that counts as done (e.g. 8 glasses).")
@click.option("--unit", default="", help="The unit of the target (glasses, minutes, pages).")
@now_option
@pass_state
def add(cli: CliState, name: tuple[str, ...], schedule: str, target: float | None, unit: str) -> None:
    """Create a habit."""
    habit = cli.profile.data.add_habit(" ".join(name), cli.now(), schedule=schedule, target=target, unit=unit)
    click.echo("added  " + habit_line(habit, cli.profile.data.streak(habit, cli.now().date())))


@habit_group.command("list")
@now_option
@pass_state
def list_habits(cli: CliState) -> None:
    """List habits with their current and best streaks."""
    data = cli.profile.data
    habits = data.store.habits.active()
    if not habits:
        click.echo("no habits yet: nargis habit add NAME")
    for habit in habits:
        click.echo(habit_line(habit, data.streak(habit, cli.now().date())))


@habit_group.command("check")
@click.argument("habit")
@click.option("--day", "day_text", default=None, help='Which day (default today): "yesterday", "2026-11-20"…')
@click.option("--value", type=float, help="How much (counted against the target).")
@click.option("--note", default="", help="A note for this check-in.")
@now_option
@pass_state
def check(cli: CliState, habit: str, day_text: str | None, value: float | None, note: str) -> None:
    """Check a habit off for today (or another day)."""
    data = cli.profile.data
    found = data.habit(habit)
    day = parse_day_option(day_text) if day_text else cli.now().date()
    data.check_in(found, day, cli.now(), value=value, note=note)
    click.echo(
        f"checked {found.name!r} for {day.isoformat()}  streak {data.streak(found, cli.now().date()).describe()}"
    )
