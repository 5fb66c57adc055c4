"""What the terminal shows of an ingestion: French words and numbers, never a Python dict, a code or None."""
from __future__ import annotations

import re

from api.render import ingestion_summary
from ingestion.pipeline import DocReport, IngestReport


def _report() -> IngestReport:
    return IngestReport("D-1", [
        DocReport("D1_pv.pdf", cote="D1", pages=3, ocr_pages=2, chunks=9,
                  warnings=["OCR de faible confiance pages 2 : vérifier la lecture."]),
        DocReport("D2_pv.pdf", cote="D2", pages=4, chunks=7, status="unchanged"),
        DocReport("scan.bin", status="failed", error="Format de fichier non pris en charge.",
                  error_code="format_non_pris_en_charge"),
    ])


def test_the_ingestion_summary_gives_counts_pages_ocr_pages_and_each_warning_in_french():
    lines = ingestion_summary(_report())
    first = lines[0]
    assert "3 fichiers" in first and "1 enregistré" in first and "1 déjà présent" in first and "1 en échec" in first
    assert "7 pages, dont 2 lues par OCR" in first and "16 extraits" in first
    assert any("D1" in ln and "faible confiance" in ln for ln in lines[1:])
    assert any("scan.bin" in ln and "non pris en charge" in ln for ln in lines[1:])
    text = "\n".join(ln.replace("D1_pv.pdf", "") for ln in lines)
    assert "None" not in text and "{" not in text and not re.search(r"\b[a-z]+_[a-z_]+\b", text)


def test_a_clean_ingestion_says_there_is_no_warning():
    lines = ingestion_summary(IngestReport("D-2", [DocReport("a.pdf", pages=1, chunks=1)]))
    assert lines[0].startswith("1 fichier : 1 enregistré ; 1 page, aucune lue par OCR ; 1 extrait indexé")
    assert lines[1:] == ["Aucun avertissement."]
