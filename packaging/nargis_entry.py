"""The frozen app's entry point: the same `nargis` command the wheel installs."""

import multiprocessing
import sys

from nargis_desktop.cli.main import main

if __name__ == "__main__":
    # A frozen executable re-runs itself for child processes; this stops them at the door.
    multiprocessing.freeze_support()
    sys.exit(main())
