"""Nargis: a local-first voice assistant for tasks, habits, journal and reminders."""

import os as _os

__version__ = "0.1.0"

# Before anything loads NumPy: its OpenBLAS threads spin against each other on small matrices
# (a spoken command is a dozen tokens through MiniLM): one thread classifies a command in ~20 ms
# on a busy two-core machine, two threads in ~240 ms. A person's own setting wins.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
