from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nargis_desktop.app import Profile, sheets_sync
from nargis_desktop.secrets import KeyringSecretStore
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from nargis_desktop.sync.sheets.engine import SheetsSync
from tests.conftest import NOW, MemoryKeyring
from tests.sheets.fake_sheets import FakeSheetsServer


class FakeClock:
    """Seconds that pass only when someone sleeps: backoff and the write budget cost no real time."""

    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeSheetsServer]:
    with FakeSheetsServer(clock=clock) as server:
        yield server


@pytest.fixture
def profile(tmp_path: Path, key: bytes, paths: object) -> Iterator[Profile]:
    store = Store.open(tmp_path / "store.db", key)
    yield Profile(paths=paths, store=store, key=key, data=PersonalData(store))  # type: ignore[arg-type]
    store.close()


SyncFactory = Callable[..., SheetsSync]


@pytest.fixture
def make_sync(profile: Profile, fake: FakeSheetsServer, clock: FakeClock, memory_keyring: MemoryKeyring) -> SyncFactory:
    def make(**kwargs: object) -> SheetsSync:
        options: dict[str, object] = {
            "secret_store": KeyringSecretStore(),
            "endpoint": fake.base_url,
            "now": lambda: NOW,
            "clock": clock,
            "sleep": clock.sleep,
        }
        options.update(kwargs)
        return sheets_sync(profile, **options)  # type: ignore[arg-type]

    return make
