"""The journal: write an entry, find what was written about something, summarize the week."""

from __future__ import annotations

from nargis_desktop.assistant.tools.base import Context, Outcome, ToolError, guarded
from nargis_desktop.assistant.undo import created
from nargis_desktop.domain.errors import DomainError

RELEVANT_SCORE = 0.25  # cosine of unrelated entries sits near 0.1; a shared name adds 0.15


def search_journal(ctx: Context, args: dict[str, str]) -> Outcome:
    """ "What did I write about Sara last month?": search by meaning, within the period said."""
    from nargis_desktop.domain.periods import period
    from nargis_desktop.services.journal_summary import first_sentence

    query = args.get("query", "").strip(" ?.")
    if not query:
        raise ToolError("What should I look for in your journal?")
    when = args.get("when", "").strip()
    days = period(when, ctx.now.date()) if when else None
    if when and days is None:
        raise ToolError(f"I didn't understand the period {when!r}.")
    first, last = days or (None, None)
    hits = [
        hit
        for hit in ctx.data.journal_search().search(query, limit=3, first=first, last=last)
        if hit.score >= RELEVANT_SCORE
    ]
    span = f" {when}" if when else ""
    if not hits:
        return Outcome(f"I found nothing in your journal about {query}{span}.")
    top = hits[0].entry
    more = len(hits) - 1
    tail = f" I found {more} more {'entry' if more == 1 else 'entries'} too." if more else ""
    return Outcome(
        f"On {top.created_at:%A %d %B} you wrote: {first_sentence(top.text)}{tail}", focus=("journal", top.id)
    )


def summarize_week(ctx: Context, args: dict[str, str]) -> Outcome:
    from nargis_desktop.services.journal_summary import summarize_week as summarize

    # By meaning, without the language model: the reply comes in well under a second.
    summary = summarize(ctx.data.store, ctx.now, None, ctx.data.journal_embedder())
    focus = ("journal", summary.sources[-1].id) if summary.sources else None
    return Outcome(summary.spoken(), focus=focus)


def add_journal(ctx: Context, args: dict[str, str]) -> Outcome:
    text = (args.get("text") or "").strip()
    if not text:
        raise ToolError("What would you like to write?")
    mood = None
    if args.get("mood"):
        from nargis_desktop.domain.journal import parse_mood

        try:
            mood = parse_mood(args["mood"])
        except DomainError:
            mood = None
    entry = guarded(lambda: ctx.data.add_journal(text[0].upper() + text[1:], ctx.now, mood=mood))
    return Outcome("Saved to your journal.", focus=("journal", entry.id), undo=[created("journal", entry.id)])
