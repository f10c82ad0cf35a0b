"""`nargis models …`"""

from __future__ import annotations

import json

import click

from nargis_desktop.config import ProfilePaths


@click.group("models")
def models_group() -> None:
    """See which speech, language and voice models are known and installed."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_models(as_json: bool) -> None:
    """Every model in models.toml (and your own manifest) with its state."""
    from nargis_desktop.models.catalog import status
    from nargis_desktop.models.manifest import load_all

    paths = ProfilePaths.from_environment()
    rows = [status(e, paths.models_dir) for e in load_all(paths.config_dir / "models.toml").values()]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.entry.id,
                        "role": r.entry.role,
                        "engine": r.entry.engine,
                        "state": r.state,
                        "size_bytes": r.entry.size_bytes or None,
                        "verified": r.entry.verified,
                        "path": str(r.location) if r.location else None,
                        "pypi_package": r.entry.pypi_package,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    for r in sorted(rows, key=lambda r: (r.entry.role, r.entry.id)):
        size = f"{r.entry.size_bytes / 2**20:.0f} MiB" if r.entry.size_bytes else "size ?"
        click.echo(f"{r.entry.role:<10} {r.entry.id:<20} {r.state:<10} {size:<9} {r.entry.description}")
