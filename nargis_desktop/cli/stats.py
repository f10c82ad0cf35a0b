"""`nargis stats`: habit scores and rates, task and journal statistics."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.domain.plurals import count


@click.group("stats", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@now_option
@pass_state
@click.pass_context
def stats_group(ctx: click.Context, cli: CliState, as_json: bool) -> None:
    """An overview: every habit's score, streak and rates; tasks done and on time; journal by week."""
    if ctx.invoked_subcommand is not None:
        return
    report = cli.profile.data.insights.overview(cli.now())
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    for habit in report["habits"]:
        rates = habit["completion_rate"]
        click.echo(
            f"{habit['habit']:<16} score {habit['score']:.0%}  streak {_streak(habit['streak'])}"
            f"  7d {rates['7_days']:.0%}  30d {rates['30_days']:.0%}"
        )
    tasks = report["tasks"]
    on_time = "—" if tasks["on_time_rate"] is None else f"{tasks['on_time_rate']:.0%}"
    click.echo(
        f"tasks: {tasks['completed_last_7_days']} done in 7 days, on time {on_time}, {tasks['overdue_now']} overdue"
    )
    journal = report["journal"]
    click.echo(
        f"journal: {count(journal['entries_per_week'][-1], 'entry')} this week, "
        f"{count(journal['words_per_week'][-1], 'word')}"
    )


def _streak(streak: dict[str, Any]) -> str:
    return f"{count(streak['current'], streak['unit'])} (best {streak['best']})"


@stats_group.command("habit")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@now_option
@pass_state
def habit(cli: CliState, name: str, as_json: bool) -> None:
    """One habit in detail: score, streaks, completion rates, best weekday."""
    data = cli.profile.data
    report = data.insights.habit_report(data.habit(name), cli.now())
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(
        f"{report['habit']} ({report['schedule_in_words']})\n  score {report['score']:.0%}\n"
        f"  streak {_streak(report['streak'])}\n"
        f"  done {_rates(report, cli.now().date())}\n  best day: {report['best_weekday'] or '—'}"
    )


def _rates(report: dict[str, Any], today: date) -> str:
    """ "86% of the last 7 days, 80% of 30, 75% of 365"; a younger habit's rate is since it began."""
    rates = report["completion_rate"]
    began = date.fromisoformat(report["effective_start"])
    lived = (today - began).days + 1
    said = [f"{rates['7_days']:.0%} of the last 7 days"] if lived > 7 else []
    said += [f"{rates[f'{days}_days']:.0%} of {days}" for days in (30, 365) if lived > days]
    if lived <= 365:
        said.append(f"{rates['365_days']:.0%} since it began on {began.day} {began:%B}")
    return ", ".join(said)
