"""`nargis task …`"""

from __future__ import annotations

import json

import click

from nargis_desktop.cli.common import CliState, now_option, parse_repeat_option, parse_when_option, pass_state
from nargis_desktop.cli.render import task_line
from nargis_desktop.domain.tasks import Priority
from nargis_desktop.errors import InputError

PRIORITIES = click.Choice(["high", "medium", "low", "none"], case_sensitive=False)


@click.group("task")
def task_group() -> None:
    """Add, list, complete, edit and delete tasks."""


@task_group.command("add")
@click.argument("title", nargs=-1, required=True)
@click.option("--due", help='When it is due: ISO or plain English ("tomorrow 5pm", "next friday").')
@click.option("--priority", "-p", type=PRIORITIES, default="none", help="high, medium, low or none.")
@click.option("--repeat", help='How it repeats: "every weekday", "every 2 weeks" or an RRULE.')
@click.option("--tag", "-t", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--notes", default="", help="Longer notes.")
@now_option
@pass_state
def add(
    cli: CliState,
    title: tuple[str, ...],
    due: str | None,
    priority: str,
    repeat: str | None,
    tags: tuple[str, ...],
    notes: str,
) -> None:
    """Add a task."""
    due_value = parse_when_option(due)
    rule = parse_repeat_option(repeat)
    task = cli.profile.data.add_task(
        " ".join(title),
        cli.now(),
        due=due_value,
        priority=Priority.parse(priority),
        recurrence=rule,
        tags=tags,
        notes=notes,
    )
    click.echo("added  " + task_line(task, cli.now()))


@task_group.command("list")
@click.option("--all", "include_done", is_flag=True, help="Include done tasks.")
@click.option("--today", is_flag=True, help="Only tasks due today or overdue.")
@click.option("--tag", help="Only tasks with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (as in the export).")
@now_option
@pass_state
def list_tasks(cli: CliState, include_done: bool, today: bool, tag: str | None, as_json: bool) -> None:
    """List open tasks: soonest due first."""
    now = cli.now()
    tasks = cli.profile.data.tasks(include_done=include_done, tag=tag)
    if today:
        tasks = [t for t in tasks if t.is_due_by(now.date())]
    if as_json:
        from nargis_desktop.exchange.json_format import to_json
        from nargis_desktop.store.fields import TASK

        click.echo(json.dumps([to_json(TASK, t) for t in tasks], indent=2))
        return
    if not tasks:
        click.echo("no tasks" + (" due today" if today else ""))
    for task in tasks:
        click.echo(task_line(task, now))


@task_group.command("done")
@click.argument("task")
@now_option
@pass_state
def done(cli: CliState, task: str) -> None:
    """Complete a task (by id or title); a repeating task moves to its next date."""
    data = cli.profile.data
    completed = data.complete_task(data.task(task), cli.now())
    verb = "next" if not completed.done else "done"
    click.echo(f"{verb}   " + task_line(completed, cli.now()))


@task_group.command("edit")
@click.argument("task")
@click.option("--title", help="New title.")
@click.option("--due", help='New due date; "none" removes it.')
@click.option("--priority", "-p", type=PRIORITIES, help="New priority.")
@click.option("--repeat", help='New repeat rule; "none" removes it.')
@click.option("--tag", "-t", "tags", multiple=True, help="Replace the tags with these.")
@click.option("--notes", help="New notes.")
@click.option("--reopen", is_flag=True, help="Mark a done task as not done.")
@now_option
@pass_state
def edit(
    cli: CliState,
    task: str,
    title: str | None,
    due: str | None,
    priority: str | None,
    repeat: str | None,
    tags: tuple[str, ...],
    notes: str | None,
    reopen: bool,
) -> None:
    """Change a task's fields."""
    data = cli.profile.data
    current = data.task(task)
    changes: dict[str, object] = {}
    if title is not None:
        changes["title"] = title
    if due is not None:
        changes["due"] = None if due.lower() == "none" else parse_when_option(due)
    if priority is not None:
        changes["priority"] = Priority.parse(priority)
    if repeat is not None:
        changes["recurrence"] = None if repeat.lower() == "none" else parse_repeat_option(repeat)
    if tags:
        changes["tags"] = tags
    if notes is not None:
        changes["notes"] = notes
    if reopen:
        changes.update(done=False, completed_at=None)
    if not changes:
        raise InputError("nothing to change: give --title, --due, --priority, --repeat, --tag, --notes or --reopen")
    click.echo("edited " + task_line(data.edit_task(current, **changes), cli.now()))


@task_group.command("delete")
@click.argument("task")
@pass_state
def delete(cli: CliState, task: str) -> None:
    """Delete a task (by id or title)."""
    found = cli.profile.data.task(task)
    cli.profile.data.delete_task(found)
    click.echo(f"deleted {found.title!r}")
