"""The phrase table: how people say when, as they would say it after "remind me to take my pills …".

Shared by the entry-point test (tests/test_time_entry_points.py) and its benchmark
(benchmarks/bench_time_phrases.py). Each phrase is run at every reference clock.
"""

from __future__ import annotations

from datetime import datetime

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Reference clocks: (name, now, time zone). The zone matters only for "in 90 minutes" across a change.
CLOCKS = (
    ("morning", datetime(2026, 11, 25, 7, 10), "UTC"),
    ("evening", datetime(2026, 11, 25, 20, 30), "UTC"),
    ("just before midnight", datetime(2026, 11, 25, 23, 58), "UTC"),
    ("month end", datetime(2026, 11, 30, 10, 16), "UTC"),
    ("year end", datetime(2026, 12, 31, 23, 30), "UTC"),
    ("february 29", datetime(2028, 2, 29, 9, 0), "UTC"),
    ("spring forward", datetime(2026, 3, 29, 0, 30), "Europe/London"),
    ("fall back", datetime(2026, 10, 25, 0, 45), "Europe/London"),
)


def _phrases() -> list[str]:
    said: list[str] = []
    said += [f"at {h}{ap}" for h in range(1, 13) for ap in ("am", "pm")]
    said += ["at 6:30 am", "at 7:45pm", "at 12:15 pm", "at 11:59 pm", "at 12:30am", "at 1:05 pm"]
    said += [f"at {h}" for h in range(1, 13)]
    said += [f"at {h}:15" for h in range(1, 13)]
    said += ["at 00:30", "at 07:00", "at 13:00", "at 17:45", "at 21:10", "at 23:59"]
    said += ["at 6 30", "at 545 am", "at 7m", "at 9 p.m.", "at 2 15 p.m.", "at five thirty", "at half past seven"]
    said += ["at quarter to six", "at 1730", "at 11 a.m."]
    said += ["at noon", "at midnight", "tomorrow at noon", "tomorrow at midnight"]
    said += ["tonight", "this evening", "this afternoon", "this morning", "in the morning", "tomorrow morning"]
    said += ["tomorrow evening", "tomorrow afternoon", "friday evening", "tonight at 11", "at 7 in the evening"]
    said += ["at 8 tonight"]
    said += ["today", "tomorrow", "the day after tomorrow"]
    said += [f"on {day}" for day in WEEKDAYS]
    said += [f"next {day}" for day in WEEKDAYS]
    said += ["this friday", "this sunday", "this monday", "coming friday"]
    said += [f"on {day} at {h}pm" for day, h in zip(WEEKDAYS, (1, 2, 3, 4, 5, 6, 7), strict=True)]
    said += [f"next {day} morning" for day in WEEKDAYS]
    said += ["next week", "next month", "next year", "this weekend", "next weekend", "end of the week"]
    said += [
        "end of the month",
        "end of next month",
        "end of the year",
        "start of next month",
        "by the end of the month",
    ]
    said += ["on the 1st", "on the 2nd", "on the 15th", "on the 28th", "on the 29th", "on the 30th", "on the 31st"]
    said += ["the 15th of next month", "on the fifth of december"]
    said += ["on december 3", "dec 25", "on january 1st", "on feb 28", "on feb 29", "on march 31", "on 3 march"]
    said += ["on the 4th of july", "on april 30", "on june 1st at 9am", "on march 15 2030", "on 2030-02-28"]
    said += ["on 2032-02-29"]
    said += ["in 5 minutes", "in 20 minutes", "in 90 minutes", "in an hour", "in 2 hours", "in half an hour"]
    said += ["in 1.5 hours", "in 3 days", "in a week", "in 2 weeks", "in a month", "in a year", "in twenty minutes"]
    said += ["an hour from now", "in 3 days at 5pm", "in a week at 9am"]
    said += ["tomorrow at 5", "tomorrow at 8", "tomorrow at 5pm", "tomorrow 17:00", "5pm tomorrow"]
    said += ["at 9:30pm tomorrow", "next friday at 9", "monday at 10am", "on the 15th at 3pm", "dec 24 at 6pm"]
    said += ["at 7am on monday", "the day after tomorrow at 10", "at 4 in the afternoon", "tomorrow at 6:45am"]
    said += ["on sunday at noon", "in 45 minutes", "in 10 days", "on the 20th", "at 10 o'clock", "at ten pm"]
    # the past: a reminder is refused; impossible dates: refused, naming the words
    said += ["yesterday", "yesterday at 5", "last friday", "3 days ago", "2 hours ago", "on 2020-01-01"]
    said += ["on december 32", "on february 30", "at 25:00", "at 13pm", "on the 32nd", "on feb 29 2027"]
    return said


PHRASES = tuple(_phrases())
