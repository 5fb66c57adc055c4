"""The failed-authentication throttle on its shared store (a SQLite file and the real PostgreSQL): the same 429
with its French message and wait, the window slides, replicas on one database count the same failures, concurrent
failures are all counted and expired rows do not pile up."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from api.auth import AuthThrottle
from core.errors import TooManyRequests
from storage.tables import auth_failures
from storage.throttle import FailureLog


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def log(state_location):
    store = FailureLog(state_location)
    yield store
    store.close()


def _rows(store: FailureLog) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(auth_failures)).scalar_one()


def test_past_the_allowance_a_client_is_refused_in_french_with_its_wait_and_others_are_not(log):
    clock = Clock()
    throttle = AuthThrottle(log, 3, 60.0, clock)
    for _ in range(3):
        throttle.check("10.0.0.1")
        throttle.failed("10.0.0.1")
        clock.now += 5
    with pytest.raises(TooManyRequests) as refused:
        throttle.check("10.0.0.1")
    assert refused.value.code == "trop_de_tentatives"
    # oldest failure 15 s ago in a 60 s window: it leaves the window in 45 s (+1, as before)
    assert refused.value.message == "Trop d'échecs d'authentification : réessayez dans 46 s."
    throttle.check("10.0.0.2")  # another address is not held back


def test_the_window_slides_one_failure_at_a_time(log):
    clock = Clock()
    throttle = AuthThrottle(log, 2, 60.0, clock)
    throttle.failed("c")
    clock.now += 30
    throttle.failed("c")
    with pytest.raises(TooManyRequests):
        throttle.check("c")
    clock.now += 30.5  # the first failure is out of the window, the second is not
    throttle.check("c")
    throttle.failed("c")
    with pytest.raises(TooManyRequests):
        throttle.check("c")


def test_two_replicas_on_one_database_share_the_allowance(state_location):
    clock = Clock()
    a, b = (AuthThrottle(FailureLog(state_location), 4, 60.0, clock) for _ in range(2))
    try:
        a.failed("203.0.113.9")
        b.failed("203.0.113.9")
        a.failed("203.0.113.9")
        b.check("203.0.113.9")  # three failures so far: still allowed
        a.failed("203.0.113.9")
        for replica in (a, b):
            with pytest.raises(TooManyRequests):
                replica.check("203.0.113.9")
    finally:
        a.close()
        b.close()


def test_concurrent_failures_from_many_threads_are_all_counted(state_location):
    clock = Clock()
    throttles = [AuthThrottle(FailureLog(state_location), 1000, 60.0, clock) for _ in range(2)]

    def spray(t: AuthThrottle) -> None:
        for _ in range(20):
            t.failed("198.51.100.7")

    threads = [threading.Thread(target=spray, args=(throttles[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert throttles[0].failures.recent("198.51.100.7", clock.now - 60)[0] == 80
    finally:
        for t in throttles:
            t.close()


def test_failures_older_than_the_window_are_deleted(log):
    clock = Clock()
    throttle = AuthThrottle(log, 3, 60.0, clock)
    for i in range(50):  # a spray from many addresses
        throttle.failed(f"192.0.2.{i}")
    assert _rows(log) == 50
    clock.now += 61
    throttle.failed("192.0.2.200")
    assert _rows(log) == 1
