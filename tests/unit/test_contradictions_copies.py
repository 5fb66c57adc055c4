"""Values copied wrongly into a decision, and details told in words, on passages written for these tests (a heroin
file of a gendarmerie brigade: its own names, places and wordings). Each case has its near-miss: a faithful copy,
a bail the ordonnance sets, a gross weight against the net one."""
from __future__ import annotations

from core.text import normalize_for_verify
from tests.analysis_catalog import PiecesCatalog

HEROIN = {
    "D3_interpellation": ["PROCÈS-VERBAL D'INTERPELLATION\nL'an deux mille vingt-six, le neuf avril, à cinq heures "
                          "quarante, Nous, Adjudant Paul VERNHES, officier de police judiciaire de la brigade de "
                          "recherches de Rodez,\nNous présentons au domicile de M. Loïc CASTAGNÉ, 3 chemin des Aires "
                          "à Onet-le-Château.\nL'intéressé est interpellé sans incident dans sa chambre.\n"
                          "Dont procès-verbal."],
    "D4_perquisition": ["PROCÈS-VERBAL DE PERQUISITION\nNous, Adjudant Paul VERNHES, procédons en présence de M. Loïc "
                        "CASTAGNÉ à la perquisition de son domicile.\nDans le garage, sous l'établi, découvrons une "
                        "boîte métallique contenant deux sachets de poudre beige.\nPesée (sachets compris) : "
                        "cinq cent douze grammes d'héroïne, soit 512 g. Plaçons sous scellé n° 1.\n"
                        "Dans le buffet du séjour, découvrons une enveloppe kraft.\nElle renferme des billets de 20 et "
                        "de 50 euros.\nComptage en présence de l'intéressé : 4 730 euros. Plaçons sous scellé n° 2.\n"
                        "Dans la boîte aux lettres, découvrons la somme de 2 150 euros. Plaçons sous scellé n° 3."],
    "D6_laboratoire": ["RAPPORT D'ANALYSE DU LABORATOIRE\nScellé n° 1 : poudre contenant de l'héroïne, masse nette "
                       "de 497,3 g, teneur de 18 %."],
    "D9_ordonnance": ["ORDONNANCE DE PLACEMENT EN DÉTENTION PROVISOIRE\nVu l'information suivie contre M. Loïc CASTAGNÉ, "
                      "mis en examen ;\nAttendu que M. Loïc CASTAGNÉ a été interpellé à son domicile le 10 avril 2026 "
                      "; que la perquisition de son garage a permis la découverte de 521 grammes d'héroïne et, dans "
                      "le buffet du séjour, d'une somme de 4 370 euros en numéraire ; que la somme de 2 150 euros a "
                      "été trouvée dans la boîte aux lettres ;\nOrdonnons le placement en détention provisoire de "
                      "M. Loïc CASTAGNÉ."],
    "D10_cj": ["ORDONNANCE DE PLACEMENT SOUS CONTRÔLE JUDICIAIRE\nVu l'information suivie contre Mme Nadège ROUQUETTE, "
               "mise en examen ;\nOrdonnons son placement sous contrôle judiciaire avec obligation de fournir un "
               "cautionnement de 4 000 euros et de ne pas effectuer de dépôt supérieur à 500 euros."],
}


def _analysis(pieces: dict[str, list[str]]):
    from generation.evidence import analyse_dossier

    catalog = PiecesCatalog(pieces)
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    return analyse_dossier(catalog, "d"), pages


def _pairs(found) -> set[tuple[str, frozenset]]:
    from generation.contradictions import value_text

    return {(c.kind, frozenset((m.item.citation.cote, normalize_for_verify(value_text(m))) for m in (c.a, c.b)))
            for c in found}


def test_a_decision_restating_a_weight_a_sum_and_the_arrest_day_otherwise_than_the_pv_is_a_copy_error():
    from generation.copies import copy_errors

    analysis, pages = _analysis(HEROIN)
    found = _pairs(copy_errors(analysis, pages))
    assert ("poids", frozenset({("D4", "512 g"), ("D9", "521 g")})) in found, found
    assert ("montant", frozenset({("D4", "4730 euros"), ("D9", "4370 euros")})) in found, found
    dates = [pair for kind, pair in found if kind == "date"]
    assert dates and {cote for cote, _ in dates[0]} == {"D3", "D9"}, "the PV's own day is the day of the arrest"
    assert any("9 avril" in v for _, v in dates[0]) and any("10 avril" in v for _, v in dates[0])


