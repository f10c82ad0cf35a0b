"""`nargis journal …`"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.cli.render import journal_line, printable
from nargis_desktop.domain.journal import parse_mood
from nargis_desktop.errors import InputError

if TYPE_CHECKING:
    from nargis_desktop.services.journal_insights import JournalSearch

_EDITOR_HINT = "\n# Write your entry above. Lines starting with # are ignored; an empty entry is discarded.\n"


@click.group("journal")
def journal_group() -> None:
    """Write and read journal entries."""


def _mood(text: str | None) -> int | None:
    return parse_mood(text)


def _read_text(text: tuple[str, ...], initial: str = "") -> str:
    """The words given, else standard input when piped, else the person's $EDITOR."""
    if text:
        return " ".join(text)
    if not sys.stdin.isatty():
        return sys.stdin.read()
    edited = click.edit(initial + _EDITOR_HINT)
    if edited is None:
        return ""
    return "\n".join(line for line in edited.splitlines() if not line.startswith("#"))


@journal_group.command("add")
@click.argument("text", nargs=-1)
@click.option("--mood", help="1 (awful) to 5 (great), or awful/bad/okay/good/great.")
@now_option
@pass_state
def add(cli: CliState, text: tuple[str, ...], mood: str | None) -> None:
    """Write an entry: from the arguments, standard input, or your editor."""
    body = _read_text(text)
    if not body.strip():
        raise InputError("the entry is empty; nothing was saved", code="empty-entry")
    entry = cli.profile.data.add_journal(body, cli.now(), mood=_mood(mood))
    click.echo("saved  " + journal_line(entry))


@journal_group.command("list")
@click.option(
    "--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="How many, newest first."
)
@pass_state
def list_entries(cli: CliState, limit: int) -> None:
    """List entries, newest first."""
    entries = cli.profile.store.journal.newest_first()[:limit]
    if not entries:
        click.echo("no journal entries yet: nargis journal add")
    for entry in entries:
        click.echo(journal_line(entry))


@journal_group.command("show")
@click.argument("entry")
@click.option("--history", is_flag=True, help="Also show earlier versions of the text.")
@pass_state
def show(cli: CliState, entry: str, history: bool) -> None:
    """Show one entry in full (by id)."""
    found = cli.profile.data.journal_entry(entry)
    mood = f"  mood {found.mood}/5" if found.mood else ""
    click.echo(f"{found.created_at:%A %d %B %Y, %H:%M}{mood}  [{found.id}]\n")
    click.echo(printable(found.text))
    if history:
        for revision in found.history:
            click.echo(f"\n--- replaced {revision.replaced_at:%Y-%m-%d %H:%M} ---\n{printable(revision.text)}")


@journal_group.command("edit")
@click.argument("entry")
@click.argument("text", nargs=-1)
@now_option
@pass_state
def edit(cli: CliState, entry: str, text: tuple[str, ...]) -> None:
    """Rewrite an entry; the earlier text is kept in its history."""
    data = cli.profile.data
    found = data.journal_entry(entry)
    body = _read_text(text, initial=found.text)
    if not body.strip():
        raise InputError("the new text is empty; the entry was left as it was", code="empty-entry")
    click.echo("saved  " + journal_line(data.edit_journal(found, body, cli.now())))


@journal_group.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--when", "period_words", help='Only entries from a period: "last month", "this week", "october".')
@click.option("--limit", "-n", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@now_option
@pass_state
def search(cli: CliState, query: tuple[str, ...], period_words: str | None, limit: int, as_json: bool) -> None:
    """Find entries by meaning (all-MiniLM embeddings, encrypted index; builds the index on first use)."""
    import json

    from nargis_desktop.domain.periods import period

    first = last = None
    if period_words:
        days = period(period_words, cli.now().date())
        if days is None:
            raise InputError(
                f"{period_words!r} is not a period I know: try today, this week, last month or a month name",
                code="bad-period",
            )
        first, last = days
    searcher = cli.profile.data.journal_search()
    _build_index(searcher)
    hits = searcher.search(" ".join(query), limit=limit, first=first, last=last)
    if as_json:
        rows = [
            {"id": h.entry.id, "created_at": h.entry.created_at.isoformat(), "score": h.score, "text": h.entry.text}
            for h in hits
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    if not hits:
        click.echo("nothing found")
    for hit in hits:
        click.echo(f"{hit.score:5.2f}  {journal_line(hit.entry)}")


@journal_group.command("summary")
@click.option("--llm", "use_llm", is_flag=True, help="Let the language model write it (slower; it may miss things).")
@click.option("--no-llm", "no_llm", is_flag=True, hidden=True)  # the default since the summary is by meaning
@now_option
@pass_state
def summary(cli: CliState, use_llm: bool, no_llm: bool) -> None:
    """Summarize the last seven days of the journal, naming the entries each sentence comes from."""
    from nargis_desktop.app import language_model_loader
    from nargis_desktop.services.journal_summary import summarize_week

    model = language_model_loader(cli.profile.paths)() if use_llm and not no_llm else None
    embedder = cli.profile.data.journal_embedder()
    result = summarize_week(cli.profile.store, cli.now(), model, embedder)
    click.echo(printable(result.text))
    for line in result.source_lines():
        click.echo("  " + printable(line))


def _build_index(searcher: JournalSearch) -> None:
    """Embed what is not indexed yet, with a progress bar when there is much to do."""
    from tqdm import tqdm

    with tqdm(total=0, unit="entry", desc="indexing the journal", disable=None, leave=False) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        searcher.update(progress)
