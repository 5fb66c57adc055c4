"""Question answering on a fake dossier of several pieces: whose words answer (the speaker and the stage the question
names), the time of the facts rather than the time of the act, totals broken down on their page, a statement
continued after a colon. Values and cotes are asserted, never a wording."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.models import CaseFile, Chunk
from generation.answer import ANSWER_NONE, Answerer
from generation.question import frame
from generation.verifier import verify
from retrieval.search import Passage


def _piece(cote: str, title: str, text: str, page: int = 1) -> Chunk:
    return Chunk(id=f"doc{cote}-{page}", dossier_id="d", document_id=f"doc{cote}", cote=cote, page=page,
                 pdf_page=page, text=text, char_start=0, char_end=len(text), title=title)


DOSSIER = [
    _piece("D1", "Procès-verbal de constatations",
           "PROCÈS-VERBAL DE CONSTATATIONS\nL'an deux mille vingt-six, le six février, à dix-neuf heures cinquante, "
           "Nous, Paul GRISARD, Capitaine de police, constatons les lieux. M. Bernard TAVERNIER, voisin, déclare avoir "
           "vu une voiture grise. L'immatriculation FK-317-QW relevée par le témoin TAVERNIER est diffusée à 19 h 40 "
           "à tous les effectifs."),
    _piece("D2", "Plainte de Mme Odette RIVAL",
           "PROCÈS-VERBAL DE PLAINTE\nL'an deux mille vingt-six, le sept février, à dix heures, Nous, Paul GRISARD, "
           "Capitaine de police, recevons la plainte de RIVAL Odette, née le 3 mai 1950 à Pantin, victime, qui "
           "déclare :\n« Hier, vendredi 6 février, j'étais partie faire mes courses. Je suis rentrée à pied. Il "
           "était vers 18 h 45 quand je suis arrivée devant chez moi. Deux hommes m'ont poussée. »"),
    _piece("D4", "Audition de témoin",
           "PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nL'an deux mille vingt-six, le sept février, à quatorze heures, Nous, "
           "Paul GRISARD, Capitaine de police, entendons TAVERNIER Bernard, né le 2 avril 1961 à Pantin, voisin de "
           "la victime, qui déclare :\n« J'ai vu deux individus monter dans une Clio grise. J'ai eu le temps de "
           "lire la plaque, FK-317-QW, quand ils ont démarré. »"),
    _piece("D15", "Audition de personne gardée à vue",
           "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nL'an deux mille vingt-six, le trois mars, à dix "
           "heures, Nous, Paul GRISARD, Capitaine de police, entendons BARTHEL Yanis, né le 22 septembre 2000 à "
           "Bondy, placé en garde à vue le 3 mars 2026 à 6 h 00, à qui ont été notifiés ses droits à 6 h 05.\n"
           "Question : Qu'avez-vous fait des bijoux ?\nRéponse : On les a vendus 1 500 euros à un receleur."),
    _piece("D23", "Interrogatoire de M. Yanis BARTHEL",
           "PROCÈS-VERBAL D'INTERROGATOIRE\nLe quatorze avril deux mille vingt-six, devant Nous, Hélène DUVAL, juge "
           "d'instruction, comparaît BARTHEL Yanis, né le 22 septembre 2000 à Bondy, mis en examen.\n"
           "Question : Qu'avez-vous fait des bijoux ?\nRéponse : On a vendu les bijoux pour 800 euros aux puces."),
    _piece("D24", "Confrontation",
           "PROCÈS-VERBAL DE CONFRONTATION\nLe douze mai deux mille vingt-six, devant Nous, Hélène DUVAL, juge "
           "d'instruction, comparaissent BARTHEL Yanis, mis en examen, et DORVAL Mickaël, mis en examen.\n"
           "Question à M. DORVAL : Qu'avez-vous reçu de la vente des bijoux ?\n"
           "Réponse de M. DORVAL : Yanis m'a donné 250 euros pour les bijoux."),
    _piece("D16", "Exploitation de la téléphonie",
           "PROCÈS-VERBAL D'EXPLOITATION DE LA TÉLÉPHONIE\nContacts avec la ligne de la victime du 19 janvier au 20 "
           "février 2026.\n— 147 appels sortants vers la ligne de Mme RIVAL, dont 58 appels aboutis et 89 non "
           "aboutis.\nPendant la période où Mme RIVAL résidait chez sa mère, 130 appels ont été passés vers sa "
           "ligne par M. BARTHEL ; après son retour, 17 appels ont été passés vers sa ligne par M. BARTHEL."),
    _piece("D7", "Identification dactyloscopique",
           "RAPPORT D'IDENTIFICATION DACTYLOSCOPIQUE (FAED)\nTrace n° 1 : trace papillaire relevée sur le châssis de "
           "la porte-fenêtre du pavillon de Mme Odette RIVAL.\nLa trace n° 1 est identifiée avec l'empreinte de "
           "l'index droit de :\nBARTHEL Yanis, né le 22 septembre 2000 à Bondy, signalisé en 2022."),
]


class FakeCatalog:
    def dossier(self, dossier_id):
        return CaseFile(id=dossier_id)

    def documents(self, dossier_id):
        return [SimpleNamespace(id=c.document_id, status="stored") for c in DOSSIER]

    def dossier_chunks(self, dossier_id):
        return DOSSIER


class FakeSearch:
    """Every piece, the most word-sharing first (no embedder): ranking by overlap, filters by cote."""

    def search(self, query, flt, k=8, mode="hybrid", with_context=False, **_):
        words = set(query.lower().split())
        ranked = sorted(DOSSIER, key=lambda c: -len(words & set(c.text.lower().split())))
        if flt.cotes:
            ranked = [c for c in ranked if c.cote in flt.cotes]
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]


@pytest.fixture
def answerer() -> Answerer:
    return Answerer(FakeCatalog(), FakeSearch(), None, lambda text, ev: verify(text, ev).reasons)


def _cotes(result: dict) -> set[str]:
    return {c["cote"] for s in result["sentences"] for c in s["citations"]}


@pytest.mark.parametrize("question, names, roles", [
    ("Quelle immatriculation le témoin TAVERNIER a-t-il relevée ?", {"tavernier"}, {"temoin"}),
    ("Selon son frère, à quelle heure Mickaël DORVAL est-il parti ?", set(), {"frere"}),
    ("Que dit Mme RIVAL de la soirée du 6 février ?", {"rival"}, set()),
    ("À quelle heure la victime dit-elle être rentrée chez elle ?", set(), {"victime"}),
    ("D'après le voisin, combien d'hommes ont fui ?", set(), {"voisin"}),
])
def test_the_speaker_is_read_from_the_question(question, names, roles):
    sp = frame(question).speaker
    assert sp is not None and set(sp.names) == names and sp.roles == roles


@pytest.mark.parametrize("question", [
    "Combien d'appels M. BARTHEL a-t-il passés vers la ligne de Mme RIVAL ?",
    "Quelle est la durée de l'ITT de la victime ?",
    "Quel est le numéro de téléphone de la juge d'instruction ?",
])
def test_a_question_about_facts_names_no_speaker(question):
    assert frame(question).speaker is None


def test_the_witness_named_answers_from_his_own_statement_not_the_report_restating_it(answerer):
    r = answerer.ask("d", "Quelle immatriculation le témoin TAVERNIER a-t-il relevée ?")
    assert r["status"] == "answered" and "FK-317-QW" in r["answer"] and _cotes(r) == {"D4"}


def test_the_time_the_victim_gives_is_the_time_of_the_facts_with_its_day(answerer):
    r = answerer.ask("d", "À quelle heure la victime dit-elle être rentrée chez elle ?")
    assert r["status"] == "answered" and _cotes(r) == {"D2"}
    assert "18 h 45" in r["span"] and "6 février 2026" in r["span"]
    assert "6 h 00" not in r["answer"]  # the custody notified at dawn is not the time of the facts


def test_the_amount_stated_before_the_judge_is_not_the_one_of_custody_nor_another_persons(answerer):
    r = answerer.ask("d", "Pour quel montant Yanis BARTHEL a-t-il déclaré devant la juge avoir vendu les bijoux ?")
    assert r["status"] == "answered" and "800" in r["span"] and _cotes(r) == {"D23"}
    r = answerer.ask("d", "En garde à vue, pour quel montant Yanis BARTHEL dit-il avoir vendu les bijoux ?")
    assert "1 500" in r["span"] and _cotes(r) == {"D15"}


def test_a_count_broken_down_on_its_page_is_answered_by_its_total(answerer):
    r = answerer.ask("d", "Combien d'appels M. BARTHEL a-t-il passés vers la ligne de Mme RIVAL ?")
    assert r["status"] == "answered" and r["span"].startswith("147") and _cotes(r) == {"D16"}


def test_a_statement_continued_after_a_colon_gives_the_person(answerer):
    r = answerer.ask("d", "À qui appartient l'empreinte relevée chez Mme RIVAL ?")
    assert r["status"] == "answered" and "BARTHEL" in r["span"] and _cotes(r) == {"D7"}


def test_a_speaker_the_dossier_never_hears_is_still_an_abstention_when_nothing_answers(answerer):
    r = answerer.ask("d", "Selon l'expert psychiatre, quel est le groupe sanguin de M. BARTHEL ?")
    assert r["answer"] == ANSWER_NONE


def test_a_yes_no_answer_from_a_declaration_says_when_and_at_which_stage_it_was_made(answerer):
    r = answerer.ask("d", "Devant la juge, Yanis BARTHEL a-t-il reconnu avoir vendu les bijoux ?")
    assert r["status"] == "answered" and _cotes(r) == {"D23"}
    assert "14 avril 2026" in r["answer"] and "interrogatoire" in r["answer"].lower()


@pytest.mark.parametrize("question", [
    "Qu'a déclaré M. TAVERNIER en garde à vue ?",            # he was heard as a witness, never in custody
    "À quelle heure le voisin dit-il être rentré chez lui ?",  # only the victim says when she came home
])
def test_a_false_premise_about_what_somebody_said_is_an_abstention(answerer, question):
    r = answerer.ask("d", question)
    assert r["status"] == "abstention" and r["sentences"] == [] and r["reason"]
