"""Lost endings: does the short-window decode keep the last words that whisper's full 30 s decode keeps?

    .venv/bin/python -m benchmarks.bench_lost_endings [--voices N] [--part tuning|held-out|fresh|all]

Long commands that end in the part that matters (a date, a time, a repeat), said by every voice of
bench_asr (Piper, espeak-ng variants, Festival's diphone voice), clean. For each, whisper tiny.en
decodes the audio twice: the way Nargis does (a short window fitted to the audio, with its own
checks for a cut-off text and a fall-back to the full window), and through faster-whisper's own
30 s windows. A command "lost its ending" when one of the full decode's last two words that are
also in what was said is missing from the short decode. A third of the commands (by a hash of the
text, `asr_voices.held_out`) is never looked at while tuning the checks, and a second held-out
part (`FRESH_COMMANDS`) was written after the first one's failures had been read; for the held-out
parts only totals are printed, never the texts.

Also reported: how often the short path fell back to the full window (what a lost-ending check
costs in latency), and the short path's median decode time.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.asr_voices import VOICES, held_out, whisper_and_voices, words

LONG_COMMANDS = [
    # reminders ending in a time
    "remind me to call the insurance company about the car accident claim next tuesday at 4:30 pm",
    "remind me to take the blue recycling bin out to the street every thursday at 7 pm",
    "remind me to water the tomatoes and the roses in the back garden tomorrow evening at 6:45",
    "remind me to book a table for four at the italian restaurant on december 12th at 8 pm",
    "remind me to pick up the kids from their swimming lesson at the leisure centre on friday at 5:15",
    "remind me to send the signed contract back to the landlord before the end of the week at noon",
    "remind me to renew my passport because it runs out in march on the first of february at 9 am",
    "remind me to ask the dentist about the sensitive tooth on the left side on monday at 10:30",
    "remind me to move the car before the street cleaning starts tomorrow morning at 7:45",
    "remind me to phone grandma and wish her a happy birthday on saturday afternoon at 3",
    "remind me to check whether the parcel from the online shop has arrived this evening at 6",
    "remind me to transfer the money for the holiday cottage to my sister next wednesday at 11 am",
    # tasks ending in a date
    "add a task to pick up the dry cleaning and the birthday cake for anna on saturday morning at 10",
    "add prepare the slides for the quarterly review meeting with the marketing team due next friday at noon",
    "add a task to clean out the garage and take the old paint tins to the tip on sunday",
    "add write the thank you cards for everyone who came to the wedding by the end of the month",
    "add a task to compare the electricity tariffs and switch to a cheaper one before the 15th",
    "add fix the dripping tap in the upstairs bathroom and replace the washer next weekend",
    "add a task to order new running shoes and a water bottle for the half marathon on tuesday",
    "add read the two chapters of the statistics book for the study group on thursday evening",
    "add a high priority task to finish the tax return and send it to the accountant by friday",
    "add a task to return the library books about italian cooking before they are due on the 3rd",
    # repeats and habits at the end
    "remind me to take my vitamins and drink a big glass of water every morning at 8",
    "remind me to stretch my back and shoulders for ten minutes every weekday at 3 pm",
    "remind me to water the house plants in the living room and the kitchen every other day at 7",
    "remind me to pay the rent to the landlord on the first day of every month at 9 am",
    "add a task to back up the photos from my phone to the external drive every sunday",
    "remind me to put the bins out for the collection on the last friday of every month",
    # edits and moves ending in the new time
    "move the reminder about calling the plumber about the leaking boiler to tomorrow at 2 pm",
    "change the dentist appointment reminder from tuesday morning to thursday at half past four",
    "push back the reminder to collect the prescription from the pharmacy by two hours",
    "reschedule the task about booking the flights for the summer holiday to next monday",
    # statements and journal with the key word last
    "new journal entry today was long but i finally finished the report and went for a walk",
    "i went for a long run along the river with my neighbour this morning before work yesterday",
    "journal the meeting with the new manager went better than i expected and i feel relieved",
    "check off my evening meditation and my reading habits for yesterday and the day before",
]

# Written on 2026-12-01, before any change this session, and never looked at while tuning: a second
# held-out part, since the first one's single failure had been seen (session 7's note). Only its
# totals are read.
FRESH_COMMANDS = [
    "remind me to call the vet about the dog's vaccination booster on thursday at 11:15",
    "remind me to take the lasagne out of the freezer so it can thaw tomorrow afternoon at 2",
    "remind me to message the group chat about the football tickets tonight at 9:30",
    "remind me to collect my coat from the tailor on the high street next saturday at 10 am",
    "remind me to check the oil and the tyre pressure before the long drive on sunday at 8",
    "remind me to pay the gas bill and the council tax at the end of the month at 6 pm",
    "remind me to bring the camping chairs back to my brother when i see him on friday at 7",
    "remind me to print the boarding passes for the flight to lisbon on wednesday at 6:30 am",
    "remind me to ring the school office about the parents evening appointment monday at 1",
    "remind me to start the slow cooker for the beef stew on saturday morning at 9:45",
    "add a task to sort out the winter clothes and donate the old ones to the charity shop by sunday",
    "add a task to email the wedding photographer about the deposit before next thursday",
    "add a task to repaint the garden fence and the shed door on the bank holiday weekend",
    "add call the bank about the strange payment on my credit card statement tomorrow morning",
    "add a task to fill in the school trip consent form and return it by wednesday",
    "add a task to get quotes from three builders for the kitchen extension next month",
    "add a task to defrost the freezer and throw away anything out of date on saturday",
    "add a high priority task to renew the car insurance before it runs out on the 20th",
    "remind me to water the hanging baskets at the front of the house every evening at 8",
    "remind me to do my physiotherapy exercises for my knee every monday and thursday at 6",
    "remind me to take the bins out for the garden waste collection every other tuesday",
    "remind me to call my aunt in australia on the second sunday of every month at 10 am",
    "move the reminder about the team lunch at the new thai place to friday at half past twelve",
    "reschedule the task about cleaning the gutters and the drainpipes to the weekend after next",
    "change the reminder to buy flowers for our anniversary to the day before at 5 pm",
    "new journal entry the new puppy kept us awake half the night but she is settling in now",
    "journal i spoke to my sister for an hour and we finally sorted out the plans for christmas",
    "i did my yoga and my evening walk around the park with the dog the day before yesterday",
]


def spoken_words(text: str) -> list[str]:
    """`asr_voices.words`, with "5:15", "5.15", "5 15" and "515" one word, "7 pm" and "7pm" one word:
    how a time is written is not a lost ending."""
    text = re.sub(r"(\d)[:.](\d)", r"\1\2", text.lower())
    joined = " ".join(words(text))
    joined = re.sub(r"(\d)\s+(?=\d)", r"\1", joined)
    joined = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", joined)
    return joined.split()


def lost_ending(said: str, short: str, full: str) -> bool:
    reference, short_words = spoken_words(said), spoken_words(short)
    kept_by_full = [w for w in spoken_words(full)[-2:] if w in reference]
    return any(w not in short_words for w in kept_by_full)


class FallBacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "whole 30 s window" in record.getMessage():
            self.count += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", type=int, default=0, help="only the first N voices (0: all)")
    parser.add_argument("--part", choices=("tuning", "held-out", "fresh", "all"), default="all")
    args = parser.parse_args()

    from nargis_desktop.models.engines.whisper_stt import WhisperSpeechToText

    fell_back = FallBacks()
    logging.getLogger("nargis_desktop.models.engines.whisper_stt").addHandler(fell_back)
    logging.getLogger("nargis_desktop.models.engines.whisper_stt").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        whisper_dir, synth = whisper_and_voices(root)
        short_paths = {"short window": WhisperSpeechToText(whisper_dir)}
        full_path = WhisperSpeechToText(whisper_dir, word_timings=True)  # word timings force the 30 s windows
        for stt in [*short_paths.values(), full_path]:
            stt.load()
        voices = [v for v in VOICES if v.available()]
        voices = voices[: args.voices] if args.voices else voices
        parts = ("tuning", "held-out", "fresh") if args.part == "all" else (args.part,)
        report: dict[str, Any] = {
            "commands": len(LONG_COMMANDS) + len(FRESH_COMMANDS),
            "voices": [v.name for v in voices],
            "parts": {},
        }
        for part in parts:
            commands = (
                FRESH_COMMANDS if part == "fresh" else [c for c in LONG_COMMANDS if held_out(c) == (part == "held-out")]
            )
            heard = [(voice, said, synth.speech(voice, said, None)) for voice in voices for said in commands]
            full = [full_path.transcribe(pcm16).text for _, _, pcm16 in heard]
            report["parts"][part] = {"decodes": len(heard)}
            for name, stt in short_paths.items():
                by_voice = {v.name: 0 for v in voices}
                before = fell_back.count
                seconds: list[float] = []
                examples: list[dict[str, str]] = []
                for (voice, said, pcm16), kept in zip(heard, full, strict=True):
                    started = time.perf_counter()
                    short = stt.transcribe(pcm16).text
                    seconds.append(time.perf_counter() - started)
                    if lost_ending(said, short, kept):
                        by_voice[voice.name] += 1
                        if part == "tuning" and len(examples) < 8:  # held-out texts stay unread
                            examples.append({"voice": voice.name, "short": short, "full": kept})
                report["parts"][part][name] = {
                    "lost_endings": sum(by_voice.values()),
                    "by_voice": by_voice,
                    "fell_back_to_full_window": fell_back.count - before,
                    "decode_ms_p50": round(statistics.median(seconds) * 1000, 1),
                    "examples": examples,
                }
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
