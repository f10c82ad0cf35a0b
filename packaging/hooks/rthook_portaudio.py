"""Runtime hook: let sounddevice find the PortAudio library shipped inside the bundle.

sounddevice asks ctypes.util.find_library("portaudio"), which only looks at the system. The
system's copy is preferred (it matches the local sound setup); the bundled one is the fallback
for machines that have none.
"""

import ctypes.util
import os
import sys

_system_find_library = ctypes.util.find_library


def _find_library(name):
    found = _system_find_library(name)
    if found is None and name == "portaudio":
        bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")
        if os.path.exists(bundled):
            return bundled
    return found


ctypes.util.find_library = _find_library
