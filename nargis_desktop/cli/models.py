"""`nargis models …`: list, pull, verify, remove, use and add models."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import click

from nargis_desktop.config import ProfilePaths
from nargis_desktop.errors import ModelError


def _manager() -> Any:
    from nargis_desktop.models.manager import ModelManager

    return ModelManager(ProfilePaths.from_environment())


def _size(manager: Any, status: Any, ask_servers: bool) -> str:
    """The download's size (the manifest's, or what a server said), or why it is not known yet."""
    if status.state != "missing":
        return ""
    size = manager.sizes.look_up(status.entry) if ask_servers else manager.sizes.known(status.entry)
    if size is None:
        return "size not listed (--sizes asks the server)"
    return str(size.describe())


@click.group("models")
def models_group() -> None:
    """See, download, check and choose the speech, language and voice models."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--sizes", "ask_servers", is_flag=True, help="Ask the servers (HTTP HEAD) for sizes models.toml lacks.")
def list_models(as_json: bool, ask_servers: bool) -> None:
    """Every model in models.toml (and your own manifest): installed, bundled, sideloaded or missing,
    with the size of each download and the language of models not in yours."""
    from nargis_desktop.models.manifest import language_name

    manager = _manager()
    statuses = manager.statuses()
    chosen, language = manager.chosen(), manager.language()
    if as_json:
        rows = [
            {
                "id": s.entry.id,
                "role": s.entry.role,
                "engine": s.entry.engine,
                "language": s.entry.language,
                "state": s.state,
                "size_bytes": _known_bytes(manager, s.entry, ask_servers),
                "verified": s.entry.verified,
                "path": str(s.path) if s.path else None,
                "pypi_package": s.entry.pypi_package,
                "chosen": chosen.get(s.entry.role) == s.entry.id,
                "license": s.entry.license,
            }
            for s in statuses
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for s in sorted(statuses, key=lambda s: (s.entry.role, s.entry.id)):
        mark = "*" if chosen.get(s.entry.role) == s.entry.id else " "
        other = "" if s.entry.speaks(language) else f"[{language_name(s.entry.language)}] "
        size = _size(manager, s, ask_servers)
        click.echo(
            f"{mark} {s.entry.role:<9} {s.entry.id:<20} {s.state:<10} {size + '  ' if size else ''}"
            f"{other}{s.entry.description}"
        )


def _known_bytes(manager: Any, entry: Any, ask_servers: bool) -> int | None:
    size = manager.sizes.look_up(entry) if ask_servers else manager.sizes.known(entry)
    return None if size is None else size.total_bytes


@models_group.command("pull")
@click.argument("model_id")
@click.option("--trust-unverified", is_flag=True, help="Install even though models.toml has no SHA-256 for it.")
def pull(model_id: str, trust_unverified: bool) -> None:
    """Download a model (resuming an interrupted download), verify it and install it."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}
    cancel = threading.Event()

    def show(name: str, progress: Any) -> None:
        bar = bars.get(name)
        if bar is None:
            bar = bars[name] = tqdm(
                total=progress.total_bytes,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=name,
                initial=0,
                leave=True,
            )
        bar.total = progress.total_bytes
        bar.n = progress.done_bytes
        bar.refresh()

    try:
        status = _manager().pull(model_id, trust_unverified=trust_unverified, progress=show, cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        raise ModelError(
            "download interrupted; run the same command again to resume", code="download-cancelled"
        ) from None
    finally:
        for bar in bars.values():
            bar.close()
    click.echo(f"{model_id} is {status.state}: {status.path}")


@models_group.command("verify")
@click.argument("model_id", required=False)
def verify(model_id: str | None) -> None:
    """Hash installed models again and compare (all installed ones when no ID is given)."""
    manager = _manager()
    ids = [model_id] if model_id else [s.entry.id for s in manager.statuses() if s.state in ("installed", "sideloaded")]
    problems = [p for i in ids for p in manager.verify(i)]
    for i in ids:
        if not any(p.startswith(f"{i}:") or p.startswith(f"{i} ") for p in problems):
            click.echo(f"ok  {i}")
    for problem in problems:
        click.echo(f"BAD {problem}", err=True)
    if problems:
        raise click.exceptions.Exit(1)


@models_group.command("remove")
@click.argument("model_id")
def remove(model_id: str) -> None:
    """Delete a downloaded model (or forget a sideloaded one; its file stays)."""
    _manager().remove(model_id)
    click.echo(f"removed {model_id}")


@models_group.command("use")
@click.argument("role", type=click.Choice(["stt", "llm", "tts", "embedding"]))
@click.argument("model_id")
def use(role: str, model_id: str) -> None:
    """Choose the model for a role."""
    manager = _manager()
    entry = manager.use(role, model_id)
    state = manager.status(entry).state
    note = "" if state != "missing" else f" (not installed yet: nargis models pull {model_id})"
    click.echo(f"{role} now uses {model_id}{note}")


@models_group.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--role", type=click.Choice(["stt", "llm", "tts", "embedding"]), required=True)
@click.option("--id", "model_id", help="The id to list it under (default: from the file name).")
@click.option("--language", default="en", show_default=True)
def add(path: Path, role: str, model_id: str | None, language: str) -> None:
    """Use a model file or folder you already have; its format is checked and its hash recorded."""
    entry = _manager().add_local(path, role, model_id, language)
    click.echo(f"added {entry.id} ({entry.engine}, {role}); choose it with: nargis models use {role} {entry.id}")