def test_a_faithful_copy_a_bail_and_a_threshold_are_no_copy_error():
    from generation.copies import copy_errors

    analysis, pages = _analysis(HEROIN)
    found = copy_errors(analysis, pages)
    figures = {normalize_for_verify(f"{m.number}") for c in found for m in (c.a, c.b)}
    assert not {"2150", "2150.0"} & figures, "2 150 euros copied as the PV wrote it"
    assert not [c for c in found if c.b.item.citation.cote == "D10"], "a bail and a ceiling are no restated figure"
    assert not [c for c in found if c.a.item.citation.cote == "D6"], "the net weight of the laboratory is not the copy"


def test_the_draft_shows_each_copy_error_on_one_line_citing_the_pv_and_the_decision():
    from generation.plans import plan

    analysis, pages = _analysis(HEROIN)
    section = next(s for s in plan("synthese", analysis, 1200, pages) if s.title == "Points de contradiction")
    lines = [(normalize_for_verify(ln.text), {c.cote for c in ln.citations}) for ln in section.lines]
    weight = [cotes for text, cotes in lines if "512" in text and "521" in text]
    assert weight and weight[0] == {"D4", "D9"}, lines
    assert any("4730" in text and "4370" in text for text, _ in lines), lines


def test_a_gross_weight_a_little_above_the_net_one_is_the_packaging():
    from generation.copies import all_contradictions

    analysis, pages = _analysis(HEROIN)
    weights = [c for c in all_contradictions(analysis, pages) if c.kind == "poids"]
    assert all("497" not in normalize_for_verify(f"{m.number}") for c in weights for m in (c.a, c.b)), \
        "512 g with the bags against 497,3 g net is no contradiction"


WORDS = {
    "D5_surveillance": ["PROCÈS-VERBAL DE SURVEILLANCE\nÀ 20 h 15, devant le bar-tabac Le Narval, Kevin SABATIER est "
                        "formellement reconnu par l'adjudant VERNHES, remettant un paquet à un motard."],
    "D7_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Kevin SABATIER, qui déclare :\n"
               "Question : Où étiez-vous le 2 avril au soir ?\n"
               "Réponse : Ce soir-là j'étais au cinéma avec ma sœur de 19 heures à minuit, je ne suis pas sorti.\n"
               "Question : Qui conservait l'héroïne ?\n"
               "Réponse : Ce n'est pas moi. Il faut demander à Jordan, un gars de Millau. C'est lui qui stockait la "
               "came dans son cabanon.\n"
               "Question : Utilisez-vous la ligne 06 71 20 33 18 ?\n"
               "Réponse : Non, ce numéro n'est pas à moi, je ne le connais pas.\n"
               "Question : Les 3 900 euros trouvés dans votre voiture ?\n"
               "Réponse : C'est l'argent de la brasserie de mon oncle, il me l'avait confié."],
    "D11_interrogatoire": ["PROCÈS-VERBAL D'INTERROGATOIRE\nDevant nous, juge d'instruction, comparaît M. Kevin "
                           "SABATIER, mis en examen, qui déclare :\n"
                           "Question : Et la marchandise ?\n"
                           "Réponse : Jordan n'a rien à voir. En fait c'est moi qui stockais l'héroïne, dans le "
                           "cabanon de mon grand-père.\n"
                           "Question : Les 3 900 euros ?\n"
                           "Réponse : C'est l'argent du point, celui de la revente."],
    "D12_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Célia FABRE, qui déclare :\n"
                   "Réponse : Le 06 71 20 33 18, c'est le portable de Kevin, il l'utilise pour ses affaires."],
}


def test_details_told_in_words_at_two_stages_or_by_another_person_are_contradictions():
    from generation.copies import all_contradictions

    analysis, pages = _analysis(WORDS)
    found = all_contradictions(analysis, pages)
    by_kind = {c.kind: {m.item.citation.cote for m in (c.a, c.b)} for c in found}
    assert by_kind.get("auteur") == {"D7", "D11"}, "« c'est lui (Jordan) qui stockait » against « c'est moi qui »"
    assert by_kind.get("ligne") == {"D7", "D12"}, "the line he denies, a witness gives him"
    assert by_kind.get("origine") == {"D7", "D11"}, "an uncle's brasserie against « l'argent du point »"
    assert by_kind.get("presence") == {"D5", "D7"}, "at the cinema against recognised at the bar at 20 h 15"
    who = next(c for c in found if c.kind == "auteur")
    assert {who.a.value, who.b.value} == {"jordan", "kevin"}
