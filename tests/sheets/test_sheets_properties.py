"""Property: whatever the interleaving of edits, faults and cut-off runs, the sheet and the store end up agreeing."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sheets.fake_sheets import FakeSheetsServer
from tests.sheets.interleavings import STEPS, FakeClock, play

EXAMPLES = int(os.environ.get("NARGIS_SHEETS_EXAMPLES", "100"))
_CLOCK = FakeClock()

step = st.tuples(st.sampled_from(STEPS), st.integers(0, 50), st.integers(0, 50))


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeSheetsServer]:
    with FakeSheetsServer(clock=_CLOCK) as server:
        yield server


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=30))
def test_sheet_and_store_agree_with_no_row_lost_or_duplicated(
    shared_fake: FakeSheetsServer, steps: list[tuple[str, int, int]]
) -> None:
    _CLOCK.t += 3600.0  # each example starts an hour later: its writes are not counted with the last one's
    outcome = play(shared_fake, _CLOCK, steps, secrets.token_bytes(32))
    assert outcome.problems == []
    assert outcome.max_writes_per_minute <= 60
