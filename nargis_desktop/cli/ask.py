"""`nargis ask TEXT`: one turn with the assistant, as text."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.errors import InputError

if TYPE_CHECKING:
    from nargis_desktop.app import Profile
    from nargis_desktop.models.engines.base import LanguageModel


@click.command("ask")
@click.argument("text", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the turn as JSON (input, actions, reply, path, timings).")
@click.option("--dry-run", is_flag=True, help="Show what would happen; change nothing.")
@click.option("--yes", is_flag=True, help="Run destructive or bulk actions without asking first.")
@click.option("--no-llm", is_flag=True, help="Use only the fast path (no local model is loaded).")
@now_option
@pass_state
def ask(cli: CliState, text: tuple[str, ...], as_json: bool, dry_run: bool, yes: bool, no_llm: bool) -> None:
    """Tell Nargis what to do: "remind me to call mom tomorrow at 5", "I meditated today"."""
    said = " ".join(text)
    if not said.strip():
        raise InputError(
            "say what Nargis should do, e.g. nargis ask remind me to stretch in 20 minutes", code="empty-input"
        )
    from nargis_desktop.assistant.assistant import Assistant

    profile = cli.profile
    turn = Assistant(profile.data, None if no_llm else _model_loader(profile)).handle(
        said, cli.now(), dry_run=dry_run, yes=yes
    )
    if as_json:
        click.echo(json.dumps(turn.as_json(), ensure_ascii=False))
    else:
        click.echo(turn.reply)


def _model_loader(profile: Profile) -> Callable[[], LanguageModel | None]:
    def load() -> LanguageModel | None:
        from nargis_desktop.errors import NargisError
        from nargis_desktop.models.engines import open_language_model
        from nargis_desktop.models.manager import ModelManager

        try:
            return open_language_model(ModelManager(profile.paths).resolve("llm"), context_tokens=1024)
        except NargisError:
            return None  # no model: the fast path alone answers

    return load
