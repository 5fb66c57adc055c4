"""Clause-level composition: the clause carrying the fact is kept, the formula around it goes, every kept clause is
the page's own words and cites its page. Passages written for these tests in the wording police and judges use."""
from __future__ import annotations

from tests.unit.test_drafting_analysis import _Catalog

TELEPHONY = ("PROCÈS-VERBAL D'EXPLOITATION DE LA TÉLÉPHONIE\n"
             "L'an deux mille vingt-six, le dix mars, à quatorze heures, Nous, Lieutenant Paul ARNOUX, officier de "
             "police judiciaire en résidence au commissariat de Bondy, poursuivant l'exécution de la commission "
             "rogatoire, Après exploitation des données transmises par l'opérateur en réponse à notre réquisition du "
             "3 mars 2026, nous dénombrons, sur la période du 1er janvier au 28 février 2026, 147 contacts entre la "
             "ligne attribuée à M. Karim LOURMEL et celle de Mme Nadia FERRAND, dont 96 SMS et 51 appels.\n"
             "Le 12 janvier 2026, la ligne de M. LOURMEL active à 22 h 47 la cellule BDY-03 couvrant la rue des "
             "Acacias, puis à 23 h 20 la cellule BDY-01 de la gare, alors qu'il affirme être resté chez lui.\n"
             "Dont procès-verbal que nous clôturons et signons.\n")
CONSTAT = ("PROCÈS-VERBAL DE CONSTATATIONS\n"
           "Nous, Capitaine Sophie VERNIER, officier de police judiciaire en résidence à la brigade de Noisy-le-Sec, "
           "constatons que la porte-fenêtre du salon présente deux traces de pesée d'environ 1,5 cm, compatibles avec "
           "l'usage d'un tournevis plat.\n"
           "Dans le couloir, nous découvrons au sol un gant en laine de couleur noire, taille adulte, que nous plaçons "
           "sous scellé n° UN.\n"
           "Lecture faite, persiste et signe.\n")
GAV = ("PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\n"
       "Entendons M. Karim LOURMEL, né le 4 mai 1994 à Bobigny (93), demeurant 12 rue des Lilas à Bondy, "
       "téléphone 06 12 34 56 78.\n"
       "Rappelons à M. Karim LOURMEL, placé en garde à vue ce jour à 6 h 05, qu'il bénéficie des droits mentionnés "
       "aux articles 63-1 à 63-4 du code de procédure pénale.\n"
       "Question : Que s'est-il passé le 12 janvier au soir ?\n"
       "Réponse : Je reconnais avoir pris le portefeuille dans son sac, il y avait 3 000 euros dedans, mais je ne "
       "l'ai jamais frappée.\n")


def _pages(catalog: _Catalog) -> dict:
    return {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}


def test_a_sentence_is_cut_into_clauses_without_breaking_decimals_or_parentheses():
    from generation.clauses import split_clauses

    sentence = ("La perquisition permet la saisie de 1 870 euros en espèces (scellé n° UN, billets de 20, 50 et 100 "
                "euros), d'une bague en or gravée « M et J, 1976 » et d'une lame de 1,5 cm.")
    clauses = split_clauses(sentence)
    assert len(clauses) >= 2
    assert any("(scellé n° UN, billets de 20, 50 et 100 euros)" in c.text for c in clauses)
    assert any("« M et J, 1976 »" in c.text for c in clauses)
    assert any("1,5 cm" in c.text for c in clauses)
    assert all(sentence[c.start:c.end] == c.text for c in clauses), "every clause is a span of the sentence"


def test_the_lead_formula_of_a_clause_goes_and_frames_are_marked():
    from generation.clauses import split_clauses

    sentence = CONSTAT.splitlines()[1]
    clauses = split_clauses(sentence)
    fact = [c for c in clauses if "porte-fenêtre" in c.text]
    assert fact and fact[0].text.startswith("la porte-fenêtre du salon présente deux traces de pesée")
    assert not fact[0].formula
    assert all(c.formula for c in clauses if "VERNIER" in c.text or "résidence" in c.text)
    identity = split_clauses(GAV.splitlines()[1])
    assert all(c.formula for c in identity if "né le" in c.text or "demeurant" in c.text or "06 12" in c.text)


