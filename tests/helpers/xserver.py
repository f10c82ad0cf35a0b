"""A virtual X display (Xvfb) with a window manager (openbox) where installed, as a desktop has."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def x_display(size: str = "1280x800x24") -> Iterator[str]:
    """The display name (":N") of a fresh Xvfb, with openbox managing its windows when it is installed."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = f":{pipe.readline().strip()}"  # Xvfb writes its display number once it is ready
    manager = None
    if shutil.which("openbox"):
        manager = subprocess.Popen(
            ["openbox", "--sm-disable"], env={**os.environ, "DISPLAY": display}, stderr=subprocess.DEVNULL
        )
    try:
        yield display
    finally:
        if manager is not None:
            manager.terminate()
            manager.wait(10)
        server.terminate()
        server.wait(10)
