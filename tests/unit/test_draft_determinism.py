"""A draft is the same whatever the run: selection never depends on memory addresses or on the order of a set."""
from __future__ import annotations

from tests.unit.test_digest import UMJ, _item


def test_a_clause_is_valued_by_its_own_words_even_when_it_gets_a_dropped_clause_s_id():
    from generation.plans import Selector, _units

    sel = Selector(500, [])
    for n in range(200):
        # each clause is made, valued and dropped, as the rounds of `digest.per_piece` do: CPython gives the next
        # one the freed address, and a cache keyed by id() answered with the previous clause's units
        it = _item(UMJ, f"L'incapacité totale de travail est fixée à {n} jours par le docteur n° {n}", "resultat", n)
        assert sel._units_of(it) == _units(it.text)


def test_a_kept_clause_keeps_its_identity_after_the_caller_drops_it():
    from generation.plans import Selector

    sel = Selector(500, [])
    kept = _item(UMJ, "Les lésions sont compatibles avec une strangulation manuelle", "resultat", 1)
    sel._keep(kept)
    kept_id = id(kept)
    del kept
    fresh = [_item(UMJ, f"Une autre constatation numéro {n} sans rapport", "resultat", n) for n in range(200)]
    # no new clause may pass for the kept one (it would be skipped as already said)
    assert all(id(it) != kept_id for it in fresh)
