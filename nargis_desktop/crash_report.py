"""A crash report: what failed, written to a file, so no traceback reaches a person's screen."""

from __future__ import annotations

import platform
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from nargis_desktop import __version__


def write_crash_report(error: BaseException, folder: Path, *, command: list[str]) -> Path | None:
    """The report's path (in the temporary folder when `folder` cannot be written); None if neither can."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(
        [
            f"Nargis {__version__} crashed at {datetime.now().isoformat(timespec='seconds')}\n",
            f"Python {platform.python_version()} on {platform.platform()}\n",
            f"Command: nargis {_without_values(command)}\n\n",
            *traceback.format_exception(error),
        ]
    )
    for where in (folder, Path(tempfile.gettempdir())):
        try:
            where.mkdir(parents=True, exist_ok=True)
            report = where / f"nargis-crash-{stamp}-{id(error):x}.txt"
            report.write_text(text, encoding="utf-8")
            return report
        except OSError:
            continue
    return None


def _without_values(command: list[str]) -> str:
    """The command and the options given, never their values: those may be what a person wrote."""
    words = [arg.split("=", 1)[0] for arg in command if arg.startswith("-")]
    first = next((arg for arg in command if not arg.startswith("-")), "")
    return " ".join([first, *words, "(values left out)"]).strip()
