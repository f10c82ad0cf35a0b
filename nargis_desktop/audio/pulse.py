"""The sources and sinks of a PulseAudio (or PipeWire-Pulse) server, asked of `pactl`.

PortAudio reaches such a server only through ALSA's single "pulse" device, so a microphone or
speaker cannot be chosen by name there; the server's own list names them, and a stream opened on
"pulse" is routed to one of them by PULSE_SOURCE / PULSE_SINK.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

_LOGGER = logging.getLogger(__name__)
PACTL_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class PulseDevice:
    name: str
    description: str
    is_source: bool
    is_default: bool
    rate_hz: int | None


def list_pulse_devices() -> list[PulseDevice]:
    """Real sources (monitors of sinks left out) and sinks; empty when there is no server."""
    if shutil.which("pactl") is None:
        return []
    try:
        info = _pactl("info")
        sources = _pactl("list", "sources") or []
        sinks = _pactl("list", "sinks") or []
    except (OSError, subprocess.SubprocessError, ValueError) as err:
        _LOGGER.debug("no PulseAudio server to ask: %s", err)
        return []
    default_source = str(info.get("default_source_name", "")) if isinstance(info, dict) else ""
    default_sink = str(info.get("default_sink_name", "")) if isinstance(info, dict) else ""
    found = [
        _device(entry, is_source=True, default=default_source)
        for entry in sources
        if isinstance(entry, dict) and _listed_source(entry, default_source)
    ]
    found += [_device(entry, is_source=False, default=default_sink) for entry in sinks if isinstance(entry, dict)]
    return found


def _listed_source(entry: dict[str, object], default: str) -> bool:
    """A sink's monitor is what the speaker plays, not a microphone: listed only when it is the default."""
    monitor_of = entry.get("monitor_of_sink")
    return monitor_of in (None, "", "n/a") or entry.get("name") == default


def _device(entry: dict[str, object], *, is_source: bool, default: str) -> PulseDevice:
    spec = str(entry.get("sample_specification", ""))
    rate = next((int(part[:-2]) for part in spec.split() if part.endswith("Hz") and part[:-2].isdigit()), None)
    name = str(entry.get("name", ""))
    return PulseDevice(name, str(entry.get("description", "")), is_source, name == default, rate)


def _pactl(*args: str) -> Any:
    """pactl's answer as JSON (a dict for `info`, a list of dicts for the listings)."""
    result = subprocess.run(
        ["pactl", "--format=json", *args], capture_output=True, text=True, timeout=PACTL_TIMEOUT_S, check=True
    )
    return json.loads(result.stdout or "null")
