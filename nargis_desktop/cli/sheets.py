"""`nargis sync sheets …`: connect a Google Sheet, sync now, see the status, disconnect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from nargis_desktop.cli.common import CliState, now_option, pass_state
from nargis_desktop.errors import InputError

JOURNAL_WARNING = (
    "Google Sheets is not end-to-end encrypted: Google, and anyone the sheet is shared with, "
    "can read what is in it. Sync your journal to the sheet anyway?"
)
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("sheets")
def sheets_group() -> None:
    """Keep a Google Sheet in step with your tasks, habits, check-ins and reminders, both ways."""


@sheets_group.command("connect")
@click.option(
    "--client-secrets", type=_FILE, help="OAuth client file (Desktop app) from Google Cloud: sign in in the browser."
)
@click.option("--service-account", type=_FILE, help="A service account key file instead of signing in.")
@click.option(
    "--spreadsheet", "spreadsheet_id", help="Use this spreadsheet (its id from the URL); default: create one."
)
@click.option("--include-journal", is_flag=True, help="Also sync the journal (asks first: Sheets is not encrypted).")
@click.option("--yes", is_flag=True, help="Do not ask before syncing the journal.")
@click.option("--endpoint", envvar="NARGIS_SHEETS_ENDPOINT", hidden=True, help="A test server in place of Google.")
@now_option
@pass_state
def connect(
    cli: CliState,
    client_secrets: Path | None,
    service_account: Path | None,
    spreadsheet_id: str | None,
    include_journal: bool,
    yes: bool,
    endpoint: str | None,
) -> None:
    """Sign in to Google and link a spreadsheet (created, laid out, if none is given)."""
    from nargis_desktop.app import sheets_sync
    from nargis_desktop.store.sheets_state import ENDPOINT, SheetsState
    from nargis_desktop.sync.sheets import credentials as google

    if client_secrets and service_account:
        raise InputError("give either --client-secrets or --service-account, not both", code="sheets-two-credentials")
    if include_journal and not yes and not click.confirm(JOURNAL_WARNING, default=False, err=True):
        raise click.Abort
    profile = cli.profile
    secrets = profile.secrets
    creds: dict[str, Any] | None
    if service_account:
        creds = google.service_account(service_account)
    elif client_secrets:
        if not secrets.available():  # check before the browser sign-in, not after
            google.keep(secrets, profile.store.device_id, {})
        creds = google.authorize_installed_app(client_secrets)
    else:
        creds = google.load(secrets, profile.store.device_id) if secrets.available() else None
        if creds is None and endpoint is None:
            raise InputError(
                "sign in with --client-secrets FILE (or give --service-account FILE)", code="sheets-no-credentials"
            )
    sync = sheets_sync(profile, secret_store=secrets, endpoint=endpoint, credentials=creds, now=cli.now)
    sheet_id = sync.connect(spreadsheet_id, include_journal=include_journal)
    if creds is not None:
        google.keep(secrets, profile.store.device_id, creds)
    if endpoint:
        SheetsState(profile.store).set(ENDPOINT, endpoint)
    click.echo(f"connected: https://docs.google.com/spreadsheets/d/{sheet_id}")
    if include_journal:
        click.echo("the journal is synced too (turn it off with disconnect, then connect without --include-journal)")
    click.echo("run `nargis sync sheets now` to sync")


@sheets_group.command("now")
@now_option
@pass_state
def sync_now(cli: CliState) -> None:
    """Sync once, both ways."""
    from nargis_desktop.app import sheets_sync

    result = sheets_sync(cli.profile, now=cli.now).run()
    click.echo("synced: " + result.summary())


@sheets_group.command("status")
@pass_state
def status(cli: CliState) -> None:
    """Which sheet, when it last synced, what waits to go out."""
    from nargis_desktop.app import sheets_sync

    info = sheets_sync(cli.profile).status()
    if not info.connected:
        click.echo("not connected: run `nargis sync sheets connect`")
        return
    click.echo(f"spreadsheet: https://docs.google.com/spreadsheets/d/{info.spreadsheet_id}")
    click.echo(f"journal synced: {'yes' if info.include_journal else 'no'}")
    click.echo(f"last sync: {info.last_sync_at or 'never'}")
    click.echo(f"last result: {info.last_result or '-'}")
    click.echo(f"local changes waiting: {info.pending_local_changes}")
    click.echo(f"conflicts recorded: {info.conflicts}")
    if info.deletions_to_undo:
        click.echo(
            f"deleted because their rows left the sheet: {info.deletions_to_undo} (undo: nargis sync sheets undo)"
        )


@sheets_group.command("undo")
@pass_state
def undo(cli: CliState) -> None:
    """Bring back items deleted because their rows were deleted in the sheet."""
    from nargis_desktop.app import sheets_sync

    count = sheets_sync(cli.profile).undo_deletions()
    click.echo(f"restored {count} items; the next sync puts their rows back")


@sheets_group.command("disconnect")
@pass_state
def disconnect(cli: CliState) -> None:
    """Forget the sheet and the Google sign-in; the sheet and your data stay as they are."""
    from nargis_desktop.app import sheets_sync
    from nargis_desktop.sync.sheets import credentials as google

    sheets_sync(cli.profile).disconnect()
    google.forget(cli.profile.secrets, cli.profile.store.device_id)
    click.echo("disconnected")
