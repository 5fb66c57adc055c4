"""The facts scorer compares a B1 offence by what it is, whether the gold names it by article or in words."""
from evals.facts_eval import equal

GOLD = [{"date": "2021-03-15", "court": "tribunal correctionnel de Reims",
         "offence": "conduite sous l'empire d'un état alcoolique", "penalty": "quatre mois", "final_date": "2021-03-30"}]


def _pred(offence: str, final: str = "2021-03-30") -> list[dict]:
    return [{"date": "2021-03-15", "court": "tribunal correctionnel de Reims", "offence": offence, "penalty": None,
             "final_date": final}]


def test_an_offence_told_in_words_matches_its_article_code():
    assert equal("prior_convictions", _pred("L234-1"), GOLD)
    assert equal("prior_convictions", _pred("L.234-1 conduite en état alcoolique"), GOLD)


def test_another_offence_or_another_date_does_not_match():
    assert not equal("prior_convictions", _pred("L235-1"), GOLD)
    assert not equal("prior_convictions", _pred("L234-1", final="2021-04-30"), GOLD)
    assert not equal("prior_convictions", _pred("L234-1") * 2, GOLD)


def test_penal_code_offences_compare_with_or_without_their_code_suffix():
    gold = [dict(GOLD[0], offence="blessures involontaires par conducteur")]
    assert equal("prior_convictions", _pred("222-20-1 CP"), gold)
    assert not equal("prior_convictions", _pred("434-10 CP"), gold)
