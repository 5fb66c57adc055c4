from __future__ import annotations

import sqlite3

import pytest

from core.errors import InvalidInput
from orientation.decisions import DecisionStore


@pytest.fixture
def store(tmp_path):
    s = DecisionStore(tmp_path / "d.sqlite")
    s.save_proposal({"id": "p1", "dossier": "dos", "orientation": {"code": "CRPC"}})
    return s


def test_accept_is_recorded_with_who_and_the_full_proposal(store, tmp_path):
    record = store.decide("p1", "accept", "mme.procureure")
    assert record["decided_by"] == "mme.procureure" and record["action"] == "accept"
    assert store.decisions("p1")[0]["seq"] == record["seq"]


@pytest.mark.parametrize("action,changes", [("modify", {"orientation.code": "ORDONNANCE_PENALE"}), ("reject", None)])
def test_departing_from_the_proposal_requires_a_reason(store, action, changes):
    with pytest.raises(InvalidInput):
        store.decide("p1", action, "m", changes, reason="  ")
    assert store.decide("p1", action, "m", changes, reason="Antécédents anciens")["reason"] == "Antécédents anciens"


def test_decisions_are_append_only(store, tmp_path):
    store.decide("p1", "accept", "m")
    conn = sqlite3.connect(tmp_path / "d.sqlite")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE decisions SET action='reject'")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM decisions")
