"""Catalog contract: every adapter (SQLite file, real PostgreSQL) keeps values, isolation and ordering."""
from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest

from core.errors import NotFound
from core.models import BBox, CaseFile, Chunk, DocumentStatus, Line, Page, SourceDocument
from core.protocols import Catalog as CatalogProtocol
from ingestion.catalog import Catalog
from tests.contracts import state_workers

A, B = "tjparis~A-1", "tjcreteil~A-1"  # the same typed id in two juridictions: two internal keys


@pytest.fixture
def catalog(state_location):
    cat = Catalog(state_location)
    yield cat
    cat.close()


def _doc(dossier: str, doc_id: str, cote: str | None = "D1", filename: str = "d1.pdf", **kw) -> SourceDocument:
    return SourceDocument(id=doc_id, dossier_id=dossier, cote=cote, sha256="sha-" + doc_id, filename=filename, **kw)


def _page(doc_id: str, n: int, text: str = "Procès-verbal d'audition", ocr: bool = False) -> Page:
    return Page(document_id=doc_id, number=n, text=text, ocr=ocr, ocr_confidence=0.91 if ocr else None,
                lines=[Line(start=0, end=len(text), bbox=BBox(x0=1.5, y0=2, x1=300.25, y1=14))], cote="D1",
                cote_page=n)


def _chunk(dossier: str, doc_id: str, i: int, page: int = 1) -> Chunk:
    return Chunk(id=f"{doc_id}:{i:04d}", dossier_id=dossier, juridiction="TJ Paris", document_id=doc_id, cote="D1",
                 page=page, pdf_page=page, text=f"passage {i} — « garde à vue »", char_start=i * 10,
                 char_end=i * 10 + 9, bboxes=[BBox(x0=0, y0=0, x1=1, y1=1)])


def test_catalog_adapter_satisfies_the_protocol(catalog):
    assert isinstance(catalog, CatalogProtocol)


def test_dossier_values_round_trip_and_a_second_upsert_keeps_the_first(catalog):
    created = datetime(2026, 11, 30, 9, 15, 2, tzinfo=UTC)
    first = catalog.upsert_dossier(CaseFile(id=A, juridiction="TJ Paris", title="Vol en réunion", created=created))
    again = catalog.upsert_dossier(CaseFile(id=A, juridiction="TJ Paris", title="autre titre"))
    assert first == again == catalog.dossier(A)
    assert (first.title, first.juridiction, first.created) == ("Vol en réunion", "TJ Paris", created)
    assert [d.id for d in catalog.dossiers()] == [A]
    assert catalog.find_dossier("nope") is None
    with pytest.raises(NotFound):
        catalog.dossier("nope")


def test_dossiers_of_one_juridiction_never_include_another_and_come_sorted(catalog):
    for key, jur in ((B, "TJ Créteil"), ("tjparis~Z-9", "TJ Paris"), (A, "TJ Paris")):
        catalog.upsert_dossier(CaseFile(id=key, juridiction=jur))
    assert [d.id for d in catalog.dossiers("TJ Paris")] == [A, "tjparis~Z-9"]
    assert [d.id for d in catalog.dossiers("TJ Créteil")] == [B]
    assert [d.id for d in catalog.dossiers()] == sorted([A, B, "tjparis~Z-9"])


def test_document_fields_round_trip_and_an_update_keeps_the_known_pdf_path(catalog):
    doc = _doc(A, "doc1", title="Audition", kind="docx", page_count=3, status=DocumentStatus.failed,
               error_code="pdf_chiffre", error="Le fichier est chiffré.", warnings=["page 2 : texte illisible"],
               version=2, replaced_by="doc9")
    catalog.save_document(doc, pdf_path="/data/pdf/doc1.pdf")
    assert catalog.document("doc1") == doc
    assert catalog.pdf_path("doc1") == "/data/pdf/doc1.pdf"
    updated = doc.model_copy(update={"status": DocumentStatus.stored, "error": None, "error_code": None})
    catalog.save_document(updated)
    assert catalog.document("doc1") == updated
    assert catalog.pdf_path("doc1") == "/data/pdf/doc1.pdf"
    assert catalog.document("missing") is None and catalog.pdf_path("missing") is None


def test_documents_are_per_dossier_sorted_by_file_name_and_current_ones_exclude_failed_and_replaced(catalog):
    catalog.save_document(_doc(A, "a2", "D2", "b.pdf", status=DocumentStatus.stored))
    catalog.save_document(_doc(A, "a1", "D1", "a.pdf", status=DocumentStatus.stored))
    catalog.save_document(_doc(A, "a3", "D3", "c.pdf", status=DocumentStatus.failed))
    catalog.save_document(_doc(A, "a0", "D1", "0.pdf", status=DocumentStatus.replaced))
    catalog.save_document(_doc(B, "b1", "D1", "a.pdf", status=DocumentStatus.stored))
    assert [d.id for d in catalog.documents(A)] == ["a0", "a1", "a2", "a3"]
    assert [d.id for d in catalog.current_documents(A)] == ["a1", "a2"]
    assert [d.id for d in catalog.documents(B)] == ["b1"]