def test_a_composed_clause_is_checked_verbatim_on_its_page():
    from generation.clauses import on_page

    page = TELEPHONY
    assert on_page("147 contacts entre la ligne attribuée à M. Karim LOURMEL et celle de Mme Nadia FERRAND", [page])
    assert on_page("Le 12 janvier 2026, la ligne de M. LOURMEL active à 22 h 47 la cellule BDY-03 […] puis à 23 h 20 "
                   "la cellule BDY-01 de la gare", [page])
    assert not on_page("147 contacts entre la ligne attribuée à Mme Nadia FERRAND", [page])
    assert not on_page("la ligne de M. LOURMEL active à 22 h 57 la cellule BDY-03", [page])


def test_the_synthese_keeps_the_clause_with_the_fact_and_strips_the_formula_around_it():
    from generation.evidence import analyse_dossier
    from generation.plans import plan
    from generation.verifier import verify

    catalog = _Catalog({"D1_constatations": [CONSTAT], "D4_telephonie": [TELEPHONY], "D6_gav": [GAV]})
    pages = _pages(catalog)
    sections = plan("synthese", analyse_dossier(catalog, "d"), 300, pages)
    lines = [ln for s in sections for ln in s.lines]
    text = " ".join(ln.text for ln in lines)
    for fact in ("147 contacts", "96 SMS", "traces de pesée", "tournevis", "gant en laine", "6 h 05", "3 000 euros"):
        assert fact in text, fact
    for formula in ("Après exploitation des données transmises", "Nous, Capitaine", "constatons que",
                    "bénéficie des droits", "officier de police judiciaire", "Que s'est-il passé", "Lecture faite",
                    "06 12 34 56 78"):
        assert formula not in text, formula
    for ln in lines:
        cited = [pages[(c.cote, c.page)] for c in ln.citations]
        assert verify(ln.text, cited).status == "supported", ln.text
    contacts = next(ln for ln in lines if "147 contacts" in ln.text)
    assert [(c.cote, c.page) for c in contacts.citations] == [("D4", 1)]
    assert sum(len(ln.text.split()) for ln in lines) <= 300 * 1.05


def test_a_line_about_a_woman_never_calls_her_il():
    from generation.evidence import analyse_dossier
    from generation.plans import plan

    personality = ("SERVICE PÉNITENTIAIRE D'INSERTION ET DE PROBATION\nENQUÊTE DE PERSONNALITÉ\n"
                   "Mme Sofia BROUILLAC, âgée de 22 ans, vit chez sa mère à Neuville-la-Rivière.\n"
                   "Il travaille comme cuisinier en contrat précaire depuis le mois de mars 2025.\n"
                   "Il consomme du cannabis de manière quotidienne depuis l'âge de 16 ans.\n")
    catalog = _Catalog({"B1_personnalite": [personality], "D4_telephonie": [TELEPHONY]})
    sections = plan("synthese", analyse_dossier(catalog, "d"), 300, _pages(catalog))
    lines = [ln.text for s in sections if s.title.startswith("Personnalité") for ln in s.lines]
    assert any("cuisinier" in ln for ln in lines)
    assert not any(ln.startswith("Il ") or " ; il " in ln for ln in lines), lines



def test_a_name_put_for_a_pronoun_keeps_its_capital_inside_a_line():
    from generation.evidence import analyse_dossier
    from generation.plans import plan

    personality = ("ENQUÊTE DE PERSONNALITÉ\nMme Sofia BROUILLAC, âgée de 22 ans, vit chez sa mère à Neuville.\n"
                   "Il travaille comme cuisinier en contrat précaire depuis le mois de mars 2025.\n")
    catalog = _Catalog({"B1_personnalite": [personality]})
    lines = [ln.text for s in plan("synthese", analyse_dossier(catalog, "d"), 300, _pages(catalog)) for ln in s.lines]
    assert any("Mme Sofia BROUILLAC travaille comme cuisinier" in ln for ln in lines), lines
