"""The `nargis` entry point: parse arguments, run one command, turn errors into plain words."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from nargis_desktop import __version__
from nargis_desktop.cli.common import CliState
from nargis_desktop.errors import CrashError, InputError, StoreError, as_nargis_error, user_message

# Each command's module is imported only when that command runs, so `nargis models list`
# does not pay for the store and `nargis task list` does not pay for the model manager.
COMMANDS = {
    "task": "nargis_desktop.cli.tasks:task_group",
    "habit": "nargis_desktop.cli.habits:habit_group",
    "journal": "nargis_desktop.cli.journal:journal_group",
    "reminder": "nargis_desktop.cli.reminders:reminder_group",
    "ask": "nargis_desktop.cli.ask:ask",
    "listen": "nargis_desktop.cli.voice:listen",
    "transcribe": "nargis_desktop.cli.voice:transcribe",
    "say": "nargis_desktop.cli.voice:say",
    "devices": "nargis_desktop.cli.voice:devices",
    "voice": "nargis_desktop.cli.voice:voice",
    "today": "nargis_desktop.cli.data:today",
    "stats": "nargis_desktop.cli.stats:stats_group",
    "export": "nargis_desktop.cli.data:export",
    "import": "nargis_desktop.cli.data:import_file",
    "backup": "nargis_desktop.cli.data:backup",
    "restore": "nargis_desktop.cli.data:restore",
    "models": "nargis_desktop.cli.models:models_group",
    "doctor": "nargis_desktop.cli.doctor:doctor",
    "sync": "nargis_desktop.cli.sync:sync_group",
    "demo": "nargis_desktop.cli.demo:demo",
    "app": "nargis_desktop.cli.demo:app",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nargis")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens to standard error.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Nargis: your tasks, habits, journal and reminders, encrypted on this device.

    Without a command it opens the app. Data lives in the platform's data folder, or in
    $NARGIS_HOME when set. The store key is kept in the OS keyring; where there is none, set
    NARGIS_PASSPHRASE.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")
    ctx.ensure_object(CliState).verbose = verbose  # errors then carry their stable code
    if ctx.invoked_subcommand is None:  # plain `nargis` opens the app (the demo where there is no display)
        app = cli.get_command(ctx, "app")
        assert app is not None
        ctx.invoke(app)


def main(argv: list[str] | None = None) -> int:
    state = CliState()
    try:
        # Without standalone mode click answers `raise Exit(n)` by returning n: that is the exit code.
        code = cli.main(args=argv, prog_name="nargis", standalone_mode=False, obj=state)
        return code if isinstance(code, int) and not isinstance(code, bool) else 0
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except UnicodeError as err:  # bytes that are not UTF-8 in an argument or on standard input
        bad = InputError(
            "the input holds bytes that are not valid UTF-8 text; check the terminal's or the file's encoding",
            code="bad-encoding",
        )
        bad.__cause__ = err
        click.echo(user_message(bad), err=True)
        return bad.exit_code
    except Exception as err:  # the CLI's edge: every error becomes words here, never a traceback
        known = as_nargis_error(err)
        if known is None and type(err).__module__.startswith("sqlcipher3"):
            where = state.store_path() or "the store"
            known = StoreError(f"{where} is damaged or unreadable: {err}; run `nargis doctor`", code="store-damaged")
        if known is None:
            return _crashed(err, argv if argv is not None else sys.argv[1:])
        from nargis_desktop.cli.render import printable

        click.echo(printable(user_message(known, with_code=state.verbose)), err=True)  # may quote what was typed
        return known.exit_code
    finally:
        state.close()


def _crashed(error: Exception, command: list[str]) -> int:
    """An error Nargis did not expect: the traceback goes to a report file; the person reads where."""
    from nargis_desktop.config import ProfilePaths
    from nargis_desktop.crash_report import write_crash_report

    report = write_crash_report(error, ProfilePaths.from_environment().crash_reports_dir, command=command)
    where = f"a report is in {report}" if report else "no report could be written"
    crash = CrashError(f"Nargis hit an unexpected problem ({type(error).__name__}: {error}); {where}")
    click.echo(user_message(crash), err=True)
    return crash.exit_code


if __name__ == "__main__":
    sys.exit(main())
