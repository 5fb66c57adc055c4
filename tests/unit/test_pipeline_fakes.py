"""The ingestion pipeline with fakes (memory store, hash embedder): cotes, splitting, journal."""
from __future__ import annotations

import pypdfium2 as pdfium

from core.protocols import SearchFilter
from tests.conftest import EXAMPLES


def _merge(paths, target):
    out = pdfium.PdfDocument.new()
    for p in paths:
        src = pdfium.PdfDocument(str(p))
        out.import_pages(src)
    out.save(str(target))


def test_a_pdf_holding_several_cotes_is_split_by_its_stamps(fake_services, tmp_path):
    inst = EXAMPLES / "instruction-000"
    gold_docs = {d["cote"]: d for d in __import__("json").loads((inst / "gold.json").read_text())["documents"]}
    picks = [gold_docs[c] for c in ("D1", "D2", "D3") if not gold_docs[c]["scanned"]]
    folder = tmp_path / "scan"
    folder.mkdir()
    _merge([inst / d["file"] for d in picks], folder / "dossier_complet.pdf")
    report = fake_services.ingestor.ingest([folder], "merged")
    doc = report.documents[0]
    assert doc.status == "stored" and doc.cote is None
    assert any("plusieurs cotes" in w for w in doc.warnings)
    chunks = fake_services.catalog.chunks(doc.document_id)
    by_cote = {(c.cote, c.page) for c in chunks}
    for d in picks:
        assert (d["cote"], d["pages"]) in by_cote  # the last page of each piece keeps its own number


def test_a_document_without_any_cote_gets_none_and_a_warning(fake_services, tmp_path):
    (tmp_path / "note.txt").write_text("Note d'audience sans cote ni tampon, rédigée par le greffe.", encoding="utf-8")
    report = fake_services.ingestor.ingest([tmp_path / "note.txt"], "nocote")
    assert report.documents[0].cote is None
    assert any("Aucune cote" in w for w in report.documents[0].warnings)
    assert fake_services.store.count(SearchFilter(dossier_id="nocote")) == 1
