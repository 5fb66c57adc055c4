"""Classes of misses of a further author's road set (issue #13), checked on phrasings of our own
(tests/data/wording_variations_sprint.jsonl, one cause per line; « guard » lines must keep working). Values and
sources are asserted, never one exact sentence.

Drugs: the confirmation outranks the screening, per substance (a negative confirmation said without naming the
substance, a result under the threshold told after it, « confirme X mais pas Y »); concentrations in µg/l are
results; someone else's test is not the driver's.
Numbers in words: two readings in words sharing one unit (« zéro virgule X et zéro virgule Y milligramme »), a blood
rate in centigrams per litre, « kilomètres-heure », a retained speed told without its unit after the measured one.
Refusal and screening: « s'y est opposé » after a proposal, a feigned breath taken as a refusal, a refusal with its
reason after a notice; « contrôlé négatif à l'alcool », OCR « n6gatif », a zero on a screening device.
Other people's values: the driver's ITT vs the victim's, a previous procedure's reading, a device's tolerance, the
passenger's breath reading, a ticket's « Résultat » repeating the last measure, typical values and rules for every
holder quoted by a prevention text.
Forms and dates: a B1 table flattened with pipes is a record (its dates are not the facts date); the day of a
measure in a préfecture arrêté (« … 0,71 mg/l d'air expiré le 14 mai 2026 »)."""
from __future__ import annotations

import pytest

from core.models import Page, SourceDocument
from orientation.extract import extract, page_views
from tests.cause_corpus import check_row, load_rows, row_ids

ROWS = load_rows("wording_variations_sprint.jsonl")


@pytest.mark.parametrize("row", ROWS, ids=row_ids(ROWS))
def test_each_class_is_read_by_meaning(row):
    check_row(row)


def _file(*pieces: tuple[str, str]) -> dict:
    docs = []
    for i, (cote, text) in enumerate(pieces):
        doc = SourceDocument(id=f"d{i}", dossier_id="x", cote=cote, sha256="-", filename=f"{cote}.pdf")
        docs.append((doc, [Page(document_id=f"d{i}", number=1, text=text)]))
    return extract(page_views(docs))


def test_a_file_whose_lab_report_is_negative_is_negative_cited_to_the_lab_report():
    facts = _file(
        ("D2", "PROCÈS-VERBAL DE DÉPISTAGE\nLe conducteur est soumis à un test salivaire. Le test est positif au "
               "cannabis. Un prélèvement salivaire de confirmation est effectué et adressé au laboratoire."),
        ("D7", "RAPPORT D'ANALYSE TOXICOLOGIQUE\nÉchantillon reçu le 03/03/2026.\nConclusion : l'analyse de "
               "confirmation est négative."),
    )
    assert facts["drugs_positive"].value is False
    assert facts["drugs_positive"].sources[0].cote == "D7"
    assert not facts["drugs_substances"] or not facts["drugs_substances"].value


@pytest.mark.parametrize("raw, kept", [
    ("est fixée à douze 2) jours", "douze"), ("est fixée à douze a2) jours", "douze"),
    ("est fixée à douze (12) jours", "(12)"), ("trois (3) jours", "(3)"), ("l'article 12 a2)", "a2)"),
])
def test_a_figure_echoing_number_words_misread_by_ocr_is_blanked_offsets_kept(raw, kept):
    from orientation.quantities import fold_for_numbers
    folded = fold_for_numbers(raw)
    assert len(folded) == len(raw)  # page offsets (highlights, quotes) stay valid
    assert kept in folded
    if kept == "douze":
        assert not any(c.isdigit() for c in folded)