def test_versions_of_a_cote_come_oldest_first_and_the_current_one_is_the_newest_stored(catalog):
    catalog.save_document(_doc(A, "v1", "D4", "v1.pdf", status=DocumentStatus.replaced, version=1))
    catalog.save_document(_doc(A, "v2", "D4", "v2.pdf", status=DocumentStatus.stored, version=2))
    catalog.save_document(_doc(A, "v3", "D4", "v3.pdf", status=DocumentStatus.failed, version=3))
    catalog.save_document(_doc(B, "w1", "D4", "v1.pdf", status=DocumentStatus.stored, version=5))
    assert [d.id for d in catalog.versions(A, "D4")] == ["v1", "v2"]
    assert catalog.document_for_cote(A, "D4").id == "v2"
    assert catalog.document_for_cote(A, "D4", version=1).id == "v1"
    with pytest.raises(NotFound):
        catalog.document_for_cote(A, "D4", version=3)
    with pytest.raises(NotFound):
        catalog.document_for_cote(A, "D99")


def test_sha_in_use_ignores_the_document_itself_and_replaced_versions(catalog):
    catalog.save_document(_doc(A, "s1", status=DocumentStatus.stored).model_copy(update={"sha256": "same"}))
    assert catalog.sha_in_use("same")
    assert not catalog.sha_in_use("same", except_id="s1")
    catalog.save_document(_doc(A, "s1", status=DocumentStatus.replaced).model_copy(update={"sha256": "same"}))
    assert not catalog.sha_in_use("same")


def test_pages_round_trip_in_order_and_saving_twice_keeps_one_row_per_page(catalog):
    catalog.save_document(_doc(A, "p", status=DocumentStatus.stored))
    pages = [_page("p", 3, ocr=True), _page("p", 1), _page("p", 2, "Deuxième page : « alcoolémie » 0,52 mg/l")]
    catalog.save_pages(pages)
    catalog.save_pages([_page("p", 2, "Deuxième page corrigée")])
    got = catalog.pages("p")
    assert [p.number for p in got] == [1, 2, 3]
    assert got[0] == pages[1] and got[2] == pages[0]
    assert catalog.page("p", 2).text == "Deuxième page corrigée"
    with pytest.raises(NotFound):
        catalog.page("p", 4)
    assert catalog.ocr_page_counts(A) == {"p": 1}
    assert catalog.ocr_page_counts(B) == {}


def test_chunks_are_replaced_per_document_and_dossier_chunks_are_stored_documents_of_that_dossier_only(catalog):
    catalog.save_document(_doc(A, "c1", status=DocumentStatus.stored))
    catalog.save_document(_doc(A, "c2", "D2", "c2.pdf", status=DocumentStatus.failed))
    catalog.save_document(_doc(B, "c3", status=DocumentStatus.stored))
    catalog.save_chunks("c1", [_chunk(A, "c1", i) for i in range(5)])
    catalog.save_chunks("c1", [_chunk(A, "c1", i) for i in (2, 0, 1)])
    catalog.save_chunks("c2", [_chunk(A, "c2", 0)])
    catalog.save_chunks("c3", [_chunk(B, "c3", 0)])
    assert [c.id for c in catalog.chunks("c1")] == ["c1:0000", "c1:0001", "c1:0002"]
    assert catalog.chunk("c1:0001") == _chunk(A, "c1", 1)
    assert catalog.chunk("c1:0004") is None
    assert [c.id for c in catalog.dossier_chunks(A)] == ["c1:0000", "c1:0001", "c1:0002"]
    assert [c.id for c in catalog.dossier_chunks(B)] == ["c3:0000"]


def test_deleting_a_dossier_removes_all_its_rows_and_none_of_another(catalog):
    for key in (A, B):
        catalog.upsert_dossier(CaseFile(id=key))
        doc = "d-" + key
        catalog.save_document(_doc(key, doc, status=DocumentStatus.stored))
        catalog.save_pages([_page(doc, 1)])
        catalog.save_chunks(doc, [_chunk(key, doc, 0)])
    catalog.delete_dossier(A)
    assert catalog.find_dossier(A) is None and catalog.documents(A) == []
    assert catalog.pages("d-" + A) == [] and catalog.chunks("d-" + A) == [] and catalog.dossier_chunks(A) == []
    assert catalog.find_dossier(B) is not None and len(catalog.pages("d-" + B)) == 1
    assert len(catalog.dossier_chunks(B)) == 1
    catalog.remove_document("d-" + B)
    assert catalog.document("d-" + B) is None and catalog.pages("d-" + B) == [] and catalog.chunks("d-" + B) == []


def test_two_processes_writing_at_once_lose_nothing_and_create_the_dossier_once(catalog, state_location):
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=state_workers.catalog_writer, args=(state_location, w, 15, barrier)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert len(catalog.dossiers()) == 1 and catalog.dossier(A).title in ("écrit par 0", "écrit par 1")
    assert len(catalog.documents(A)) == 30
    assert len(catalog.dossier_chunks(A)) == 60
    assert all(len(catalog.pages(d.id)) == 2 for d in catalog.documents(A))
