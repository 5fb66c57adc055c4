"""A summary piece (rapport de synthèse, procès-verbal de synthèse) restates the facts: when a primary act among the
dossier's pieces states the same value, the answer cites the act that established it."""
from __future__ import annotations

from types import SimpleNamespace

from core.models import CaseFile, Chunk
from generation.answer import Answerer, piece_kind
from generation.pieces import classify
from generation.verifier import verify
from retrieval.search import Passage


def _chunk(i: int, cote: str, title: str, text: str) -> Chunk:
    return Chunk(id=f"doc{cote}-{i}", dossier_id="d", document_id=f"doc{cote}", cote=cote, page=1, pdf_page=1,
                 text=text, char_start=0, char_end=len(text), title=title)


PIECES = [
    _chunk(1, "D40", "piece_40", "RAPPORT DE SYNTHÈSE\nL'enquête a permis d'établir les faits suivants. "
           "Lors de la perquisition au domicile de M. Karim BENALI, une somme de 1 450 euros en numéraire a été "
           "découverte et saisie dans la chambre du mis en cause, ainsi que deux téléphones portables."),
    _chunk(2, "D12", "piece_12", "PROCÈS-VERBAL DE PERQUISITION ET DE SAISIE\nEn présence de l'intéressé, nous "
           "procédons à la fouille de l'appartement. Dans le tiroir de la table de nuit nous découvrons 1 450 euros "
           "en billets de 50 et de 20. Plaçons cette somme sous scellé n° 3."),
    _chunk(3, "D8", "piece_8", "PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Julie MARTIN, voisine. "
           "Elle déclare avoir vu M. BENALI rentrer tard le soir."),
]


class _Fake:
    def dossier(self, dossier_id):
        return CaseFile(id=dossier_id)

    def documents(self, dossier_id):
        return [SimpleNamespace(id=c.document_id, status="stored") for c in PIECES]

    def dossier_chunks(self, dossier_id):
        return PIECES

    def search(self, query, flt, k=8, mode="hybrid", with_context=False, **_):
        words = set(query.lower().split())
        ranked = sorted(PIECES, key=lambda c: -len(words & set(c.text.lower().split())))
        if flt.cotes:
            ranked = [c for c in ranked if c.cote in flt.cotes]
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]


def _answerer() -> Answerer:
    fake = _Fake()
    return Answerer(fake, fake, None, lambda text, ev: verify(text, ev).reasons)


def test_the_seized_sum_cites_the_search_report_not_the_synthesis_that_restates_it():
    a = _answerer().ask("d", "Quelle somme en numéraire a été saisie au domicile de M. BENALI lors de la perquisition ?")
    assert a["status"] == "answered"
    assert "1 450" in a["span"]
    assert a["sentences"][0]["citations"][0]["cote"] == "D12"


def test_synthesis_titles_are_summaries():
    for title in ("Rapport de synthèse", "Procès-verbal de synthèse", "Rapport de fin d'enquête"):
        assert piece_kind(title) == "summary", title
        assert classify(title.upper() + "\nL'enquête a permis d'établir les faits.") == "synthese", title
    assert piece_kind("Procès-verbal de perquisition") == "source"
