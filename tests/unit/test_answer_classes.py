"""Question classes a new author's dossier brings (issue 15): compound questions answered part by part, yes/no
decided from the asked person's words at the asked stage, lists gathered across the piece, and look-alike traps
(another protagonist's value, a homonym, another court, an order not yet made, a search at another home) that
must abstain. A fake dossier of invented pieces; values and cotes are asserted, never a wording."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.models import CaseFile, Chunk
from generation.answer import ANSWER_NONE, Answerer
from generation.question import expected_kind, split_compound
from generation.verifier import verify
from retrieval.search import Passage


def _piece(cote: str, title: str, text: str, page: int = 1) -> Chunk:
    return Chunk(id=f"doc{cote}-{page}", dossier_id="d", document_id=f"doc{cote}", cote=cote, page=page,
                 pdf_page=page, text=text, char_start=0, char_end=len(text), title=title)


DOSSIER = [
    _piece("D3", "Audition de témoin",
           "PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nL'an deux mille vingt-six, le deux mars, à dix heures, Nous, Marc "
           "DELORME, Capitaine de police, entendons BARDOT Lucienne, née le 4 mai 1958 à Rodez, retraitée, qui "
           "déclare :\n« J'ai vu une camionnette blanche partir très vite vers le pont.\nPour la plaque, je n'ai lu "
           "que les deux premières lettres, GH, rien d'autre. »\nQuestion : À quelle heure était-ce ?\n"
           "Réponse : Vers 21 heures."),
    _piece("D5", "Procès-verbal de recherches",
           "PROCÈS-VERBAL DE RECHERCHES\nL'an deux mille vingt-six, le quatre mars, Nous, Marc DELORME, Capitaine "
           "de police, interrogeons le fichier des immatriculations : la plaque GH-514-TR est attribuée à une "
           "camionnette Renault Master blanche."),
    _piece("D8", "Perquisition et saisie",
           "PROCÈS-VERBAL DE PERQUISITION ET DE SAISIE\nL'an deux mille vingt-six, le cinq mars, à six heures, Nous, "
           "Marc DELORME, Capitaine de police, nous transportons au domicile de LAMOTTE Kevin, 12 rue des Tanneurs "
           "à Figeac.\nDans le placard de l'entrée, découvrons une perceuse sans fil de marque Bosch. Plaçons sous "
           "scellé n° 1.\nSous le lit, découvrons une boîte métallique contenant 640 euros en billets. Plaçons sous "
           "scellé n° 2.\nDans la cuisine, découvrons un couteau à cran d'arrêt. Plaçons sous scellé n° 3.\n"
           "Aucun autre objet intéressant l'enquête n'est découvert.\nIl est précisé qu'au même moment, le "
           "Lieutenant Paul RIVIÈRE a procédé à l'interpellation de Jordan PRIVAT à son domicile, 4 impasse des "
           "Saules à Figeac, à 6 h 20."),
    _piece("D10", "Audition de garde à vue",
           "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nL'an deux mille vingt-six, le cinq mars, à dix "
           "heures, Nous, Marc DELORME, Capitaine de police, entendons LAMOTTE Kevin, né le 3 juin 1999 à Cahors, "
           "plaquiste, demeurant 12 rue des Tanneurs à Figeac, placé en garde à vue le 5 mars 2026 à 6 h 00.\n"
           "Question : Avez-vous frappé M. VASSAL ?\nRéponse : Non. "
           "Je ne l'ai jamais touché, c'est Jordan qui l'a poussé.\nQuestion : Qu'avez-vous fait de la perceuse ?\n"
           "Réponse : Je l'ai revendue 80 euros à un inconnu.\nQuestion : Où étiez-vous le 1er mars 2026 au soir ?\n"
           "Réponse : Chez ma mère, à Cahors. Je ne suis jamais allé place du Marché ce soir-là.\nMention : la "
           "garde à vue de Jordan PRIVAT a été levée le 6 mars 2026 à 11 h 15."),
    _piece("D14", "Confrontation",
           "PROCÈS-VERBAL DE CONFRONTATION\nLe vingt avril deux mille vingt-six, devant Nous, Claire MONTEIL, juge "
           "d'instruction, ont comparu LAMOTTE Kevin, mis en examen, et PRIVAT Jordan, mis en examen.\n"
           "Question à M. LAMOTTE : Maintenez-vous ne pas avoir frappé M. VASSAL ?\nRéponse de M. LAMOTTE : Non. "
           "Je reconnais lui avoir donné un coup de poing, un seul.\nQuestion à M. PRIVAT : Avez-vous dit « je vais "
           "te planter » à M. VASSAL ?\nRéponse de M. PRIVAT : J'ai dit « je vais te planter », mais je ne l'aurais "
           "jamais fait.\nQuestion à M. LAMOTTE : Étiez-vous place du Marché le 1er mars 2026 ?\nRéponse de M. "
           "LAMOTTE : Oui, je reconnais que j'étais place du Marché le 1er mars 2026 au soir."),
    _piece("D16", "Ordonnance du juge des libertés et de la détention",
           "ORDONNANCE DE REJET DE DEMANDE DE MISE EN LIBERTÉ\nService du juge des libertés et de la détention\n"
           "Nous, Anne FABRE, juge des libertés et de la détention, vu la demande de mise en liberté de LAMOTTE "
           "Kevin, attendu que la victime présentait une incapacité totale de travail de dix jours, rejetons la "
           "demande de mise en liberté présentée par LAMOTTE Kevin. Rappelons qu'il peut "
           "interjeter appel devant la chambre de l'instruction dans un délai de dix jours.\nFait le 12 mai 2026."),
    _piece("D18", "Avis de fin d'information",
           "AVIS DE FIN D'INFORMATION\nNous, Claire MONTEIL, juge d'instruction, avisons les parties que "
           "l'information nous paraît terminée. À l'issue de ces délais, nous pourrons rendre l'ordonnance de "
           "règlement.\nFait en notre cabinet, le 2 juin 2026."),
    _piece("D20", "Audition de victime",
           "PROCÈS-VERBAL D'AUDITION DE VICTIME\nL'an deux mille vingt-six, le trois mars, à quinze heures, Nous, "
           "Marc DELORME, Capitaine de police, entendons VASSAL Henri, né le 1er février 1950 à Figeac, qui "
           "déclare :\n« Ma sœur, Mme Colette VASSAL, est venue me chercher à l'hôpital. »\nMention : Mme "
           "Henriette VASSAL, son épouse, est joignable au 06 12 34 56 78."),
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


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(FakeCatalog(), FakeSearch(), None, lambda text, ev: verify(text, ev).reasons)


def _cotes(result: dict) -> set[str]:
    return {c["cote"] for s in result["sentences"] for c in s["citations"]}


@pytest.mark.parametrize("question, parts", [
    ("Quand et où Jordan PRIVAT a-t-il été interpellé ?",
     ["Quand Jordan PRIVAT a-t-il été interpellé ?", "Où Jordan PRIVAT a-t-il été interpellé ?"]),
    ("Qui a acheté la perceuse et pour quel montant ?", ["Qui a acheté la perceuse ?",
                                                          "Pour quel montant a acheté la perceuse ?"]),
    ("Lors de la confrontation, qui a frappé selon Kevin LAMOTTE, et combien étaient-ils selon lui ?",
     ["Lors de la confrontation, qui a frappé selon Kevin LAMOTTE ?",
      "Lors de la confrontation, combien étaient-ils selon Kevin LAMOTTE ?"]),
])
def test_a_compound_question_is_split_into_questions_of_their_own(question, parts):
    assert split_compound(question) == parts


@pytest.mark.parametrize("question", [
    "Quel est le montant du cautionnement et de l'amende ?",  # one interrogative: one question
    "Kevin LAMOTTE et Jordan PRIVAT ont-ils été confrontés ?",
    "Quelle somme a été saisie au domicile de Kevin LAMOTTE ?",
])
def test_a_single_question_is_not_split(question):
    assert split_compound(question) == []


def test_each_part_of_a_compound_question_is_answered(answerer):
    r = answerer.ask("d", "Quand et où Jordan PRIVAT a-t-il été interpellé ?")
    assert r["status"] == "answered" and "D8" in _cotes(r)
    assert "6 h 20" in r["answer"] and "5 mars 2026" in r["answer"]  # the time, with the search report's day
    assert "4 impasse des Saules" in r["answer"]


def test_a_part_the_dossier_does_not_state_is_said_so_and_the_other_is_answered(answerer):
    r = answerer.ask("d", "Quel est le numéro de téléphone de Jordan PRIVAT et à quelle heure sa garde à vue "
                          "a-t-elle été levée ?")
    assert r["status"] == "answered" and "11 h 15" in r["answer"]
    assert "ne le précise pas" in r["answer"] and "06 12 34 56 78" not in r["answer"]


@pytest.mark.parametrize("question, decision, cote", [
    ("En garde à vue, Kevin LAMOTTE a-t-il reconnu avoir frappé M. VASSAL ?", "Non", "D10"),
    ("Lors de la confrontation, Kevin LAMOTTE reconnaît-il avoir frappé M. VASSAL ?", "Oui", "D14"),
    # the confrontation's admission shares more words with the question: the custody's denial still decides
    ("En garde à vue, Kevin LAMOTTE a-t-il reconnu être présent place du Marché le 1er mars 2026 ?", "Non", "D10"),
    ("Lors de la confrontation, Kevin LAMOTTE reconnaît-il sa présence place du Marché ?", "Oui", "D14"),
    # « J'ai dit « … », mais je ne l'aurais jamais fait »: the words are admitted, the intent denied
    ("Lors de la confrontation, Jordan PRIVAT reconnaît-il avoir dit « je vais te planter » ?", "Oui", "D14"),
])
def test_a_yes_no_question_is_decided_by_the_persons_words_at_the_stage_asked(answerer, question, decision, cote):
    r = answerer.ask("d", question)
    assert r["status"] == "answered" and r["span"] == decision and _cotes(r) == {cote}


def test_a_yes_no_question_about_a_stage_the_person_never_reached_abstains(answerer):
    r = answerer.ask("d", "Lors de la confrontation, Mme BARDOT maintient-elle avoir vu une camionnette ?")
    assert r["answer"] == ANSWER_NONE and r["reason"]


def test_a_list_question_gets_every_item_the_piece_seizes(answerer):
    r = answerer.ask("d", "Quels objets ont été saisis lors de la perquisition au domicile de Kevin LAMOTTE ?")
    assert r["status"] == "answered" and _cotes(r) == {"D8"}
    for item in ("perceuse", "640 euros", "couteau"):
        assert item in r["answer"]


@pytest.mark.parametrize("question", [
    "À quelle heure la garde à vue de Kevin LAMOTTE a-t-elle été levée ?",       # Jordan PRIVAT's was
    "Quel est le numéro de téléphone de Mme Colette VASSAL ?",                 # Mme Henriette VASSAL's is given
    "Qu'a décidé la chambre de l'instruction sur la demande de mise en liberté de Kevin LAMOTTE ?",  # the JLD decided
    "À quelle date l'ordonnance de règlement a-t-elle été rendue ?",           # announced, not made
    "Quels objets ont été saisis lors d'une perquisition chez M. VASSAL ?",     # the search was at LAMOTTE's
])
def test_a_look_alike_of_what_the_dossier_states_is_an_abstention(answerer, question):
    r = answerer.ask("d", question)
    assert r["answer"] == ANSWER_NONE and r["sentences"] == []


def test_the_profession_is_read_from_the_identity_block(answerer):
    r = answerer.ask("d", "Quelle est la profession de Kevin LAMOTTE ?")
    assert r["status"] == "answered" and r["span"] == "plaquiste" and _cotes(r) == {"D10"}


def test_the_victims_value_is_not_the_one_of_the_person_asked(answerer):
    r = answerer.ask("d", "Quelle ITT a été fixée pour Kevin LAMOTTE ?")  # the order gives the victim's
    assert r["answer"] == ANSWER_NONE


def test_a_value_the_witness_gives_in_other_words_is_her_sentence_not_the_full_value_of_a_report(answerer):
    r = answerer.ask("d", "Quelle immatriculation Mme BARDOT a-t-elle relevée ?")
    assert r["status"] == "answered" and _cotes(r) == {"D3"}
    assert "GH" in r["answer"] and "GH-514-TR" not in r["answer"]


@pytest.mark.parametrize("question, kind", [
    ("Lors de la confrontation, Anthony PRIVAT maintient-il l'heure de départ de son frère ?", "yesno"),
    ("Lors de la confrontation, Kevin LAMOTTE maintient-il que ce n'est pas lui qui a frappé ?", "yesno"),
    ("Quel téléphone a été saisi lors de la perquisition ?", "free"),       # a device, not a number
    ("Quel est le numéro d'écrou de Kevin LAMOTTE ?", "ident"),
    ("Quel est le numéro de téléphone de la juge d'instruction ?", "phone"),
])
def test_the_expected_kind(question, kind):
    assert expected_kind(question) == kind


BULLETINS = [
    _piece("B1", "Bulletin n° 1",
           "CASIER JUDICIAIRE NATIONAL\nBULLETIN N° 1 — RELEVÉ INTÉGRAL\nIdentité : LAM0TTE Kevin, né le 03/06/1999 "
           "à Cahors.\nNombre de condamnations : 3\nCondamnation n° 1\nDate : 02/02/2021 — Juridiction : tribunal "
           "correctionnel de Cahors\nInfraction : vol simple\nCondamnation n° 2\nDate : 10/10/2024 — Juridiction : "
           "tribunal correctionnel de Figeac\nInfraction : recel de vol, faits commis le 01/05/2024"),
    _piece("B2", "Bulletin n° 1",
           "CASIER JUDICIAIRE NATIONAL\nBULLETIN N° 1 — RELEVÉ INTÉGRAL\nIdentité : PRIVAT Jordan, né le 14/02/2001 "
           "à Figeac.\nNombre de condamnations : 1\nCondamnation n° 1 : recel, 70 jours-amende."),
]


class _Bulletins(FakeCatalog, FakeSearch):
    def documents(self, dossier_id):
        return [SimpleNamespace(id=c.document_id, status="stored") for c in DOSSIER + BULLETINS]

    def dossier_chunks(self, dossier_id):
        return DOSSIER + BULLETINS

    def search(self, query, flt, k=8, mode="hybrid", with_context=False, **_):
        words = set(query.lower().split())
        ranked = sorted(DOSSIER + BULLETINS, key=lambda c: -len(words & set(c.text.lower().split())))
        if flt.cotes:
            ranked = [c for c in ranked if c.cote in flt.cotes]
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]


def test_a_scanned_bulletin_is_still_its_subjects_and_never_another_persons():
    fake = _Bulletins()
    a = Answerer(fake, fake, None, lambda text, ev: verify(text, ev).reasons)
    r = a.ask("d", "Combien de condamnations figurent au casier judiciaire de Kevin LAMOTTE ?")
    assert r["status"] == "answered" and _cotes(r) == {"B1"} and r["span"].endswith("3")
    r = a.ask("d", "Combien de condamnations figurent au casier judiciaire de Jordan PRIVAT ?")
    assert r["status"] == "answered" and _cotes(r) == {"B2"} and r["span"].endswith("1")
    # the date row of the entry whose infraction line says « recel »
    r = a.ask("d", "Quand Kevin LAMOTTE a-t-il été condamné pour recel ?")
    assert r["status"] == "answered" and _cotes(r) == {"B1"} and "10/10/2024" in r["span"]
