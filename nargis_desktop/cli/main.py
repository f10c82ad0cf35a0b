"""The `nargis` entry point: parse arguments, run one command, turn errors into plain words."""

from __future__ import annotations

import logging
import sys

import click

from nargis_desktop import __version__
from nargis_desktop.cli.common import CliState
from nargis_desktop.cli.data import backup, export, import_file, restore, today
from nargis_desktop.cli.demo import app, demo
from nargis_desktop.cli.doctor import doctor
from nargis_desktop.cli.habits import habit_group
from nargis_desktop.cli.journal import journal_group
from nargis_desktop.cli.models import models_group
from nargis_desktop.cli.reminders import reminder_group
from nargis_desktop.cli.tasks import task_group
from nargis_desktop.errors import NargisError, StoreError, user_message


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nargis")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens to standard error.")
def cli(verbose: bool) -> None:
    """Nargis: your tasks, habits, journal and reminders, encrypted on this device.

    Data lives in the platform's data folder, or in $NARGIS_HOME when set. The store key is
    kept in the OS keyring; where there is none, set NARGIS_PASSPHRASE.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")


for command in (
    task_group,
    habit_group,
    journal_group,
    reminder_group,
    today,
    export,
    import_file,
    backup,
    restore,
    doctor,
    demo,
    app,
    models_group,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    state = CliState()
    try:
        cli.main(args=argv, prog_name="nargis", standalone_mode=False, obj=state)
        return 0
    except NargisError as err:
        click.echo(user_message(err), err=True)
        return err.exit_code
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except Exception as err:
        if type(err).__module__.startswith("sqlcipher3"):
            where = state.store_path() or "the store"
            damaged = StoreError(f"{where} is damaged or unreadable: {err}; run `nargis doctor`", code="store-damaged")
            click.echo(user_message(damaged), err=True)
            return damaged.exit_code
        raise
    finally:
        state.close()


if __name__ == "__main__":
    sys.exit(main())
