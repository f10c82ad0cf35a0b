"""The activity in a statement of something done, as a habit's name: "I meditated today" ->
("meditate", "today"), "I went for a run this morning" -> ("run", "this morning").

Used when the person says they did something they do not track yet: Nargis offers to start the
habit (and asks first), instead of answering that it did not understand.
"""

from __future__ import annotations

import re

from nargis_desktop.assistant.fast_path import CHECK_IN

# Past forms whose present is not the past form without "-ed".
IRREGULAR = {
    "ran": "run",
    "swam": "swim",
    "wrote": "write",
    "read": "read",
    "drank": "drink",
    "ate": "eat",
    "slept": "sleep",
    "rode": "ride",
    "took": "take",
    "made": "make",
    "did": "do",
    "went": "go",
    "had": "have",
    "sang": "sing",
}
# "I went for a run", "I did some yoga", "I had a walk": the activity is the noun after them.
LIGHT_VERB = re.compile(
    r"^(?:went (?:for |on )?|did |had |took |got |practised |practiced |finished )"
    r"(?:a |an |my |some |the |our )?(?P<noun>.+)$"
)
WORD = re.compile(r"^[a-z]+(?: [a-z]+){0,3}$")
NOT_AN_ACTIVITY = frozenset({"it", "that", "this", "them", "so", "something", "nothing", "everything", "well", "do"})


def activity_of(statement: str) -> tuple[str, str | None] | None:
    """(habit name, day phrase or None), or None when the statement names no plain activity."""
    text = re.sub(r"[.!?]+$", "", statement.strip().lower())
    match = CHECK_IN.match(text)
    if match is None:
        return None
    what = match.group("what").strip()
    day = match.group("day").strip() if match.group("day") else None
    light = LIGHT_VERB.match(what)
    if light:
        name = light.group("noun")
    else:
        verb, _, rest = what.partition(" ")
        present = _present(verb)
        if present is None:
            return None
        name = f"{present} {rest}".strip()
    name = re.sub(r"\s+(?:again|already|as well|too|for (?:\d+|[a-z]+) (?:minutes?|hours?|miles?|km))$", "", name)
    if not WORD.match(name) or name.split()[0] in NOT_AN_ACTIVITY:
        return None
    return name, day


def _present(verb: str) -> str | None:
    """The present form of a past-tense verb, or None when `verb` is not one."""
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if not verb.endswith("ed") or len(verb) < 5:
        return None
    from wordfreq import zipf_frequency

    stem = verb[:-2]
    candidates = [stem, stem + "e"]
    if stem.endswith("i"):
        candidates.append(stem[:-1] + "y")  # studied -> study
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])  # jogged -> jog
    best = max(candidates, key=lambda word: zipf_frequency(word, "en"))
    return best if zipf_frequency(best, "en") >= 2.5 else None
