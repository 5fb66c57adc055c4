"""Question answering with fakes: expected type, candidate scoring, audition lines, owners, abstention, LLM path."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.models import CaseFile, Chunk
from generation.answer import ANSWER_NONE, Answerer, answer_events
from generation.llm import FakeChatModel
from generation.question import expected_kind, frame, spans
from generation.verifier import verify
from prompts import load_prompt
from retrieval.search import Passage


@pytest.mark.parametrize("question, kind", [
    ("Combien d'individus M. FAUCHEUX a-t-il vus près du véhicule ?", "count"),
    ("Quel montant a-t-il retiré de la revente des objets ?", "amount"),
    ("Combien avez-vous retiré de la revente des objets ?", "amount"),
    ("Quand le suspect a-t-il été interpellé ?", "date"),
    ("À quelle heure les faits ont-ils eu lieu ?", "time"),
    ("Qui a frappé la victime ?", "person"),
    ("À qui est attribuée la ligne utilisée ?", "person"),
    ("Où le mis en examen a-t-il été interpellé ?", "place"),
    ("Dans quel établissement a-t-il été écroué ?", "place"),
    ("Quelle immatriculation le témoin a-t-il relevée ?", "plate"),
    ("Quelle est la durée de l'ITT de la victime ?", "itt"),
    ("Quel est le numéro de téléphone du juge d'instruction ?", "phone"),
    ("Quel est le taux d'alcoolémie dans le sang ?", "blood"),
    ("Quel taux a été mesuré dans l'air expiré ?", "breath"),
    ("Le mis en cause reconnaît-il les faits ?", "yesno"),
    ("Combien de condamnations figurent au bulletin n° 1 ?", "count"),
    ("Quelle peine a été prononcée en 2021 ?", "penalty"),
])
def test_expected_answer_type_comes_from_the_question(question, kind):
    assert expected_kind(question) == kind


def test_spans_of_each_type_are_found_and_legal_thresholds_are_not_measurements():
    assert spans("breath", "Il présente un taux de 0,42 mg par litre d'air expiré.") == ["0,42 mg par litre"]
    assert spans("blood", "Il présente un taux de 0,42 mg par litre d'air expiré.") == []
    assert spans("phone", "M. DURAND, joignable au 06 12 48 73 95, est entendu.") == ["06 12 48 73 95"]
    assert spans("itt", "Vol avec violence ayant entraîné une ITT n'excédant pas huit jours.") == []
    assert spans("itt", "Incapacité totale de travail : 15 jours.") == ["15 jours"]
    assert "trois individus" in spans("count", "J'ai vu trois individus près de la Peugeot 308.")
    assert spans("breath", "zéro virgule quatre-vingt-six milligramme par litre d'air expiré")[0].startswith("0,86 mg/L")


def test_the_owner_of_the_asked_value_is_read_from_the_question():
    assert frame("Quel est le numéro de téléphone du juge d'instruction ?").owner == "juge"
    lawyer = frame("Quel est le numéro de téléphone de l'avocat de Kevin MARCHAL ?")
    assert lawyer.owner == "avocat" and "marchal" not in lawyer.owner_terms
    assert "lucien faure" in frame("Quel est le numéro de téléphone du témoin Lucien FAURE ?").owner_terms


# a fake dossier --------------------------------------------------------------------------------------------------
def _chunk(i: int, cote: str, title: str, text: str, page: int = 1) -> Chunk:
    return Chunk(id=f"doc{cote}-{i}", dossier_id="d", document_id=f"doc{cote}", cote=cote, page=page, pdf_page=page,
                 text=text, char_start=i * 1000, char_end=i * 1000 + len(text), title=title)


PIECES = [
    _chunk(0, "D7", "Audition de témoin", "Nous entendons M. Jean FAUCHEUX, témoin. Il déclare avoir entendu du bruit. "
           "J'ai vu trois individus près de la Peugeot 308 stationnée rue Haute."),
    _chunk(1, "D9", "Audition en garde à vue", "Question : Combien avez-vous retiré de la revente des objets ?\n"
           "Réponse : J'en ai tiré 800 euros, pas plus."),
    _chunk(2, "D5", "Consultation du fichier des véhicules assurés",
           "Le véhicule est assuré au nom de M. Paul DURAND, joignable au 06 11 22 33 44."),
    _chunk(3, "D6", "Procès-verbal d'interpellation",
           "Il présente à l'éthylomètre un taux de 0,42 mg par litre d'air expiré."),
    _chunk(4, "B1", "Bulletin n° 1 du casier judiciaire",
           "BULLETIN N° 1 DU CASIER JUDICIAIRE\nLe bulletin porte mention de deux condamnations."),
    _chunk(5, "D3", "Certificat médical", "Examen de Mme Lina ROCHE, victime. Incapacité totale de travail : 6 jours."),
]


class FakeCatalog:
    def dossier(self, dossier_id):
        return CaseFile(id=dossier_id)

    def documents(self, dossier_id):
        return [SimpleNamespace(id=c.document_id, status="stored") for c in PIECES]

    def dossier_chunks(self, dossier_id):
        return PIECES


class FakeSearch:
    """Every chunk, the most word-sharing first: enough to exercise scoring without an embedder."""

    def search(self, query, flt, k=8, mode="hybrid", with_context=False, **_):
        words = set(query.lower().split())
        ranked = sorted(PIECES, key=lambda c: -len(words & set(c.text.lower().split())))
        if flt.cotes:
            ranked = [c for c in ranked if c.cote in flt.cotes]
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]


def _answerer(llm=None) -> Answerer:
    return Answerer(FakeCatalog(), FakeSearch(), llm, lambda text, ev: verify(text, ev).reasons)


def test_a_count_question_gets_the_number_span_and_its_sentence():
    a = _answerer().ask("d", "Combien d'individus M. FAUCHEUX a-t-il vus ?")
    assert a["status"] == "answered" and a["span"] == "trois individus"
    assert a["sentences"][0]["citations"][0]["cote"] == "D7" and "(D7 p.1)" in a["answer"]


def test_an_audition_question_line_is_never_the_answer_the_reply_is():
    a = _answerer().ask("d", "Quel montant a-t-il retiré de la revente des objets ?")
    assert a["span"] == "800 euros"
    assert not a["sentences"][0]["text"].startswith(("Question", "Combien"))
    assert a["sentences"][0]["asked"].startswith("Combien avez-vous retiré")


def test_somebody_elses_phone_number_is_an_abstention_not_an_answer():
    a = _answerer().ask("d", "Quel est le numéro de téléphone du juge d'instruction ?")
    assert a["status"] == "abstention" and a["answer"] == ANSWER_NONE and a["sentences"] == []
    assert "juge" in a["reason"]
    insured = _answerer().ask("d", "Quel est le numéro de téléphone de M. DURAND ?")
    assert insured["span"] == "06 11 22 33 44"


def test_a_blood_rate_is_not_answered_with_a_breath_reading():
    assert _answerer().ask("d", "Quel est le taux d'alcoolémie dans le sang du conducteur ?")["status"] == "abstention"
    assert _answerer().ask("d", "Quel taux d'alcool dans l'air expiré a été mesuré ?")["span"] == "0,42 mg par litre"


def test_a_heading_is_not_a_count_the_sentence_with_the_number_is():
    a = _answerer().ask("d", "Combien de condamnations figurent au bulletin n° 1 ?")
    assert a["span"] == "deux condamnations" and "BULLETIN" not in a["sentences"][0]["text"]


def test_the_itt_of_another_person_is_not_given():
    assert _answerer().ask("d", "Quelle est la durée de l'ITT de la victime ?")["span"] == "6 jours"
    assert _answerer().ask("d", "Quelle est la durée de l'ITT de M. DURAND ?")["status"] == "abstention"


def test_the_embedded_default_sends_the_answer_as_soon_as_chosen():
    events = list(answer_events(lambda sink: _answerer().ask("d", "Combien d'individus ont été vus ?", on_event=sink)))
    names = [n for n, _ in events]
    assert names == ["sentence", "done"] and events[0][1]["span"] == "trois individus"


def _scripted(reply_for_evidence):
    def reply(system, user):
        line = next(x for x in user.splitlines() if reply_for_evidence[0] in x)
        return reply_for_evidence[1].format(id=line.split("]")[0].strip("["))
    return FakeChatModel(reply)


def test_llm_answer_streams_token_by_token_and_is_verified():
    llm = _scripted(("800 euros", "Il a retiré 800 euros de la revente des objets [{id}]."))
    events = list(answer_events(lambda sink: _answerer(llm).ask("d", "Combien avez-vous retiré de la revente ?",
                                                                 on_event=sink)))
    tokens = [d["text"] for n, d in events if n == "token"]
    assert len(tokens) > 3 and "".join(tokens).startswith("Il a retiré 800 euros")
    done = events[-1][1]
    assert done["status"] == "answered" and done["sentences"][0]["status"] == "supported"
    assert done["span"] == "800 euros" and done["sentences"][0]["citations"][0]["cote"] == "D9"
    assert done["prompt"] == {"name": "repondre_question", "version": load_prompt("repondre_question").version}


def test_an_llm_answer_that_changes_the_number_is_retracted_for_the_extract():
    llm = _scripted(("800 euros", "Il a retiré 900 euros de la revente des objets [{id}]."))
    events = list(answer_events(lambda sink: _answerer(llm).ask("d", "Combien avez-vous retiré de la revente ?",
                                                                 on_event=sink)))
    names = [n for n, _ in events]
    assert "retract" in names and names.index("retract") < names.index("sentence")
    done = events[-1][1]
    assert done["span"] == "800 euros" and done["sentences"][0]["status"] == "fallback" and "900" not in done["answer"]


def test_an_error_in_the_worker_becomes_a_french_error_event():
    def boom(sink):
        from core.errors import NotFound

        raise NotFound("Dossier « x » introuvable.", param="dossier")

    assert list(answer_events(boom)) == [("error", {"code": "introuvable", "message": "Dossier « x » introuvable."})]


# source pieces before summaries; owners and events ------------------------------------------------------------
OTHER = [
    _chunk(10, "D25", "piece_25", "ORDONNANCE DE RENVOI DEVANT LE TRIBUNAL CORRECTIONNEL. Vu le rapport médico-légal "
           "(D22) fixant l'incapacité totale de travail définitive de la victime à 30 jours ;"),
    _chunk(11, "D22", "piece_22", "UNITÉ MÉDICO-JUDICIAIRE. Rapport d'examen de Mme Lina ROCHE, victime. "
           "L'incapacité totale de travail est fixée, à titre définitif, à 35 (trente-cinq) jours."),
    _chunk(12, "D10", "piece_10", "Agissant sur commission rogatoire du juge d'instruction, nous requérons "
           "l'opérateur. Lignes identifiées : - 06 39 98 41 27 (utilisateur présumé : BERTIN Yann) ;"),
    _chunk(13, "D20", "piece_20", "TRIBUNAL JUDICIAIRE. Ordonnance de placement en détention provisoire du juge des libertés. "
           "Après avoir entendu, en débat contradictoire tenu en audience publique le 22 février 2026, le mis en "
           "examen ; attendu que la victime présentait une ITT définitive de dix jours, des lésions caractéristiques "
           "d'une strangulation manuelle susceptible d'engager le pronostic vital, des ecchymoses multiples et des "
           "troubles du sommeil persistants, et que les faits sont survenus en présence de l'enfant Noé."),
]


class _Over:
    """The fake catalog and search over another set of pieces."""

    def __init__(self, pieces):
        self.pieces = pieces

    def dossier(self, dossier_id):
        return CaseFile(id=dossier_id)

    def documents(self, dossier_id):
        return [SimpleNamespace(id=c.document_id, status="stored") for c in self.pieces]

    def dossier_chunks(self, dossier_id):
        return self.pieces

    def search(self, query, flt, k=8, mode="hybrid", with_context=False, **_):
        words = set(query.lower().split())
        ranked = sorted(self.pieces, key=lambda c: -len(words & set(c.text.lower().split())))
        if flt.cotes:
            ranked = [c for c in ranked if c.cote in flt.cotes]
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]


def _over(pieces) -> Answerer:
    fake = _Over(pieces)
    return Answerer(fake, fake, None, lambda text, ev: verify(text, ev).reasons)


def test_the_source_piece_is_cited_rather_than_the_summary_that_restates_it():
    a = _over(OTHER).ask("d", "Quelle est la durée de l'ITT définitive de la victime ?")
    assert a["status"] == "answered" and a["sentences"][0]["citations"][0]["cote"] == "D22"
    assert "35" in a["span"]


def test_a_question_about_the_summary_itself_may_cite_it():
    a = _over(OTHER).ask("d", "À quelle date l'ordonnance de placement en détention provisoire a-t-elle été rendue ?")
    assert a["status"] == "answered" and a["sentences"][0]["citations"][0]["cote"] == "D20"


def test_a_phone_of_a_named_person_is_not_the_judges_even_near_the_word_juge():
    a = _over(OTHER).ask("d", "Quel est le numéro de téléphone du juge d'instruction ?")
    assert a["status"] == "abstention" and a["sentences"] == []


def test_the_victims_itt_is_not_the_childs():
    assert frame("Quelle ITT a été fixée pour l'enfant Noé ?").owner == "enfant"
    assert _over(OTHER).ask("d", "Quelle ITT a été fixée pour l'enfant Noé ?")["status"] == "abstention"


def test_the_jld_hearing_is_not_the_trial_hearing():
    a = _over(OTHER).ask("d", "Quelle est la date de l'audience devant le tribunal correctionnel ?")
    assert a["status"] == "abstention"
    a = _over(OTHER).ask("d", "Quelle est la date de l'audience de jugement devant le tribunal correctionnel ?")
    assert a["status"] == "abstention"
    assert _over(OTHER).ask("d", "Quelle est la date du débat contradictoire ?")["span"].startswith("22 février 2026")


LISTS = [
    _chunk(20, "D11", "piece_11", "PROCÈS-VERBAL DE PERQUISITION. Nous procédons à la perquisition du domicile. "
           "Au cours de la perquisition, sont saisis et placés sous scellés les objets suivants :\n"
           "- un couteau de cuisine à manche noir (scellé 1) ;\n- un téléphone Samsung (scellé 2) ;\n"
           "- une batte de base-ball (scellé 3).\nLecture faite, la personne signe avec nous."),
    _chunk(21, "D10", "piece_10", "PROCÈS-VERBAL D'AUDITION en garde à vue de M. Marc BERTIN.\n"
           "Question : Avez-vous serré le cou de votre concubine ?\nRéponse : Non, je ne l'ai jamais touchée au cou, "
           "j'ai seulement attrapé son pull.\nQuestion : Étiez-vous sur les lieux ?\nRéponse : Oui, j'y étais."),
]


def test_a_list_question_gets_every_enumerated_item():
    a = _over(LISTS).ask("d", "Quels objets ont été saisis lors de la perquisition ?")
    assert a["status"] == "answered"
    for item in ("couteau", "Samsung", "batte"):
        assert item in a["answer"]
    assert all(s["citations"][0]["cote"] == "D11" for s in a["sentences"])


def test_a_yes_no_question_is_answered_yes_or_no_from_the_reply():
    a = _over(LISTS).ask("d", "En garde à vue, M. BERTIN a-t-il reconnu avoir serré le cou de sa concubine ?")
    assert a["span"] == "Non" and a["answer"].startswith("Non") and "jamais" in a["sentences"][0]["text"]
    assert not a["sentences"][0]["text"].startswith(("Question", "Avez-vous"))
