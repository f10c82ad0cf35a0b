from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.devices import Device
from tests.sync.servers import (
    REQUIRE_POSTGRES_ENV,
    PostgresCluster,
    RunningServer,
    postgres_available,
    postgres_cluster,
    running_server,
    settings_for,
)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    if not postgres_available():
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"PostgreSQL binaries are missing but {REQUIRE_POSTGRES_ENV} is set (CI must test PostgreSQL)")
        pytest.skip("PostgreSQL server binaries are not installed")
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningServer]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    with running_server(settings_for(url)) as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh server database on each engine, for tests that start a server with settings of their own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return str(request.getfixturevalue("pg_cluster").create_database())


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[RunningServer]:
    with running_server(settings_for(f"sqlite:///{tmp_path / 'server.db'}")) as running:
        yield running


@pytest.fixture
def make_device(tmp_path: Path) -> Iterator[object]:
    made: list[Device] = []

    def make(name: str) -> Device:
        device = Device.create(tmp_path / f"{name}.db")
        made.append(device)
        return device

    yield make
    for device in made:
        device.close()
