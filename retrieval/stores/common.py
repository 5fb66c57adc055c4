"""What every vector-store adapter shares: vector names, indexed payload fields, payload <-> chunk, filter terms."""
from __future__ import annotations

from core.models import Chunk
from core.protocols import SearchFilter

DENSE, SPARSE = "dense", "bm25"
KEYWORD_FIELDS = ("dossier_id", "juridiction", "document_id", "cote", "kind")


def payload_of(chunk: Chunk) -> dict:
    return chunk.model_dump(mode="json")


def chunk_of(payload: dict) -> Chunk:
    return Chunk.model_validate(payload)


def filter_terms(flt: SearchFilter) -> list[tuple[str, str, object]]:
    """The filter as (field, op, value) triples; the dossier term is always first and always present."""
    if not flt.dossier_id:
        raise ValueError("every vector-store query must name its dossier")
    terms: list[tuple[str, str, object]] = [("dossier_id", "eq", flt.dossier_id)]
    if flt.juridiction:
        terms.append(("juridiction", "eq", flt.juridiction))
    if flt.cotes:
        terms.append(("cote", "in", list(flt.cotes)))
    if flt.kinds:
        terms.append(("kind", "in", list(flt.kinds)))
    if flt.document_ids:
        terms.append(("document_id", "in", list(flt.document_ids)))
    if flt.page_min is not None or flt.page_max is not None:
        terms.append(("page", "range", (flt.page_min, flt.page_max)))
    if flt.ocr is not None:
        terms.append(("ocr", "eq", flt.ocr))
    if flt.embedded is not None:
        terms.append((DENSE, "has_vector", flt.embedded))
    return terms
