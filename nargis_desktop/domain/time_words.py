"""The words of the time grammar: spoken forms rewritten as typed ones, and the patterns it finds.

A speech recogniser writes "six thirty", "6 30", "545 am", "7m" or "2 15 p.m." where a person
would type "6:30" or "5:45 am"; `typed_form` rewrites those so one set of patterns reads both.
Rewrites touch only the time words, so the rest of a command keeps its spelling.
"""

from __future__ import annotations

import re
from collections.abc import Callable

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NUMBERS = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{name[:3]: i for i, name in enumerate(WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
MONTH_NAMES = ("", *(name.capitalize() for name in ("january", "february", "march", "april", "may", "june",
                                                      "july", "august", "september", "october", "november",
                                                      "december")))  # fmt: skip
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "twenty five": 25,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "forty-five": 45,
    "forty five": 45,
    "fifty": 50,
    "ninety": 90,
}
_ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
ORDINAL_WORDS = {word: i for i, word in enumerate(_ORDINAL_WORDS, 1)}
ORDINAL_WORDS.update({f"twenty-{w}": 20 + i for i, w in enumerate(_ORDINAL_WORDS[:9], 1)})
ORDINAL_WORDS.update({f"twenty {w}": 20 + i for i, w in enumerate(_ORDINAL_WORDS[:9], 1)})
ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31})

_HOUR_WORDS = "|".join(sorted((w for w, n in NUMBER_WORDS.items() if n <= 12), key=len, reverse=True))
_MINUTE_WORDS = {"o'clock": 0, "fifteen": 15, "thirty": 30, "forty-five": 45, "forty five": 45, "twenty": 20}
_MINUTE_WORD = "|".join(sorted(_MINUTE_WORDS, key=len, reverse=True))
_NOT_A_DURATION = r"(?!\s*(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|months?|years?)\b)"


def _hour_words(match: re.Match[str]) -> str:
    hour = NUMBER_WORDS[match.group("hour").lower()]
    minute_word = (match.group("minute") or "").lower()
    minute = _MINUTE_WORDS.get(minute_word, 0)
    lead = match.group("lead") or ""
    marker = match.group("marker") or ""
    if minute_word == "o'clock" or (not minute_word and marker.lower() == "o'clock"):
        return f"{lead}{hour} o'clock"
    return f"{lead}{hour}:{minute:02d}{' ' + marker if marker else ''}"


def _quarter(match: re.Match[str]) -> str:
    word, hour_text = match.group(1).lower(), match.group(3)
    hour = NUMBER_WORDS.get(hour_text.lower()) or int(hour_text)
    if word == "half":
        return f"{hour}:30"
    if match.group(2).lower() == "past":
        return f"{hour}:15"
    return f"{(hour - 2) % 12 + 1}:45"


_REWRITES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # "p.m.", "p. m.", "P.M" → "pm"
    (re.compile(r"\b([ap])\.\s?m\b\.?", re.IGNORECASE), r"\1m"),
    (re.compile(r"\bo\s?'?\s?clock\b", re.IGNORECASE), "o'clock"),
    # ISO with a T: "2026-12-01T09:00" → "2026-12-01 09:00"
    (re.compile(r"\b(\d{4}-\d{2}-\d{2})t(\d)", re.IGNORECASE), r"\1 \2"),
    # "half past five", "quarter to 6"
    (re.compile(rf"\b(half|quarter)\s+(past|to)\s+(\d{{1,2}}|{_HOUR_WORDS})\b", re.IGNORECASE), _quarter),
    # "at five thirty", "five pm", "seven o'clock"
    (
        re.compile(
            rf"\b(?P<lead>(?:at|around|by)\s+)(?P<hour>{_HOUR_WORDS})(?:\s+(?P<minute>{_MINUTE_WORD}))?"
            r"(?:\s*(?P<marker>am|pm|o'clock))?\b" + _NOT_A_DURATION,
            re.IGNORECASE,
        ),
        _hour_words,
    ),
    (
        re.compile(
            rf"\b(?P<lead>)(?P<hour>{_HOUR_WORDS})(?:\s+(?P<minute>{_MINUTE_WORD}))?\s*(?P<marker>am|pm|o'clock)\b",
            re.IGNORECASE,
        ),
        _hour_words,
    ),
    # "2 15 pm", "6 30 am"
    (re.compile(r"\b(\d{1,2})\s+([0-5]\d)\s*(am|pm)\b", re.IGNORECASE), r"\1:\2 \3"),
    # "545 am", "1230pm"
    (re.compile(r"\b(1[0-2]|0?[1-9])([0-5]\d)\s*(am|pm)\b", re.IGNORECASE), r"\1:\2 \3"),
    # "at 6 30", "at 1730", "at 545"
    (re.compile(r"\b(at|around)\s+(\d{1,2})\s+([0-5]\d)\b" + _NOT_A_DURATION, re.IGNORECASE), r"\1 \2:\3"),
    (re.compile(r"\b(at|around)\s+([01]?\d|2[0-3])([0-5]\d)\b" + _NOT_A_DURATION, re.IGNORECASE), r"\1 \2:\3"),
    # "7m" (a recogniser's "7 a.m."), but not "in 7m" (seven minutes)
    (re.compile(r"\b(at|by|around)\s+(1[0-2]|0?[1-9])\s?m\b", re.IGNORECASE), r"\1 \2 am"),
    (re.compile(r"\b(in|for)\s+(\d+)\s?m\b", re.IGNORECASE), r"\1 \2 minutes"),
]


