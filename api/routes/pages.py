"""Page text, page image with highlights, and the page reader (lines flagged) opened from every citation."""
from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.auth import TenantDep
from api.deps import CatalogDep, RootDep
from api.page_render import locate, render
from core.citation import page_citation

router = APIRouter()


@router.get("/documents/{document_id}/pages/{number}")
async def page_text(document_id: str, number: int, tenant: TenantDep, catalog: CatalogDep):
    tenant.require("read")
    doc = tenant.document(document_id)
    page = catalog.page(document_id, number)
    tenant.audit("page.text", doc.dossier_id, document=document_id, cote=doc.cote, page=number)
    return {"number": page.number, "text": page.text, "ocr": page.ocr, "ocr_confidence": page.ocr_confidence,
            "cote": page.cote, "header": page.header, "footer": page.footer}


@router.get("/dossiers/{dossier_id}/page.png")
async def page_image(dossier_id: str, tenant: TenantDep, catalog: CatalogDep, root: RootDep,
                     cote: str | None = Query(None, max_length=50),
                     page: int = Query(1, ge=1, le=100_000), chunk: str | None = Query(None, max_length=200),
                     quote: str | None = Query(None, max_length=4000), document: str | None = Query(None, max_length=100)):
    """The cited page as the magistrate sees it, with the supporting lines highlighted."""
    tenant.require("read")
    d = tenant.dossier(dossier_id)
    png = await run_in_threadpool(render, catalog, d.id, cote or None, page, chunk, quote, document,
                                  root.services.ingestor.pdf_file)
    tenant.audit("page.view", d.id, cote=cote, page=page, document=document)
    return Response(png, media_type="image/png")


@router.get("/dossiers/{dossier_id}/page")
async def page_reader(dossier_id: str, tenant: TenantDep, catalog: CatalogDep,
                      cote: str | None = Query(None, max_length=50),
                      page: int = Query(1, ge=1, le=100_000), chunk: str | None = Query(None, max_length=200),
                      quote: str | None = Query(None, max_length=4000),
                      document: str | None = Query(None, max_length=100)):
    """The text of a cited page line by line, the supporting lines flagged (for the page reader)."""
    tenant.require("read")
    d = tenant.dossier(dossier_id)
    doc, target, hits = await run_in_threadpool(locate, catalog, d.id, cote or None, page, chunk, quote, document)
    tenant.audit("page.read", d.id, document=doc.id, cote=doc.cote, page=target.number)
    lines = [{"text": target.text[ln.start:ln.end], "hit": i in hits, "top": round(ln.bbox.y0 / target.height, 4)}
             for i, ln in enumerate(target.lines)]
    if not lines:
        lines = [{"text": t, "hit": False, "top": 0} for t in target.text.splitlines()]
    cote, number = page_citation(doc.cote, target)
    return {"document_id": doc.id, "filename": doc.filename, "cote": cote, "page": number,
            "pdf_page": target.number, "page_count": doc.page_count, "ocr": target.ocr,
            "ocr_confidence": target.ocr_confidence, "blank": target.blank, "lines": lines}
