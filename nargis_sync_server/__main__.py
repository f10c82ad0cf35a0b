"""`nargis-sync-server`: run the sync server (SQLite by default; PostgreSQL with a postgresql:// URL)."""

from __future__ import annotations

import argparse
import logging

from nargis_sync_server import logs
from nargis_sync_server.settings import ServerSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nargis-sync-server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url", help="sqlite:///path.db or postgresql://user@host/db (env NARGIS_SYNC_DATABASE_URL)"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes; PostgreSQL only")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    settings = ServerSettings.from_environment(database_url=args.database_url)
    if args.workers > 1 and not settings.database_url.startswith("postgres"):
        parser.error("--workers > 1 needs PostgreSQL: SQLite is for one process")
    logs.configure(logging.DEBUG if args.verbose else logging.INFO)

    import os

    import uvicorn

    os.environ["NARGIS_SYNC_DATABASE_URL"] = settings.database_url  # the worker processes build their own app
    uvicorn.run(
        "nargis_sync_server.__main__:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,  # our own request log has no query strings and no bodies
        log_config=None,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default, and any local client
        # could then pick its own address; the app reads it only from `trusted_proxies`.
        proxy_headers=False,
    )
    return 0


def app_from_environment() -> object:
    from nargis_sync_server.api import create_app

    logs.configure()
    return create_app(ServerSettings.from_environment())


if __name__ == "__main__":
    raise SystemExit(main())
