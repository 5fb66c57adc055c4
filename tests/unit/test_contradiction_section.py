"""The « Points de contradiction » section on passages written for these tests (a domestic-violence file heard at
three stages): one line per point, one person named once, the counted thing kept with its count, about twelve
points within 400 words."""
from __future__ import annotations

from tests.analysis_catalog import PiecesCatalog

STAGES = {
    "D2_plainte": ["PROCÈS-VERBAL DE PLAINTE\nNous recevons la plainte de Mme Océane VIGUIER, qui déclare :\n"
                   "Réponse : Il m'a donné deux gifles dans l'entrée, puis il est parti vers 21 h 40.\n"
                   "Réponse : Il avait bu six bières au moins, il sentait l'alcool."],
    "D5_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Bastien LORIOT, qui déclare :\n"
               "Réponse : Je lui ai mis une gifle, une seule, parce qu'elle criait.\n"
               "Réponse : J'ai bu trois bières ce soir-là, pas davantage.\n"
               "Réponse : Je suis parti de l'appartement vers 23 h 30."],
    "D9_ipc": ["PROCÈS-VERBAL D'INTERROGATOIRE DE PREMIÈRE COMPARUTION\nDevant nous, juge d'instruction, comparaît "
               "M. Bastien LORIOT, mis en examen, qui déclare :\n"
               "Réponse : J'avais bu cinq bières, je le reconnais maintenant.\n"
               "Réponse : Je suis parti vers 22 h 15, pas plus tard."],
}


def _section():
    from generation.evidence import analyse_dossier
    from generation.plans import plan

    catalog = PiecesCatalog(STAGES)
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    analysis = analyse_dossier(catalog, "d")
    return next(s for s in plan("synthese", analysis, 1200, pages) if s.title == "Points de contradiction")


def test_one_person_at_two_stages_is_named_once_and_each_stage_is_cited():
    lines = [ln for ln in _section().lines if "23 h 30" in ln.text and "22 h 15" in ln.text]
    assert len(lines) == 1, [ln.text for ln in _section().lines]
    text = lines[0].text
    assert text.count("LORIOT") == 1 and " — Bastien LORIOT : " in text, text
    assert "en garde à vue" in text and "première comparution" in text
    assert {c.cote for c in lines[0].citations} == {"D5", "D9"}


def test_the_counted_thing_stays_with_its_count_and_each_point_is_short():
    lines = _section().lines
    slaps = [ln.text for ln in lines if "gifle" in ln.text]
    assert slaps and "une gifle" in slaps[0] and "deux gifles" in slaps[0], slaps
    assert all(len(ln.text.split()) <= 40 for ln in lines), [ln.text for ln in lines]
    assert sum(len(ln.text.split()) for ln in lines) <= 400
