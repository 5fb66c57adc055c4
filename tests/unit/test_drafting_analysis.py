"""The analysis behind drafts: piece types, boilerplate, declarations, contradictions, cotes read by OCR, metrics.

Pure code over page texts written for these tests (procedural prose with its formulas); no model, no store."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis_catalog import PiecesCatalog

DEV = Path(__file__).resolve().parent.parent / "data" / "dossier-dev"


_Catalog = PiecesCatalog


def _dev_catalog() -> _Catalog:
    return _Catalog({p.stem: [p.read_text(encoding="utf-8")] for p in sorted(DEV.glob("*.txt"))})


# -- numbers and dates in words are part of the verifier ----------------------------------------------------------
def test_verifier_reads_dates_and_times_written_in_words():
    from generation.verifier import verify

    page = "L'an deux mille vingt-six, le douze janvier, à vingt heures trente, nous constatons les faits."
    assert verify("Le 12 janvier 2026 à 20 h 30, nous constatons les faits.", [page]).status == "supported"
    assert verify("Le 13 janvier 2026 à 20 h 30, nous constatons les faits.", [page]).status == "unsupported"
    assert verify("Le 12 janvier 2026 à 21 h 30, nous constatons les faits.", [page]).status == "unsupported"


def test_amounts_match_whatever_their_spacing_and_an_article_is_not_a_number():
    from core.text import normalize_for_verify

    assert "3000 euros" in normalize_for_verify("il m'a pris 3 000 €")
    assert normalize_for_verify("trois mille euros") == "3000 euros"
    assert "un homme et une femme" in normalize_for_verify("un homme et une femme")


# -- boilerplate --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "Lecture faite, persiste et signe.", "Dont procès-verbal.", "Vu les articles 63-1 à 63-4 du code de procédure pénale.",
    "Lui notifions son droit de faire prévenir un proche, d'être examiné par un médecin et de se taire.",
    "COMMISSARIAT DE BONDY — BRIGADE LOCALE DE PROTECTION DE LA FAMILLE", "piece_12.pdf",
    "L'officier de police judiciaire", "Fait à Paris, le 2 février 2026.",
])
def test_procedural_formulas_are_boilerplate(sentence):
    from generation.boilerplate import is_boilerplate, strip_formula

    assert is_boilerplate(sentence) or strip_formula(sentence) == ""


def test_the_formula_around_a_fact_goes_and_the_fact_stays():
    from generation.boilerplate import strip_formula

    rights = ("Rappelons à M. LOURMEL, placé en garde à vue ce jour à 6 h 05, qu'il bénéficie des droits mentionnés "
              "aux articles 63-1 à 63-4 du code de procédure pénale.")
    assert "6 h 05" in strip_formula(rights) and "droits" not in strip_formula(rights)
    opening = ("L'an deux mille vingt-six, le onze janvier, à vingt-trois heures quarante, Nous, Léa PONSARD, gardien "
               "de la paix, agent de police judiciaire, constatons que la vitre de la porte d'entrée est fissurée.")
    kept = strip_formula(opening)
    assert kept.startswith("Constatons que la vitre") and "PONSARD" not in kept


# -- piece typing -------------------------------------------------------------------------------------------------
def test_pieces_are_typed_from_their_headings_dated_and_their_person_found():
    from generation.pieces import analyse_piece

    expected = {"D1": "plainte", "D2": "constatations", "D3": "expertise_medicale", "D4": "audition_temoin",
                "D5": "exploitation_telephonie", "D6": "notification_gav", "D7": "garde_a_vue", "D8": "perquisition",
                "D9": "expertise_adn", "D10": "requisitoire_introductif", "D11": "interrogatoire_premiere",
                "D12": "ordonnance_cj", "D13": "expertise_medicale", "D14": "confrontation", "B1": "casier",
                "B2": "personnalite"}
    for path in DEV.glob("*.txt"):
        cote = path.stem.split("_")[0]
        info = analyse_piece("x", cote, "piece_1", [path.read_text(encoding="utf-8")])
        assert info.kind == expected[cote], (cote, info.kind)
    gav = analyse_piece("x", "D7", "", [(DEV / "D7_audition_gav.txt").read_text(encoding="utf-8")])
    assert gav.date is not None and (gav.date.day, gav.date.month, gav.date.year) == (21, 1, 2026)
    assert gav.heard[0][0].startswith("LOURMEL") and "MARCHETTI" in gav.officials


# -- declarations -------------------------------------------------------------------------------------------------
def test_declarations_keep_answers_by_person_and_stage_never_the_question():
    from generation.evidence import analyse_dossier

    analysis = analyse_dossier(_dev_catalog(), "d")
    texts = [it.text for it in analysis.items]
    assert not any(t.startswith(("Question", "Pourquoi vous")) for t in texts)
    gav = [it for it in analysis.items if it.citation.cote == "D7" and it.category == "declaration"]
    assert gav and {it.stage for it in gav} == {"garde à vue"} and {it.person_key.split()[0] for it in gav} == {"LOURMEL"}
    assert any("3 000 euros" in it.text for it in gav)
    confrontation = [it for it in analysis.items if it.citation.cote == "D14" and it.category == "declaration"]
    speakers = {it.person_key.split()[0] for it in confrontation if "2 400" in it.text or "jamais donné" in it.text}
    assert speakers == {"LOURMEL", "FERRAND"}
    assert any(it.stance == "conteste" for it in gav)
    assert not any("Lecture faite" in t or "Dont procès-verbal" in t for t in texts)


def test_a_sentence_cut_by_a_page_break_is_joined_and_cites_both_pages():
    from generation.evidence import analyse_dossier

    catalog = _Catalog({"D3_constatations": [
        "PROCÈS-VERBAL DE CONSTATATIONS\nNous constatons sur le trottoir la présence de traces de sang et d'une",
        "chaussure de sport blanche de pointure 43, placée sous scellé numéro un.\nDont procès-verbal."]})
    items = analyse_dossier(catalog, "d").items
    joined = [it for it in items if "chaussure de sport" in it.text]
    assert joined and "traces de sang" in joined[0].text
    assert [c.page for c in joined[0].citations] == [1, 2]


def test_a_piece_without_cote_is_never_cited_and_blocks():
    from generation.evidence import analyse_dossier

    catalog = _Catalog({"scan_0001": ["PLAINTE\nJe dépose plainte contre mon voisin pour les coups reçus hier soir."],
                        "D2_constatations": ["PROCÈS-VERBAL DE CONSTATATIONS\nLa vitre de la porte est brisée."]},
                       cotes={"scan_0001": None})
    analysis = analyse_dossier(catalog, "d")
    assert {it.citation.cote for it in analysis.items} == {"D2"}  # D2 is read, the piece without cote never cited
    assert len(analysis.warnings) == 1 and "scan_0001" in analysis.warnings[0]


# -- contradictions -----------------------------------------------------------------------------------------------
def test_contradictions_are_found_by_code_with_each_side_cited():
    from generation.contradictions import find_contradictions, value_text
    from generation.evidence import analyse_dossier

    found = find_contradictions(analyse_dossier(_dev_catalog(), "d").items)
    pairs = {(c.kind, frozenset((value_text(c.a), value_text(c.b))), frozenset((c.a.item.citation.cote,
                                                                               c.b.item.citation.cote)))
             for c in found}
    assert ("itt", frozenset({"8 jours", "12 jours"}), frozenset({"D3", "D13"})) in pairs
    assert any(k == "montant" and v == frozenset({"3\u202f000 €", "2\u202f000 €"}) and "D11" in cotes
               for k, v, cotes in pairs)
    assert any(k == "personnes" for k, _, _ in pairs)


def test_the_same_value_twice_is_no_contradiction():
    from generation.contradictions import find_contradictions
    from generation.evidence import analyse_dossier

    catalog = _Catalog({
        "D1_certificat": ["CERTIFICAT MÉDICAL INITIAL\nCes lésions entraînent une incapacité totale de travail de 8 jours."],
        "D2_expertise": ["RAPPORT D'EXPERTISE MÉDICO-LÉGALE\nL'incapacité totale de travail est fixée à 8 jours."]})
    assert find_contradictions(analyse_dossier(catalog, "d").items) == []


# -- drafts of each kind ------------------------------------------------------------------------------------------
def test_each_kind_has_its_own_structure_and_content_within_its_budget():
    from evals.metrics import identical_sections, kinds_overlap
    from generation.evidence import analyse_dossier
    from generation.plans import plan

    analysis = analyse_dossier(_dev_catalog(), "d")
    pages = {(c.cote, c.page): c.text for cs in _dev_catalog()._chunks.values() for c in cs}
    drafts = {kind: plan(kind, analysis, 600, pages) for kind in ("synthese", "requisitoire", "detention")}
    titles = {k: [s.title for s in v] for k, v in drafts.items()}
    assert titles["synthese"][:2] == ["Les faits", "L'enquête"] and "Points de contradiction" in titles["synthese"]
    assert any(t.startswith("Les déclarations — ") for t in titles["synthese"])
    assert titles["requisitoire"][1] == "II. Déroulement de l'information"
    assert sum(t.startswith("IV. Article 144 CPP") for t in titles["detention"]) == 7, "grounds 1° to 7°"
    words = sum(len(ln.text.split()) for s in drafts["synthese"] for ln in s.lines)
    assert words <= 600 * 1.05
    texts = {k: [ln.text for s in v for ln in s.lines] for k, v in drafts.items()}
    assert kinds_overlap(texts) < 0.6
    assert identical_sections({k: [[ln.text for ln in s.lines] for s in v] for k, v in drafts.items()}) == 0
    acts = [ln.text for s in drafts["requisitoire"] if s.title.startswith("II.") for ln in s.lines]
    assert acts and not any(".txt" in a or ".pdf" in a or "piece_" in a for a in acts)
    decharge = [ln for s in drafts["requisitoire"] if "décharge" in s.title for ln in s.lines]
    assert decharge and all(ln.item is None or ln.item.category != "declaration" or ln.item.piece.kind in (
        "audition_temoin",) or ln.item.person_key.startswith("LOURMEL") for ln in decharge), \
        "à décharge: his own words or a witness, never the victim's accusation"
    assert any(ln.item and ln.item.person_key.startswith("LOURMEL") and ln.item.stance == "conteste"
               for ln in decharge)


# -- cotes read by OCR --------------------------------------------------------------------------------------------
def test_ocr_confusions_in_cote_stamps_are_read_and_checked_against_the_sequence():
    from ingestion.cotes import cote_candidates, resolve_candidates, stamp_of_page

    assert stamp_of_page("texte\nCote Bl — page 1/2")[0] == "B1"
    assert stamp_of_page("texte\nCote DI18 — page l/1", {"D17", "D19"}) == ("D18", 1)
    assert resolve_candidates(cote_candidates("DI18"), {"D117", "D119"}) == "D118"
    assert cote_candidates("012") == ["D12"] and cote_candidates("DD7") == ["D7"]
    assert stamp_of_page("texte\nCote D3 — page 2/3") == ("D3", 2)
    assert stamp_of_page("Nous constatons les faits.") == (None, None)


# -- metrics that can fail ----------------------------------------------------------------------------------------
def test_key_facts_count_only_when_their_content_is_cited_to_their_cote():
    from evals.metrics import key_fact_present

    fact = {"text": "Le certificat fixe une ITT provisoire de 8 jours.", "cote": "D3", "content": ["8", "ITT", "provisoire"]}
    good = [("Incapacité totale de travail (ITT) provisoire de huit (8) jours.", [("D3", 1)])]
    assert key_fact_present(fact, good)
    assert not key_fact_present(fact, [(good[0][0], [("D4", 1)])]), "cited to another cote"
    assert not key_fact_present(fact, [("Incapacité totale de travail (ITT) de 8 jours.", [("D3", 1)])])
    assert not key_fact_present(fact, [("Le certificat médical initial est au dossier.", [("D3", 1)])])


def test_a_contradiction_is_shown_only_with_both_sides_and_their_values():
    from evals.metrics import contradiction_shown, is_struck

    c = {"a": {"cote": "D2", "value": "vers 18 h 45"}, "b": {"cote": "D4", "value": "environ 19 h 30"}}
    both = [("Heure : vers 18 h 45 (plainte)", [("D2", 1)]), ("Contre 19 h 30 (témoin)", [("D4", 1)])]
    assert contradiction_shown(c, both)
    assert not contradiction_shown(c, both[:1])
    assert not contradiction_shown(c, [both[0], ("Contre 19 h 40 (témoin)", [("D4", 1)])])
    assert is_struck("Lecture faite, persiste et signe.") and is_struck("COMMISSARIAT DE BONDY")
    assert not is_struck("Il m'a pris 3 000 euros dans mon sac à main.")


def test_counts_of_different_things_are_no_contradiction_and_both_sides_are_cited():
    from generation.contradictions import find_contradictions, value_text
    from generation.evidence import analyse_dossier
    from generation.plans import plan

    catalog = _Catalog({
        "D4_audition": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Hugo PASQUIER, qui déclare :\n"
                        "Réponse : Ce soir-là il a bu cinq bières chez moi. Il a aussi bu deux verres de vin."],
        "D7_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Luc ROUVIÈRE, qui déclare :\n"
                   "Réponse : J'ai bu trois verres de vin, pas plus, et ensuite je suis rentré chez moi."]})
    analysis = analyse_dossier(catalog, "d")
    found = find_contradictions(analysis.items)
    pairs = {frozenset((value_text(c.a), value_text(c.b))) for c in found}
    assert frozenset({"2 verres", "3 verres"}) in pairs
    assert not any("bieres" in v for pair in pairs for v in pair if "verres" in " ".join(pair)), \
        "five beers are not contradicted by three glasses of wine"
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    section = next(s for s in plan("synthese", analysis, 400, pages) if s.title == "Points de contradiction")
    lines = [ln for ln in section.lines if "verres" in ln.text]
    assert len(lines) == 1 and "2 verres" in lines[0].text and "contre 3 verres" in lines[0].text, lines
    assert {c.cote for c in lines[0].citations} == {"D4", "D7"}, "the point cites the page of each version"


def test_details_told_in_words_are_compared_between_persons_never_invented():
    from generation.contradictions import find_contradictions, value_text
    from generation.evidence import analyse_dossier

    catalog = _Catalog({
        "D2_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Odile FARGES, qui déclare :\n"
                      "Réponse : J'ai vu une camionnette de couleur blanche repartir très vite. C'est Kévin qui a "
                      "frappé le livreur, j'en suis sûre."],
        "D5_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Bruno LACAZE, qui déclare :\n"
                      "Réponse : La camionnette était bleue, une vieille Renault. C'est Steve qui l'a frappé."],
        "D8_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Kévin MARTINEAU, qui déclare :"
                   "\nRéponse : Je n'ai plus de contact avec Steve depuis un an. Ce soir-là j'étais chez moi."],
        "D9_telephonie": ["EXPLOITATION DE LA TÉLÉPHONIE\nDu 1er au 31 mars, nous relevons 57 contacts entre la ligne de "
                          "Kévin MARTINEAU et celle de Steve. À 21 h 14, la ligne de MARTINEAU active la cellule "
                          "couvrant le lieu des faits."]})
    found = find_contradictions(analyse_dossier(catalog, "d").items)
    by_kind = {c.kind: c for c in found}
    colour = by_kind["couleur"]
    assert {value_text(colour.a), value_text(colour.b)} == {"blanche", "bleue"}
    assert {colour.a.item.citation.cote, colour.b.item.citation.cote} == {"D2", "D5"}
    who = by_kind["auteur"]
    assert {value_text(who.a), value_text(who.b)} == {"Kévin MARTINEAU", "Steve"}, \
        "a first name the dossier hears once is named in full"
    contact = by_kind["contact"]
    assert {contact.a.item.citation.cote, contact.b.item.citation.cote} == {"D8", "D9"}
    assert "57 contacts" in {contact.a.value, contact.b.value}
    presence = by_kind["presence"]
    assert {presence.a.item.citation.cote, presence.b.item.citation.cote} == {"D8", "D9"}
    # nothing invented: every side is a sentence of the dossier that states its value
    for c in found:
        for m in (c.a, c.b):
            assert m.item.citation.cote in {"D2", "D5", "D8", "D9"}


def test_a_denial_without_a_counted_result_is_no_contradiction():
    from generation.contradictions import find_contradictions
    from generation.evidence import analyse_dossier

    catalog = _Catalog({
        "D8_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Kévin MARTINEAU, qui déclare :"
                   "\nRéponse : Je n'ai plus de contact avec Steve depuis un an. Ce soir-là j'étais chez moi."],
        "D9_telephonie": ["EXPLOITATION DE LA TÉLÉPHONIE\nLa ligne de Mme Rose ALBAN a émis 12 appels vers son "
                          "employeur. À 21 h 14, cette ligne active la cellule de la gare."]})
    found = find_contradictions(analyse_dossier(catalog, "d").items)
    assert not [c for c in found if c.kind in ("contact", "presence")], "the result is about someone else"


def test_each_kind_of_draft_asks_the_model_with_its_own_prompt_and_records_it():
    from core.settings import DraftingSettings
    from generation.drafting import Drafter
    from generation.llm import FakeChatModel
    from prompts import load_prompt

    model = FakeChatModel(lambda system, user: "")  # says nothing: every section falls back to the cited extracts
    drafter = Drafter(_dev_catalog(), None, model, DraftingSettings(llm_mode="always"))
    systems = {}
    for kind in ("synthese", "requisitoire", "detention"):
        model.calls.clear()
        draft = drafter.stream("d", kind)
        assert draft.prompt["name"] == f"rediger_{kind}"
        assert draft.prompt["version"] == load_prompt(f"rediger_{kind}").version
        systems[kind] = {system for system, _ in model.calls}
        assert len(systems[kind]) == 1 and model.calls
    assert "SYNTHÈSE" in next(iter(systems["synthese"]))
    assert "À DÉCHARGE" in next(iter(systems["requisitoire"]))
    assert "144" in next(iter(systems["detention"]))
    assert len({next(iter(v)) for v in systems.values()}) == 3, "three kinds, three different instructions"
