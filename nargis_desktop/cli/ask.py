"""`nargis ask TEXT`: one turn with the assistant, as text."""

from __future__ import annotations

import json

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.errors import InputError


@click.command("ask")
@click.argument("text", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the turn as JSON (input, actions, reply, path, timings).")
@click.option("--dry-run", is_flag=True, help="Show what would happen; change nothing.")
@click.option("--yes", is_flag=True, help="Run destructive or bulk actions without asking first.")
@click.option("--no-llm", is_flag=True, help="Load no language model (it only ever writes prose, such as summaries).")
@now_option
@pass_state
def ask(cli: CliState, text: tuple[str, ...], as_json: bool, dry_run: bool, yes: bool, no_llm: bool) -> None:
    """Tell Nargis what to do: "remind me to call mom tomorrow at 5", "I meditated today"."""
    said = " ".join(text)
    if not said.strip():
        raise InputError(
            "say what Nargis should do, e.g. nargis ask remind me to stretch in 20 minutes", code="empty-input"
        )
    from nargis_desktop.app import intent_classifier_loader, language_model_loader
    from nargis_desktop.assistant.assistant import Assistant

    profile = cli.profile
    assistant = Assistant(
        profile.data,
        None if no_llm else language_model_loader(profile.paths),
        intent_classifier_loader(profile.paths.cache_dir),
    )
    turn = assistant.handle(said, cli.now(), dry_run=dry_run, yes=yes)
    if as_json:
        click.echo(json.dumps(turn.as_json(), ensure_ascii=False))
    else:
        click.echo(turn.reply)
