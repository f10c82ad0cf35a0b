"""`nargis sync login|now|status|devices|revoke|logout|conflicts`: sync this device with a Nargis sync server.

`nargis sync sheets …` (Google Sheets) is in `cli/sheets.py`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from nargis_desktop.cli.common import CliState, pass_state
from nargis_desktop.errors import InputError

if TYPE_CHECKING:
    from nargis_desktop.sync.account import SessionVault
    from nargis_desktop.sync.client import SyncBackend

PASSWORD_ENV = "NARGIS_SYNC_PASSWORD"
PHRASE_ENV = "NARGIS_SYNC_PHRASE"
_PHRASE_WARNING = (
    "Write this recovery phrase down and keep it somewhere safe. It is the only key to your synced data:\n"
    "the server cannot read your data and cannot reset the phrase. Every new device needs it. If you\n"
    "lose it, your devices keep their data, but no new device can join: you would start a new account."
)


def _vault(state: CliState) -> SessionVault:
    from nargis_desktop.sync.account import SessionVault

    return SessionVault(state.profile.store, state.profile.secrets)


class _SyncGroup(click.Group):
    """`nargis sync sheets …` lives in its own module, imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), "sheets"]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "sheets":
            from nargis_desktop.cli.sheets import sheets_group

            return sheets_group
        return super().get_command(ctx, cmd_name)


@click.group("sync", cls=_SyncGroup)
def sync_group() -> None:
    """Sync tasks, habits, journal and reminders between your devices, end-to-end encrypted."""


@sync_group.command("login")
@click.argument("url")
@click.option("--email", prompt=True, help="Your account's email address.")
@click.option("--register", is_flag=True, help="Create the account (the first device).")
@click.option("--phrase", help=f"The recovery phrase (joining device); or set ${PHRASE_ENV}.")
@pass_state
def login(state: CliState, url: str, email: str, register: bool, phrase: str | None) -> None:
    """Log this device in to the sync server at URL (http://host:port)."""
    from nargis_desktop.sync import account
    from nargis_desktop.sync.crypto import new_recovery_phrase

    if not url.startswith(("http://", "https://")):
        raise InputError(f"{url!r} is not a server address such as https://sync.example.org", code="bad-url")
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=register, err=True
    )
    phrase = phrase or os.environ.get(PHRASE_ENV)
    if register and not phrase:
        phrase = new_recovery_phrase()
        click.echo(_PHRASE_WARNING + "\n\n    " + phrase + "\n")
    elif not phrase:
        phrase = click.prompt("Recovery phrase (from your first device)", err=True)
    assert phrase is not None
    joined = account.join(state.profile.store, _vault(state), url, email, password, phrase, register=register)
    click.echo(f"logged in to {joined.url} as {joined.email}; run `nargis sync now` to sync")


@sync_group.command("now")
@pass_state
def now(state: CliState) -> None:
    """Push this device's changes and pull everyone else's."""
    from nargis_desktop.app import sync_service
    from nargis_desktop.errors import SyncOfflineError
    from nargis_desktop.store.sync_state import pending_count

    service = sync_service(state.profile)
    try:
        report = service.sync_now()
    except SyncOfflineError as err:
        err.message = f"offline, {pending_count(state.profile.store)} changes waiting: {err.message}"
        raise
    click.echo(f"synced: sent {report.pushed} changes, received {report.received}")
    if report.set_aside:
        click.echo(f"{report.set_aside} changes from other devices could not be used; see `nargis sync status`")


@sync_group.command("status")
@pass_state
def status(state: CliState) -> None:
    """Whether this device syncs, with which server, and how many changes wait to be sent."""
    from nargis_desktop.sync.service import status as sync_status

    click.echo(sync_status(state.profile.store).describe())


@sync_group.command("devices")
@pass_state
def devices(state: CliState) -> None:
    """The devices of this account: id, name, when it joined, and whether it was removed."""
    from nargis_desktop.cli.render import printable

    backend = _backend(state)
    own = state.profile.store.device_id
    for device in backend.devices():
        marks = (" (this device)" if device.device_id == own else "") + (" (removed)" if device.revoked else "")
        click.echo(f"{device.device_id}  {printable(device.name) or '-'}  joined {device.created_at}{marks}")


@sync_group.command("revoke")
@click.argument("device_id")
@pass_state
def revoke(state: CliState, device_id: str) -> None:
    """Remove DEVICE_ID from the account (a lost device, or one that sends changes nobody can read)."""
    import re

    if not re.fullmatch(r"[0-9a-f]{8,32}", device_id):
        raise InputError(f"{device_id!r} is not a device id (see `nargis sync devices`)", code="bad-device-id")
    if device_id == state.profile.store.device_id:
        raise InputError("that is this device; to stop syncing here use `nargis sync logout`", code="bad-device-id")
    _backend(state).revoke(device_id)
    click.echo(f"removed device {device_id}: it can no longer sync with this account")


def _backend(state: CliState) -> SyncBackend:
    from nargis_desktop.app import sync_service

    return sync_service(state.profile).backend


@sync_group.command("logout")
@pass_state
def logout(state: CliState) -> None:
    """End this device's session and forget the server; your data stays on this device."""
    import contextlib

    from nargis_desktop.app import sync_service
    from nargis_desktop.errors import SyncError
    from nargis_desktop.sync import account

    with contextlib.suppress(SyncError):  # offline or already revoked: forgetting locally is what matters
        sync_service(state.profile).backend.logout()
    account.forget(state.profile.store, _vault(state))
    click.echo("logged out; the data stays on this device")


@sync_group.command("conflicts")
@pass_state
def conflicts(state: CliState) -> None:
    """Journal entries edited on two devices at once: the other version of each, kept for you."""
    from nargis_desktop.cli.render import printable
    from nargis_desktop.store.sync_state import journal_conflicts

    found = journal_conflicts(state.profile.store)
    if not found:
        click.echo("no journal conflicts")
    for conflict in found:
        click.echo(printable(f"{conflict.entry_id[:8]}  from device {conflict.device_id}: {conflict.text}"))
