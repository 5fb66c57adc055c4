"""Dossiers: create, list, read (documents with piece type and OCR pages), delete with everything derived."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.auth import TenantDep
from api.deps import CatalogDep, RootDep
from api.schemas import DossierIn
from api.shown import shown, shown_document
from core.errors import Conflict, NotFound
from core.models import CaseFile

router = APIRouter()


@router.post("/dossiers", status_code=201)
async def create_dossier(body: DossierIn, tenant: TenantDep, catalog: CatalogDep):
    tenant.require("upload")
    key = tenant.key(body.id)
    dossier = catalog.upsert_dossier(CaseFile(id=key, juridiction=tenant.juridiction, title=body.title))
    tenant.audit("dossier.create", key, id=body.id)
    return shown(dossier)


@router.get("/dossiers")
async def list_dossiers(tenant: TenantDep, catalog: CatalogDep):
    tenant.require("read")
    mine = tenant.dossiers()
    tenant.audit("dossier.list", None, count=len(mine))
    return [shown(d) | {"documents": len(catalog.documents(d.id))} for d in mine]


@router.get("/dossiers/{dossier_id}")
async def get_dossier(dossier_id: str, tenant: TenantDep, catalog: CatalogDep):
    tenant.require("read")
    d = tenant.dossier(dossier_id)
    docs = catalog.documents(d.id)
    ocr = catalog.ocr_page_counts(d.id)
    tenant.audit("dossier.read", d.id, documents=len(docs))
    return shown(d) | {"documents": [shown_document(x) | {"ocr_pages": ocr.get(x.id, 0),
                                                          "type_label": _piece_type(catalog, x)} for x in docs]}


def _piece_type(catalog, doc) -> str | None:
    """The piece type in French (« Procès-verbal d'audition »…) read from its first page; None when untyped."""
    from generation.pieces import LABELS, classify

    if str(doc.status) not in ("stored", "replaced"):
        return None
    try:
        pages = [catalog.page(doc.id, n).text for n in range(1, max(1, doc.page_count) + 1)]
    except NotFound:
        return None
    code = classify(pages[0], doc.title, "\n".join(pages))
    return None if code == "autre" else LABELS.get(code)


@router.delete("/dossiers/{dossier_id}", status_code=204)
async def delete_dossier(dossier_id: str, tenant: TenantDep, root: RootDep):
    """Delete the dossier and everything derived from it; its id can then only start an empty new dossier."""
    tenant.require("decide")
    d = tenant.dossier(dossier_id)
    if root.jobs.active(d.id):
        raise Conflict("Une ingestion est en cours dans ce dossier : attendez sa fin avant de le supprimer.",
                       param="dossier", code="ingestion_en_cours")
    removed = await run_in_threadpool(_purge, root, d.id)
    tenant.audit("dossier.delete", d.id, id=dossier_id, removed=removed)
    return Response(status_code=204)


def _purge(root, key: str) -> dict:
    """Vectors, chunks, pages, documents, originals and converted files no other dossier uses, drafts and their
    DOCX exports, proposals and decisions, jobs and their upload folders."""
    sv = root.services
    catalog, paths = sv.catalog, sv.settings.paths
    docs = catalog.documents(key)
    pdfs = {catalog.pdf_path(doc.id) for doc in docs}
    catalog_pdf_blobs = {doc.id: catalog.pdf_blob(doc.id) for doc in docs}
    sv.store.delete_dossier(key)
    drafts = root.drafts.delete_dossier(key)
    for draft_id in drafts:
        (paths.sub("exports") / f"{draft_id}.docx").unlink(missing_ok=True)
    decisions = sv.orientation.decisions.delete_dossier(key)
    received = {f.get("sha256") for job in root.jobs.for_dossier(key, limit=100_000)
                for f in root.jobs.options(job["id"]).get("files", []) if f.get("sha256")}
    jobs = root.jobs.delete_dossier(key)
    catalog.delete_dossier(key)
    still_used = {o.sha256 for other in catalog.dossiers() for o in catalog.documents(other.id)}
    still_used_pdfs = {catalog.pdf_path(o.id) for other in catalog.dossiers() for o in catalog.documents(other.id)}
    files = 0
    for doc in docs:
        if doc.sha256 in still_used:
            continue
        for path in (paths.sub("originals") / doc.sha256, paths.sub("converted") / f"{doc.sha256}.pdf"):
            if path.exists():
                path.unlink()
                files += 1
    in_use = catalog.blobs_in_use()
    mine = {sha for doc in docs for sha in (doc.sha256, catalog_pdf_blobs.get(doc.id)) if sha} | received
    for sha in mine - in_use:
        if sv.blobs.info(sha) is not None:
            sv.blobs.delete(sha)
            files += 1
    data_dir = paths.data_dir.resolve()
    for pdf in pdfs - still_used_pdfs:
        if pdf:
            path = Path(pdf).resolve()
            if path.is_file() and path.is_relative_to(data_dir):
                path.unlink()
                files += 1
    return {"documents": len(docs), "drafts": len(drafts), "jobs": jobs, "files": files} | decisions