def typed_form(text: str, whole_phrase: bool = False) -> str:
    """`text` with spoken time forms written as typed ones; `whole_phrase` when nothing else is in it."""
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    if whole_phrase:  # a lone "6 30", "1730" or "sat" is a time or a day when the whole text is one
        text = re.sub(r"^\s*(wed|sat|sun)\s*$", r"on \1", text, flags=re.IGNORECASE)
        text = re.sub(r"^\s*(\d{1,2})\s+([0-5]\d)(?=\s|$)" + _NOT_A_DURATION, r"\1:\2", text)
        text = re.sub(r"^\s*([01]?\d|2[0-3])([0-5]\d)\s*$", r"\1:\2", text)
        text = re.sub(r"^\s*(1[0-2]|0?[1-9])\s?m\b", r"\1 am", text, flags=re.IGNORECASE)
    return text


# Patterns, matched on the lower-cased typed form ----------------------------------------------
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|thu|thur|thurs|fri)s?"
_SHORT_DAY = r"(?:wed|sat|sun)"  # words too ("I sat down"): a day only after "on", "next", …
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WORD_ORDINAL = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_COUNT = (
    r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|forty-five|fifty|ninety|half an?|a couple of|a few)"
)
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"

# "6.30" is how speech recognisers (and British English) write 6:30; only next to "am"/"pm" or after
# "at" is it read as a time, so "6.30" alone stays an amount.
TIME = re.compile(
    r"\b(?:(?:at|by|around)\s+)?(?:(?P<noon>noon|midday|midnight)"
    r"|(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>am|pm|o'clock)"
    r"|(?:(?<=at )|(?<=around ))(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?"
    r"|(?P<h3>\d{1,2}):(?P<m3>\d{2}))" + _NOT_A_DURATION + r"(?![:\d])"
)
PART_OF_DAY = re.compile(
    r"\b(?:(?P<this>this)\s+|in\s+the\s+|at\s+)?(?P<part>morning|afternoon|evening|tonight|night)\b"
)
RELATIVE = re.compile(
    rf"\b(?:in\s+(?P<n>{_COUNT})\s+(?P<unit>{_UNIT})(?:\s+time)?"
    rf"|(?P<n2>{_COUNT})\s+(?P<unit2>{_UNIT})\s+(?P<dir>from\s+now|ago))\b"
)
DAY = re.compile(
    r"\b(?:(?:on\s+)?(?P<simple>today|tomorrow|tmrw|tonight|yesterday|(?:the\s+)?day\s+after\s+tomorrow"
    r"|(?:the\s+)?day\s+before\s+yesterday)"
    r"|(?:by\s+)?(?:the\s+)?(?P<edge>end|start|beginning)\s+of\s+(?:the\s+|this\s+)?(?P<edge_next>next\s+)?"
    r"(?P<edge_unit>week|month|year)"
    r"|(?P<span>next\s+week|this\s+weekend|next\s+weekend|next\s+month|next\s+year|the\s+weekend)"
    rf"|(?:(?P<which>this|next|last|coming|on)\s+)?(?P<weekday>{_DAY})(?:\s+(?P<after_next>after\s+next))?"
    rf"|(?P<which2>this|next|last|coming|on)\s+(?P<weekday2>{_SHORT_DAY})"
    rf"|(?:on\s+)?(?P<month2>{_MONTH})\.?\s+(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year2>\d{{4}}))?"
    rf"|(?:on\s+)?(?:the\s+)?(?P<day3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month3>{_MONTH})(?:,?\s+(?P<year3>\d{{4}}))?"
    rf"|(?:on\s+the\s+|the\s+|on\s+)(?P<ordinal>\d{{1,2}}(?:st|nd|rd|th))(?:\s+of\s+(?P<ord_month>the|this|next)\s+month)?"
    rf"|(?:on\s+)?the\s+(?P<word_ordinal>{_WORD_ORDINAL})(?:\s+of\s+(?P<word_month>{_MONTH}|the\s+month|this\s+month|next\s+month))"
    rf"|on\s+the\s+(?P<word_ordinal2>{_WORD_ORDINAL})"
    r"|(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<slash>\d{1,2}/\d{1,2}/\d{4})"
    r"|(?P<dotted>\d{1,2}\.\d{1,2}\.\d{4}))\b"
)
CONNECTORS = frozenset(["next", "this", "last", "coming", "every", "each", "a", "an", "the", "ago", "from", "now"])
PART_HOURS = {"morning": 9, "afternoon": 15, "evening": 18, "tonight": 20, "night": 20}
PART_ENDS = {"morning": 12, "afternoon": 18, "evening": 24, "tonight": 24, "night": 24}
FILLER = frozenset(
    [
        "at",
        "on",
        "by",
        "in",
        "the",
        "due",
        "for",
        "from",
        "starting",
        "of",
        ",",
        "and",
        "around",
        "about",
        "before",
        "after",
        "until",
    ]
)


def count(word: str) -> float:
    """The number in "in <count> minutes": digits, "an", "half an", "twenty", "a couple of"."""
    word = word.strip()
    if word.startswith("half"):
        return 0.5
    if word == "a couple of":
        return 2
    if word == "a few":
        return 3
    if word in ("a", "an"):
        return 1
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)
