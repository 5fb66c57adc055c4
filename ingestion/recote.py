"""Set or correct a document's cote after ingestion: catalog, chunks and vector payloads change together."""
from __future__ import annotations

from core.errors import InvalidInput, NotFound
from core.models import DocumentStatus, SourceDocument, normalize_cote
from core.protocols import StoredPoint
from ingestion.catalog import Catalog

MISSING_COTE_PREFIX = "Aucune cote détectée"


def set_cote(catalog: Catalog, store, embedder, sparse, document_id: str, raw_cote: str,
             batch_size: int = 32) -> tuple[SourceDocument, str | None]:
    """The document with its new cote, and the previous one; chunks that carried the old cote carry the new one.

    Refuses a value that is not a cote (« D12 », « B3 ») and a cote another stored piece of the dossier already has.
    The chunks are re-embedded and re-written so that every search and citation shows the new cote.
    """
    cote = normalize_cote(raw_cote)
    if cote is None:
        raise InvalidInput(f"« {raw_cote.strip()[:20]} » n'est pas une cote : une lettre A à D suivie d'un numéro "
                           "(par exemple D12).", param="cote", code="cote_invalide")
    doc = catalog.document(document_id)
    if doc is None:
        raise NotFound("Document introuvable.", param="document")
    if doc.status != DocumentStatus.stored:
        raise InvalidInput("Ce fichier n'a pas été analysé : il n'a pas de cote à corriger.", param="document",
                           code="document_non_analyse")
    for other in catalog.documents(doc.dossier_id):
        if other.id != doc.id and other.cote == cote and other.status == DocumentStatus.stored:
            raise InvalidInput(f"La cote {cote} est déjà celle de « {other.filename} ».", param="cote",
                               code="cote_deja_attribuee")
    previous = doc.cote
    if previous == cote:
        return doc, previous
    chunks = catalog.chunks(doc.id)
    for c in chunks:
        if c.cote == previous:
            c.cote = cote
    doc.cote = cote
    doc.warnings = [w for w in doc.warnings if not w.startswith(MISSING_COTE_PREFIX)]
    texts = list(dict.fromkeys(c.text for c in chunks))
    vectors: dict[str, list[float]] = {}
    for i in range(0, len(texts), batch_size):
        batch = texts[i:i + batch_size]
        vectors.update(zip(batch, embedder.embed_passages(batch), strict=True))
    points = [StoredPoint(c, vectors[c.text], sparse.encode_document(c.text)) for c in chunks]
    store.delete_document(doc.dossier_id, doc.id)
    store.upsert(points)
    catalog.save_chunks(doc.id, chunks)
    catalog.save_document(doc)
    return doc, previous
