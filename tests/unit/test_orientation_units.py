from __future__ import annotations

import pytest

from core.errors import ConfigError
from orientation.derive import corrected_air, derive, rate_class
from orientation.extract import Fact
from orientation.grid import evaluate, load_grid, load_limits

LIMITS = load_limits()


@pytest.mark.parametrize("reading,corrected", [(0.30, 0.268), (0.42, 0.386), (1.00, 0.92), (2.5, 1.75)])
def test_breathalyser_margin_bands(reading, corrected):
    assert corrected_air(reading, LIMITS) == corrected


def test_readings_0400_to_0434_are_not_a_delit_once_corrected():
    for r in (0.400, 0.420, 0.434):
        assert rate_class(corrected_air(r, LIMITS), None, False, False, LIMITS) == "C4"
    assert rate_class(corrected_air(0.44, LIMITS), None, False, False, LIMITS) == "DELIT"


def test_probationary_threshold_and_blood_units_are_separate():
    assert rate_class(0.12, None, True, False, LIMITS) == "C4"
    assert rate_class(0.12, None, False, False, LIMITS) == "NONE"
    assert rate_class(None, 0.9, False, False, LIMITS) == "DELIT"
    assert rate_class(None, None, False, True, LIMITS) == "NONE"
    assert rate_class(None, None, False, False, LIMITS) is None


def _facts(**values):
    from orientation.extract import FACT_KEYS

    return {k: (Fact(values[k]) if k in values else None) for k in FACT_KEYS}


def test_recidivism_counts_assimilated_offences_within_five_years_and_asks_for_a_human():
    prior = {"offence": "L235-1", "final_date": "2023-05-01"}
    now = {"facts_date": "2026-03-01", "alcohol_blood_g_l": 1.2}  # L234-1 today, assimilated to L235-1
    derived, warnings = derive(_facts(prior_convictions=[prior], **now), LIMITS)
    assert derived["legal_recidivism"] is True
    assert any("vérification humaine" in w for w in warnings)
    old = {"offence": "L234-1", "final_date": "2019-05-01"}  # beyond 5 years of the final date: end of sentence unknown
    assert derive(_facts(prior_convictions=[old], **now), LIMITS)[0]["legal_recidivism"] is None
    theft = {"offence": "311-3", "final_date": "2025-05-01"}
    assert derive(_facts(prior_convictions=[theft], **now), LIMITS)[0]["legal_recidivism"] is False


def test_grid_operators():
    values = {"a": 3, "b": None, "c": "X"}
    assert evaluate({"fact": "a", "op": "between", "value": [1, 3]}, values, set())
    assert evaluate({"fact": "b", "op": "missing"}, values, set())
    assert evaluate({"all": [{"fact": "c", "op": "in", "value": ["X"]}, {"not": {"fact": "a", "op": "lt", "value": 2}}]},
                    values, set())
    assert not evaluate({"fact": "b", "op": "gt", "value": 0}, values, set())


def test_invalid_grid_points_at_the_faulty_rule(tmp_path):
    bad = tmp_path / "grille.yaml"
    bad.write_text("id: g\nversion: 1\nrules:\n  - id: R9\n    when: {fact: x, op: plusgrand, value: 1}\n"
                   "    then: {orientation: CRPC}\n")
    with pytest.raises(ConfigError, match="R9"):
        load_grid(bad)


def test_bundled_grid_is_labelled_illustrative():
    grid = load_grid()
    assert grid.data["illustrative"] is True and "ILLUSTRATIF" in grid.data["approved_by"]
