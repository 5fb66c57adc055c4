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


def test_an_unlisted_no_is_reported_apart_and_a_listed_null_stays_scored():
    from evals.facts_eval import score, unlisted_no

    gold = {"alcohol_air_mg_l_readings": [0.42], "hit_and_run": None}
    pred = {"alcohol_air_mg_l_readings": [0.42], "minor": False, "prior_convictions": [], "hit_and_run": False,
            "speed_kmh": 20}
    assert unlisted_no("minor", False, gold) and unlisted_no("prior_convictions", [], gold)
    assert not unlisted_no("hit_and_run", False, gold)  # the gold lists it: a stated absence
    assert not unlisted_no("speed_kmh", 20, gold)  # a value the gold does not give is a false positive
    strict, lenient = score([(pred, gold)])["ALL"], score([(pred, gold)], listed_only=True)["ALL"]
    assert (strict["tp"], strict["fp"]) == (1, 4)  # minor, prior_convictions, hit_and_run, speed
    assert (lenient["tp"], lenient["fp"]) == (1, 2)  # hit_and_run, speed
