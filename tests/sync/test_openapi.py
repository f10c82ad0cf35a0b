"""schemathesis against the server's own OpenAPI spec: whatever it is sent, it never answers 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from nargis_desktop.sync.crypto import SyncKey
from tests.sync.devices import PASSWORD, new_email
from tests.sync.servers import RunningServer, running_server, settings_for


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path = tmp_path_factory.mktemp("openapi") / "server.db"
    with running_server(settings_for(f"sqlite:///{path}")) as server:
        yield server


@pytest.fixture(scope="module")
def token(live_server: RunningServer) -> str:
    body = {
        "email": new_email(),
        "password": PASSWORD,
        "device_id": "00112233aabbccdd",
        "key_check": SyncKey(bytes(32)).key_check(),
    }
    response = requests.post(f"{live_server.url}/v1/accounts", json=body, timeout=10)
    return str(response.json()["access_token"])


def test_no_request_makes_the_server_fail(live_server: RunningServer, token: str) -> None:
    api = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    # Logging out ends the token the other operations use, so it goes last.
    operations = sorted(
        (result.ok() for result in api.get_all_operations()), key=lambda op: op.path.endswith("current")
    )
    assert len(operations) >= 8
    headers = {"Authorization": f"Bearer {token}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def answers_without_failing(case: Any) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
            )

        answers_without_failing()
