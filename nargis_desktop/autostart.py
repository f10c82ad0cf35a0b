"""Start Nargis hidden in the tray when the person logs in (the XDG autostart folder on Linux).

The Settings page turns it on and off; the file names the running executable, so a bundle,
a Flatpak and a pip install each start themselves.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from nargis_desktop.errors import NargisError

APP_ID = "io.nargis.Nargis"


def is_supported() -> bool:
    return sys.platform.startswith("linux")


def autostart_file(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    config_home = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "autostart" / f"{APP_ID}.desktop"


def launch_command() -> list[str]:
    """How to start this same Nargis again: the frozen executable, the Flatpak, or the script."""
    if os.environ.get("FLATPAK_ID") == APP_ID:
        return ["flatpak", "run", APP_ID]
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = shutil.which("nargis")
    return [script] if script else [sys.executable, "-m", "nargis_desktop"]


def _exec_line(arguments: list[str]) -> str:
    # The desktop entry spec quotes with double quotes and escapes ", `, $ and \ inside them.
    def quote(argument: str) -> str:
        if argument and not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
            return argument
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        return f'"{escaped}"'

    return " ".join(quote(argument) for argument in arguments)


def enable(command: list[str] | None = None, environ: dict[str, str] | None = None) -> Path:
    """Write the autostart entry; returns its path."""
    if not is_supported():
        raise NargisError("starting at login is only set up on Linux so far", code="autostart-unsupported")
    target = autostart_file(environ)
    arguments = [*(command or launch_command()), "app", "--tray"]
    entry = "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=Nargis",
            "Comment=Start Nargis hidden in the tray",
            f"Exec={_exec_line(arguments)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(entry, encoding="utf-8")
    partial.replace(target)  # never a half-written entry for the session manager to read
    return target


def disable(environ: dict[str, str] | None = None) -> bool:
    """Remove the autostart entry; False when there was none."""
    target = autostart_file(environ)
    if not target.exists():
        return False
    target.unlink()
    return True


def is_enabled(environ: dict[str, str] | None = None) -> bool:
    return autostart_file(environ).exists()
