"""The workers behind the window: Python threads that keep one thread state for their whole life
(DuckDB's binding deadlocked on the per-job thread states of Qt pool threads; the end-to-end
regression is tests/test_ui_freeze.py), results back on the main thread in the order asked."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_store_work_runs_in_order_on_one_python_thread_that_outlives_each_job(qtbot: Any) -> None:
    from nargis_desktop.ui.background import run_in_background, store_pool

    seen: list[tuple[int, int, bool]] = []

    def job(n: int) -> int:
        current = threading.current_thread()
        seen.append((n, threading.get_ident(), isinstance(current, threading._DummyThread)))
        return n

    delivered: list[int] = []
    for n in range(5):
        run_in_background(lambda n=n: job(n), delivered.append, lambda err: delivered.append(-1), store_pool())
    qtbot.waitUntil(lambda: len(delivered) == 5, timeout=5000)
    assert delivered == [0, 1, 2, 3, 4]  # first asked, first run, and delivered in that order
    assert len({ident for _, ident, _ in seen}) == 1
    assert not any(dummy for *_, dummy in seen)  # a thread Python started, not a foreign one


def test_wait_for_done_waits_for_every_job_asked_for(qtbot: Any) -> None:
    from nargis_desktop.ui.background import WorkerThreads, run_in_background

    pool = WorkerThreads("test", 2)
    release = threading.Event()
    run_in_background(lambda: release.wait(5), lambda _r: None, lambda _e: None, pool)
    assert pool.activeThreadCount() == 1
    assert not pool.waitForDone(50)
    release.set()
    assert pool.waitForDone(5000) and pool.activeThreadCount() == 0
