"""The `nargis` console script's `main()` run inside the test process.

The same argument parsing, error edge and exit codes as `.venv/bin/nargis`, without a Python start
and the imports for every command (about half a second each on 2 shared cores). As in the tests'
subprocesses, the environment names the profile and the passphrase, and there is no OS keyring.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping

import keyring
from click.testing import CliRunner
from keyring.backends.fail import Keyring as NoKeyring

from nargis_desktop.cli.main import main


def run_nargis(*args: str, env: Mapping[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`nargis ARGS` with the NARGIS_* variables of `env` only; what a subprocess run would return."""
    overrides: dict[str, str | None] = {name: None for name in os.environ if name.startswith("NARGIS_")}
    overrides.update(env)
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        with CliRunner().isolation(input=stdin, env=overrides) as (stdout, stderr, _mixed):
            code = main(list(args))
        out, err = stdout.getvalue().decode(), stderr.getvalue().decode()
    finally:
        keyring.set_keyring(previous)
    return subprocess.CompletedProcess(["nargis", *args], code, out, err)
