"""A cited page found from a citation (chunk, cote and page, document, or the quoted words) and drawn as PNG
with the supporting lines highlighted."""
from __future__ import annotations

import io

from core.citation import page_citation
from core.errors import NotFound


def line_in_quote(line: str, quote: str) -> bool:
    """A page line belongs to the quoted passage when it lies inside it or holds its start or end."""
    from core.text import normalize_for_match

    ln, q = normalize_for_match(line), normalize_for_match(quote)
    if len(ln) < 3:
        return False
    return ln in q or q[:25] in ln or q[-25:] in ln


def locate(catalog, dossier_id: str, cote: str | None, page: int, chunk_id: str | None, quote: str | None,
           document_id: str | None = None):
    """(document, page, indices of highlighted lines) for a citation: by chunk, by cote and page, or by document."""
    chunk = catalog.chunk(chunk_id) if chunk_id else None
    if chunk is not None and chunk.dossier_id != dossier_id:
        chunk = None
    found = None
    if document_id:
        doc = catalog.document(document_id)
        if doc is not None and doc.dossier_id == dossier_id:
            found = (doc, next((p for p in catalog.pages(doc.id) if p.number == page), None))
    elif chunk is not None:  # the chunk knows its page even when the cote was set or corrected since
        doc = catalog.document(chunk.document_id)
        if doc is not None:
            found = (doc, next((p for p in catalog.pages(doc.id) if p.number == chunk.pdf_page), None))
    elif cote:
        # The current version of a cote first; a replaced version is reached through its chunk or document id.
        versions = [d for d in catalog.documents(dossier_id) if str(d.status) in ("stored", "replaced")]
        for doc in sorted(versions, key=lambda x: str(x.status) == "replaced"):  # never a failed row
            pages = catalog.pages(doc.id)
            if doc.cote == cote or any(p.cote == cote for p in pages):
                target = next((p for p in pages if page_citation(doc.cote, p) == (cote, page)), None)
                if target is not None:
                    found = (doc, target)
                    break
    if (found is None or found[1] is None) and quote and not document_id:
        found = page_quoting(catalog, dossier_id, cote, quote)
    if found is None or found[1] is None:
        where = f"{cote} p.{page}" if cote else f"p.{page}"
        raise NotFound(f"Page {where} introuvable dans ce dossier.", param="page")
    doc, target = found
    in_chunk = chunk is not None and chunk.document_id == doc.id and chunk.pdf_page == target.number
    hits = {i for i, ln in enumerate(target.lines)
            if quote and (not in_chunk or (ln.start < chunk.char_end and ln.end > chunk.char_start))
            and line_in_quote(target.text[ln.start:ln.end], quote)}
    if not hits and in_chunk:
        hits = {i for i, ln in enumerate(target.lines) if ln.start < chunk.char_end and ln.end > chunk.char_start}
    return doc, target, hits


def page_quoting(catalog, dossier_id: str, cote: str | None, quote: str):
    """The page whose text holds the quote: a fact read on a piece without cote (or whose stamp numbers its pages
    differently) still opens on its page. Pieces without cote, then the cote's own, then the others."""
    from core.text import normalize_for_match

    needle = normalize_for_match(quote)[:80]
    if len(needle) < 8:
        return None
    docs = [d for d in catalog.documents(dossier_id) if str(d.status) == "stored"]
    docs.sort(key=lambda d: (d.cote is not None, d.cote != cote))
    for doc in docs:
        for p in catalog.pages(doc.id):
            if needle in normalize_for_match(p.text):
                return doc, p
    return None


def render(catalog, dossier_id: str, cote: str | None, page: int, chunk_id: str | None, quote: str | None,
           document_id: str | None = None, pdf_file=None) -> bytes:
    """The page as a PNG with the cited lines highlighted; `pdf_file(document_id)` gives the local PDF (from the
    blob store), else the catalog's recorded path."""
    from PIL import Image, ImageDraw

    from ingestion.pdf import render_page

    doc, target, hits = locate(catalog, dossier_id, cote, page, chunk_id, quote, document_id)
    boxes = [ln.bbox for i, ln in enumerate(target.lines) if i in hits]
    pdf = pdf_file(doc.id) if pdf_file is not None else catalog.pdf_path(doc.id)
    image, dpi = render_page(str(pdf), target.number - 1, 1.6 * 72, 8_000_000, mode="RGBA")
    scale = dpi / 72  # a huge page is shown scaled down
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    overlay = ImageDraw.Draw(layer)
    for b in boxes:
        overlay.rectangle([b.x0 * scale - 3, b.y0 * scale - 3, b.x1 * scale + 3, b.y1 * scale + 3],
                          fill=(255, 220, 0, 90), outline=(220, 140, 0, 255), width=2)
    buf = io.BytesIO()
    Image.alpha_composite(image, layer).convert("RGB").save(buf, format="PNG")
    return buf.getvalue()
