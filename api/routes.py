"""HTTP routes. Every dossier access checks the user's juridiction (404 otherwise, never 403).

Dossier ids are scoped per juridiction: the id a user types is mapped to an internal key (core.ids.dossier_key)
used by the catalog, the vector-store filter, drafts, proposals and jobs, so that no answer depends on another
juridiction's data. Responses show the typed id. Every access to case content is written to the audit log."""
from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.auth import User
from core.citation import page_citation
from core.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge, Unauthorized
from core.ids import dossier_key, visible_dossier_id
from core.models import CaseFile
from core.protocols import SearchFilter
from orientation.decisions import MAX_REASON_CHARS, Changes

router = APIRouter()
bearer = HTTPBearer(auto_error=False, description="Jeton d'API (assistant-parquet users add) ou JWT OIDC.")


def current_user(request: Request,
                 credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Authentification requise (en-tête Authorization: Bearer).", code="non_authentifie")
    app = request.app
    client = request.client.host if request.client else "?"
    app.state.throttle.check(client)
    try:
        token = credentials.credentials.strip()
        user = app.state.oidc.authenticate(token) if app.state.oidc else app.state.tokens.authenticate(token)
    except Unauthorized:
        app.state.throttle.failed(client)
        raise
    request.state.user = user
    return user


def _sv(request: Request):
    return request.app.state.services


def _key(user: User, dossier_id: str) -> str:
    return dossier_key(user.juridiction, dossier_id)


def _dossier(request: Request, user: User, dossier_id: str) -> CaseFile:
    """The user's juridiction's dossier of that id; another juridiction's dossier is never even looked at."""
    found = _sv(request).catalog.find_dossier(_key(user, dossier_id))
    if found is None or found.juridiction != user.juridiction:
        raise NotFound(f"Dossier « {dossier_id} » introuvable.", param="dossier")
    return found


def _shown(d: CaseFile) -> dict:
    return d.model_dump(mode="json") | {"id": visible_dossier_id(d.id)}


def _audit(request: Request, user: User, action: str, dossier: str | None = None, **details) -> None:
    request.app.state.audit.record(user.name, action, dossier, role=user.role, juridiction=user.juridiction,
                                   **details)


# health -----------------------------------------------------------------------------------------------------
@router.get("/health")
async def health():
    return {"status": "ok"}


@router.get("/ready")
async def ready(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
    """Ready or not for anyone; the details (models, counts) only with a valid token."""
    sv = _sv(request)
    checks = {}
    try:
        info = await run_in_threadpool(sv.store.info)
        checks["vector_store"] = {"ok": True, "points": info.points if info else 0}
    except Exception as exc:  # report, never crash, the readiness probe
        checks["vector_store"] = {"ok": False, "error": str(exc)[:200]}
    checks["embedder"] = {"ok": True, "model": sv.embedder.name}
    checks["llm"] = {"ok": True, "backend": sv.settings.llm.backend, "model": sv.settings.llm.model}
    ok = all(c["ok"] for c in checks.values())
    body: dict = {"ready": ok}
    if credentials is not None:
        current_user(request, credentials)
        body["checks"] = checks
    return Response(json.dumps(body), status_code=200 if ok else 503, media_type="application/json")


@router.get("/me")
async def me(user: User = Depends(current_user)):
    return {"name": user.name, "role": user.role, "juridiction": user.juridiction}


# dossiers ---------------------------------------------------------------------------------------------------
DOSSIER_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class DossierIn(BaseModel):
    id: str = Field(min_length=1, max_length=100, pattern=DOSSIER_ID)
    title: str = Field("", max_length=200)


@router.post("/dossiers", status_code=201)
async def create_dossier(body: DossierIn, request: Request, user: User = Depends(current_user)):
    user.require("upload")
    catalog = _sv(request).catalog
    key = _key(user, body.id)
    dossier = catalog.upsert_dossier(CaseFile(id=key, juridiction=user.juridiction, title=body.title))
    _audit(request, user, "dossier.create", key, id=body.id)
    return _shown(dossier)


@router.get("/dossiers")
async def list_dossiers(request: Request, user: User = Depends(current_user)):
    user.require("read")
    catalog = _sv(request).catalog
    mine = [d for d in catalog.dossiers(user.juridiction) if d.id == _key(user, visible_dossier_id(d.id))]
    _audit(request, user, "dossier.list", None, count=len(mine))
    return [_shown(d) | {"documents": len(catalog.documents(d.id))} for d in mine]


def _shown_document(doc) -> dict:
    return doc.model_dump(mode="json") | {"dossier_id": visible_dossier_id(doc.dossier_id)}


@router.get("/dossiers/{dossier_id}")
async def get_dossier(dossier_id: str, request: Request, user: User = Depends(current_user)):
    user.require("read")
    d = _dossier(request, user, dossier_id)
    catalog = _sv(request).catalog
    docs = catalog.documents(d.id)
    ocr = catalog.ocr_page_counts(d.id)
    _audit(request, user, "dossier.read", d.id, documents=len(docs))
    return _shown(d) | {"documents": [_shown_document(x) | {"ocr_pages": ocr.get(x.id, 0),
                                                             "type_label": _piece_type(catalog, x)} for x in docs]}


def _piece_type(catalog, doc) -> str | None:
    """The piece type in French (« Procès-verbal d'audition »…) read from its first page; None when untyped."""
    from generation.pieces import LABELS, classify

    if str(doc.status) not in ("stored", "replaced"):
        return None
    try:
        first = catalog.page(doc.id, 1).text
    except NotFound:
        return None
    code = classify(first, doc.title)
    return None if code == "autre" else LABELS.get(code)


@router.delete("/dossiers/{dossier_id}", status_code=204)
async def delete_dossier(dossier_id: str, request: Request, user: User = Depends(current_user)):
    """Delete the dossier and everything derived from it; its id can then only start an empty new dossier."""
    user.require("decide")
    d = _dossier(request, user, dossier_id)
    state = request.app.state
    if state.jobs.active(d.id):
        raise Conflict("Une ingestion est en cours dans ce dossier : attendez sa fin avant de le supprimer.",
                       param="dossier", code="ingestion_en_cours")
    removed = await run_in_threadpool(_purge, request, d.id)
    _audit(request, user, "dossier.delete", d.id, id=dossier_id, removed=removed)
    return Response(status_code=204)


def _purge(request: Request, key: str) -> dict:
    """Vectors, chunks, pages, documents, originals and converted files no other dossier uses, drafts and their
    DOCX exports, proposals and decisions, jobs and their upload folders."""
    state, sv = request.app.state, _sv(request)
    catalog, paths = sv.catalog, sv.settings.paths
    docs = catalog.documents(key)
    pdfs = {catalog.pdf_path(doc.id) for doc in docs}
    sv.store.delete_dossier(key)
    drafts = state.drafts.delete_dossier(key)
    for draft_id in drafts:
        (paths.sub("exports") / f"{draft_id}.docx").unlink(missing_ok=True)
    decisions = sv.orientation.decisions.delete_dossier(key)
    jobs = state.jobs.delete_dossier(key)
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
    data_dir = paths.data_dir.resolve()
    for pdf in pdfs - still_used_pdfs:
        if pdf:
            path = Path(pdf).resolve()
            if path.is_file() and path.is_relative_to(data_dir):
                path.unlink()
                files += 1
    return {"documents": len(docs), "drafts": len(drafts), "jobs": jobs, "files": files} | decisions


# documents and ingestion jobs -------------------------------------------------------------------------------
def _upload_name(raw: str | None) -> str:
    """The file's own name without any folder part; '.', '..' and empty names are refused."""
    base = re.split(r"[/\\]", raw or "")[-1].strip()
    if base.strip(".") == "":
        raise InvalidInput(f"Nom de fichier invalide « {base} » : donnez un nom au fichier.", param="files",
                           code="nom_de_fichier_invalide")
    name = re.sub(r"[^\w.\- ]", "_", base)[:150].lstrip(".")
    return name or "fichier"


@router.post("/dossiers/{dossier_id}/documents", status_code=202)
async def upload(dossier_id: str, request: Request, files: list[UploadFile] = File(...),
                 on_conflict: Literal["ask", "replace", "version", "cancel"] = Query("ask"),
                 user: User = Depends(current_user)):
    """Upload pieces; 202 `{"job", "files"}`, follow the job at `/api/jobs/{job}`. Files arrive streamed (the
    whole request is cut off with 413 past api.max_request_mb); the job is queued only once every file is
    received and valid, so a refused upload leaves nothing behind.

    `on_conflict` (query) says what to do with a file whose cote is already a stored piece of the dossier with
    other content:
    - `ask` (default): if any such file is found (cote from the manifest or the file name), answer **409** and
      change nothing (no job, no file kept), with the body
      `{"error": {"code": "cote_en_conflit", "message": "…", "param": "on_conflict"}, "request_id": "…",
      "conflicts": [{"file": "D1_pv.pdf", "cote": "D1", "existing": {"document_id": "…", "filename": "…",
      "version": 1}}]}`; the page then re-sends the same files with the user's choice. A conflict only visible
      from the page stamps (found while parsing) fails that file in the job report (`error_code`
      `cote_en_conflit`), the old version untouched.
    - `replace`: the new file becomes the current version (version n+1); the previous one is no longer searched
      but stays retrievable (its pages; its original per the `ingestion.replaced_originals` setting).
    - `version`: both stay current and searchable, the new one numbered n+1.
    - `cancel`: conflicting files are skipped (status `cancelled` in the job report), the others are ingested.
    Two files of one upload with the same cote: the second fails (`cote_en_double`).
    """
    user.require("upload")
    d = _dossier(request, user, dossier_id)
    cfg = request.app.state.settings.api
    limit = int(cfg.max_upload_mb * 1e6)
    if len(files) > cfg.max_files:
        raise InvalidInput(f"Trop de fichiers en un envoi (au plus {cfg.max_files}).", param="files",
                           code="trop_de_fichiers")
    names = [_upload_name(f.filename) for f in files]
    jobs = request.app.state.jobs
    job_id = jobs.new_id()
    folder = jobs.folder(job_id)
    counts = Counter(names)
    try:
        for i, (f, name) in enumerate(zip(files, names, strict=True)):
            # Same-name files each get their own sub-folder: all are kept, each under its own name.
            target = folder / f"{i:04d}" / name if counts[name] > 1 else folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with open(target, "wb") as out:
                while chunk := await f.read(1 << 20):
                    written += len(chunk)
                    if written > limit:
                        raise PayloadTooLarge(f"« {name} » dépasse la taille maximale ({limit // 1_000_000} Mo).",
                                              param="files", code="fichier_trop_gros")
                    out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if on_conflict == "ask":
        conflicts = await run_in_threadpool(_sv(request).ingestor.conflicts, [folder], d.id)
        if conflicts:
            shutil.rmtree(folder, ignore_errors=True)
            cotes = ", ".join(sorted({c["cote"] for c in conflicts}))
            return Response(json.dumps({"error": {
                "code": "cote_en_conflit", "param": "on_conflict",
                "message": f"Pièces déjà présentes dans le dossier : {cotes}. Rien n'a été modifié ; choisissez de "
                           "remplacer, de garder les deux versions ou d'annuler."},
                "conflicts": conflicts, "request_id": getattr(request.state, "request_id", None)},
                ensure_ascii=False), status_code=409, media_type="application/json")
    jobs.create(d.id, user.juridiction, user.name, job_id=job_id, options={"on_conflict": on_conflict})
    jobs.submit(job_id, _sv(request), request.app.state.audit)
    _audit(request, user, "upload", d.id, job=job_id, files=[f.filename for f in files])
    return {"job": job_id, "files": len(files)}


@router.get("/jobs/{job_id}")
async def job(job_id: str, request: Request, user: User = Depends(current_user)):
    user.require("read")
    try:
        data = request.app.state.jobs.get(job_id)
    except NotFound:
        data = None
    if data is None or data["juridiction"] != user.juridiction or data["dossier"] != _key(
            user, visible_dossier_id(data["dossier"])):
        raise NotFound("Tâche introuvable.", param="job")
    _audit(request, user, "job.read", data["dossier"], job=job_id, state=data["state"])
    return data | {"dossier": visible_dossier_id(data["dossier"])}


@router.get("/documents/{document_id}/original")
async def original(document_id: str, request: Request, user: User = Depends(current_user)):
    """The original file, always as a download (never rendered by the browser)."""
    user.require("read")
    doc = _document(request, user, document_id)
    path = _sv(request).settings.paths.sub("originals") / doc.sha256
    if not path.is_file():
        raise NotFound("Fichier original introuvable.", param="document")
    _audit(request, user, "document.original", doc.dossier_id, document=doc.id, cote=doc.cote)
    return FileResponse(path, filename=doc.filename, media_type="application/octet-stream",
                        content_disposition_type="attachment")


class CoteIn(BaseModel):
    cote: str = Field(min_length=1, max_length=20)


@router.patch("/documents/{document_id}")
async def set_document_cote(document_id: str, body: CoteIn, request: Request, user: User = Depends(current_user)):
    """Set a missing cote or correct a wrong one (magistrat and greffier); audited with the previous value."""
    user.require("upload")
    doc = _document(request, user, document_id)
    if request.app.state.jobs.active(doc.dossier_id):
        raise Conflict("Une analyse est en cours dans ce dossier : corrigez la cote à sa fin.", param="document",
                       code="ingestion_en_cours")
    from ingestion.recote import set_cote

    sv = _sv(request)
    updated, previous = await run_in_threadpool(set_cote, sv.catalog, sv.store, sv.embedder, sv.sparse, doc.id,
                                                body.cote, sv.settings.embedding.batch_size)
    _audit(request, user, "document.cote", doc.dossier_id, document=doc.id, previous=previous, cote=updated.cote)
    return _shown_document(updated)


@router.get("/dossiers/{dossier_id}/jobs")
async def dossier_jobs(dossier_id: str, request: Request, limit: int = Query(10, ge=1, le=100),
                       user: User = Depends(current_user)):
    """The dossier's latest ingestion jobs, newest first (the page shows failed files and running analyses)."""
    user.require("read")
    d = _dossier(request, user, dossier_id)
    _audit(request, user, "job.list", d.id)
    return [job | {"dossier": visible_dossier_id(job["dossier"])} for job in request.app.state.jobs.for_dossier(d.id, limit)]


def _document(request: Request, user: User, document_id: str):
    doc = _sv(request).catalog.document(document_id)
    dossier = _sv(request).catalog.find_dossier(doc.dossier_id) if doc else None
    if doc is None or dossier is None or dossier.juridiction != user.juridiction:
        raise NotFound("Document introuvable.", param="document")
    return doc


@router.get("/documents/{document_id}/pages/{number}")
async def page_text(document_id: str, number: int, request: Request, user: User = Depends(current_user)):
    user.require("read")
    doc = _document(request, user, document_id)
    page = _sv(request).catalog.page(document_id, number)
    _audit(request, user, "page.text", doc.dossier_id, document=document_id, cote=doc.cote, page=number)
    return {"number": page.number, "text": page.text, "ocr": page.ocr, "ocr_confidence": page.ocr_confidence,
            "cote": page.cote, "header": page.header, "footer": page.footer}


@router.get("/dossiers/{dossier_id}/page.png")
async def page_image(dossier_id: str, request: Request, cote: str | None = Query(None, max_length=50),
                     page: int = Query(1, ge=1, le=100_000), chunk: str | None = Query(None, max_length=200),
                     quote: str | None = Query(None, max_length=4000), document: str | None = Query(None, max_length=100),
                     user: User = Depends(current_user)):
    """The cited page as the magistrate sees it, with the supporting lines highlighted."""
    user.require("read")
    d = _dossier(request, user, dossier_id)
    png = await run_in_threadpool(_render, _sv(request), d.id, cote or None, page, chunk, quote, document)
    _audit(request, user, "page.view", d.id, cote=cote, page=page, document=document)
    return Response(png, media_type="image/png")


@router.get("/dossiers/{dossier_id}/page")
async def page_reader(dossier_id: str, request: Request, cote: str | None = Query(None, max_length=50),
                      page: int = Query(1, ge=1, le=100_000), chunk: str | None = Query(None, max_length=200),
                      quote: str | None = Query(None, max_length=4000),
                      document: str | None = Query(None, max_length=100), user: User = Depends(current_user)):
    """The text of a cited page line by line, the supporting lines flagged (for the page reader)."""
    user.require("read")
    d = _dossier(request, user, dossier_id)
    doc, target, hits = await run_in_threadpool(_locate, _sv(request).catalog, d.id, cote or None, page, chunk,
                                                quote, document)
    _audit(request, user, "page.read", d.id, document=doc.id, cote=doc.cote, page=target.number)
    lines = [{"text": target.text[ln.start:ln.end], "hit": i in hits, "top": round(ln.bbox.y0 / target.height, 4)}
             for i, ln in enumerate(target.lines)]
    if not lines:
        lines = [{"text": t, "hit": False, "top": 0} for t in target.text.splitlines()]
    cote, number = page_citation(doc.cote, target)
    return {"document_id": doc.id, "filename": doc.filename, "cote": cote, "page": number,
            "pdf_page": target.number, "page_count": doc.page_count, "ocr": target.ocr,
            "ocr_confidence": target.ocr_confidence, "blank": target.blank, "lines": lines}


def _line_in_quote(line: str, quote: str) -> bool:
    """A page line belongs to the quoted passage when it lies inside it or holds its start or end."""
    from core.text import normalize_for_match

    ln, q = normalize_for_match(line), normalize_for_match(quote)
    if len(ln) < 3:
        return False
    return ln in q or q[:25] in ln or q[-25:] in ln


def _locate(catalog, dossier_id: str, cote: str | None, page: int, chunk_id: str | None, quote: str | None,
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
        found = _page_quoting(catalog, dossier_id, cote, quote)
    if found is None or found[1] is None:
        where = f"{cote} p.{page}" if cote else f"p.{page}"
        raise NotFound(f"Page {where} introuvable dans ce dossier.", param="page")
    doc, target = found
    in_chunk = chunk is not None and chunk.document_id == doc.id and chunk.pdf_page == target.number
    hits = {i for i, ln in enumerate(target.lines)
            if quote and (not in_chunk or (ln.start < chunk.char_end and ln.end > chunk.char_start))
            and _line_in_quote(target.text[ln.start:ln.end], quote)}
    if not hits and in_chunk:
        hits = {i for i, ln in enumerate(target.lines) if ln.start < chunk.char_end and ln.end > chunk.char_start}
    return doc, target, hits


def _page_quoting(catalog, dossier_id: str, cote: str | None, quote: str):
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


def _render(sv, dossier_id: str, cote: str | None, page: int, chunk_id: str | None, quote: str | None,
            document_id: str | None = None) -> bytes:
    from PIL import Image, ImageDraw

    from ingestion.pdf import render_page

    catalog = sv.catalog
    doc, target, hits = _locate(catalog, dossier_id, cote, page, chunk_id, quote, document_id)
    boxes = [ln.bbox for i, ln in enumerate(target.lines) if i in hits]
    image, dpi = render_page(str(catalog.pdf_path(doc.id)), target.number - 1, 1.6 * 72, 8_000_000, mode="RGBA")
    scale = dpi / 72  # a huge page is shown scaled down
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    overlay = ImageDraw.Draw(layer)
    for b in boxes:
        overlay.rectangle([b.x0 * scale - 3, b.y0 * scale - 3, b.x1 * scale + 3, b.y1 * scale + 3],
                          fill=(255, 220, 0, 90), outline=(220, 140, 0, 255), width=2)
    buf = io.BytesIO()
    Image.alpha_composite(image, layer).convert("RGB").save(buf, format="PNG")
    return buf.getvalue()


# search, ask ------------------------------------------------------------------------------------------------
class SearchIn(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(8, ge=1, le=50)
    cotes: list[str] | None = Field(None, max_length=200)


@router.post("/dossiers/{dossier_id}/search")
async def search(dossier_id: str, body: SearchIn, request: Request, user: User = Depends(current_user)):
    user.require("search")
    d = _dossier(request, user, dossier_id)
    flt = SearchFilter(dossier_id=d.id, juridiction=user.juridiction, cotes=body.cotes)
    passages = await run_in_threadpool(_sv(request).search.search, body.query, flt, body.k)
    _audit(request, user, "search", d.id, query=body.query, returned=[p.chunk.id for p in passages])
    return [p.to_dict() for p in passages]


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=2000)


def _sse(events):
    for name, data in events:
        yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/dossiers/{dossier_id}/ask")
async def ask(dossier_id: str, body: AskIn, request: Request, user: User = Depends(current_user)):
    """Server-sent events: `token` (model text as it is generated, LLM only), `sentence` (the answer with its
    citations, sent as soon as it is chosen or verified), `retract` / `abstention`, then `done`."""
    from generation.answer import answer_events

    user.require("search")
    d = _dossier(request, user, dossier_id)
    drafter = _sv(request).drafter

    def events():
        for name, data in answer_events(lambda sink: drafter.ask(d.id, body.question, on_event=sink)):
            if name == "done":
                _audit(request, user, "ask", d.id, question=body.question, status=data["status"],
                       cited=[c for s in data["sentences"] for c in s["citations"]])
                data = {k: data.get(k) for k in ("answer", "status", "span", "expected_type", "reason", "passages")}
            yield name, data

    return StreamingResponse(_sse(events()), media_type="text/event-stream")


# drafts -----------------------------------------------------------------------------------------------------
class DraftIn(BaseModel):
    kind: Literal["synthese", "detention", "requisitoire", "resume"]
    cote: str | None = Field(None, max_length=50)


def _shown_draft(draft):
    return dataclasses.replace(draft, dossier=visible_dossier_id(draft.dossier))


@router.post("/dossiers/{dossier_id}/drafts", status_code=201)
async def create_draft(dossier_id: str, body: DraftIn, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    d = _dossier(request, user, dossier_id)
    draft = await run_in_threadpool(_sv(request).drafter.stream, d.id, body.kind, body.cote)
    request.app.state.drafts.save(draft, user.juridiction, d.created.isoformat())
    _audit(request, user, "draft", d.id, draft=draft.id, kind=body.kind, model=draft.model,
           prompt=draft.prompt, documents=sorted({e["chunk_id"].split("-")[0] for e in draft.evidence}))
    return _shown_draft(draft).to_dict()


def _draft(request: Request, user: User, draft_id: str):
    """The draft if its recorded owner is the user's juridiction and the very dossier it was made from still
    exists (a dossier re-created under the same id is another dossier)."""
    drafts = request.app.state.drafts
    try:
        key, juridiction, created = drafts.owner(draft_id)
    except NotFound:
        key = juridiction = created = None
    found = _sv(request).catalog.find_dossier(key) if key and juridiction == user.juridiction else None
    if found is None or found.juridiction != user.juridiction or found.created.isoformat() != created:
        raise NotFound("Projet introuvable.", param="draft")
    return drafts.get(draft_id)


@router.get("/drafts/{draft_id}")
async def get_draft(draft_id: str, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    draft = _draft(request, user, draft_id)
    _audit(request, user, "draft.read", draft.dossier, draft=draft.id)
    return _shown_draft(draft).to_dict()


@router.get("/drafts/{draft_id}/stream")
async def stream_draft(draft_id: str, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    draft = _draft(request, user, draft_id)
    _audit(request, user, "draft.stream", draft.dossier, draft=draft.id)
    events = [("sentence", {"section": sec.title} | s.to_dict()) for sec in draft.sections for s in sec.sentences]
    return StreamingResponse(_sse(events + [("done", {"id": draft.id})]), media_type="text/event-stream")


@router.get("/drafts/{draft_id}/docx")
async def draft_docx(draft_id: str, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    draft = _draft(request, user, draft_id)
    from generation.docx_export import write_docx

    shown = _shown_draft(draft)
    path = _sv(request).settings.paths.sub("exports") / f"{draft.id}.docx"
    await run_in_threadpool(write_docx, shown, path, _sv(request).settings.drafting.citation_style)
    _audit(request, user, "draft.export", draft.dossier, draft=draft.id)
    return FileResponse(path, filename=f"projet-{draft.kind}-{shown.dossier}.docx",
                        content_disposition_type="attachment")


# orientation ------------------------------------------------------------------------------------------------
def _shown_proposal(request: Request, proposal: dict) -> dict:
    decisions = _sv(request).orientation.decisions.decisions(proposal["id"])
    return proposal | {"dossier": visible_dossier_id(proposal["dossier"]), "decisions": decisions,
                       "current_decision": decisions[-1] if decisions else None}


@router.post("/dossiers/{dossier_id}/orientation", status_code=201)
async def propose(dossier_id: str, request: Request, user: User = Depends(current_user)):
    user.require("orient")
    d = _dossier(request, user, dossier_id)
    proposal = await run_in_threadpool(_sv(request).orientation.propose, d.id)
    _audit(request, user, "orientation.propose", d.id, proposal=proposal["id"], grid=proposal["grid"],
           extractor=proposal["extractor"], documents=proposal["documents"],
           orientation=proposal["orientation"]["code"])
    return _shown_proposal(request, proposal)


def _proposal(request: Request, user: User, proposal_id: str) -> dict:
    """The proposal if its dossier is one of the user's juridiction; the error names nothing of anyone else's."""
    try:
        proposal = _sv(request).orientation.decisions.proposal(proposal_id)
    except NotFound:
        proposal = None
    found = _sv(request).catalog.find_dossier(proposal["dossier"]) if proposal else None
    if found is None or found.juridiction != user.juridiction:
        raise NotFound("Proposition introuvable.", param="proposal")
    return proposal


@router.get("/proposals/{proposal_id}")
async def get_proposal(proposal_id: str, request: Request, user: User = Depends(current_user)):
    user.require("orient")
    proposal = _proposal(request, user, proposal_id)
    _audit(request, user, "proposal.read", proposal["dossier"], proposal=proposal_id)
    return _shown_proposal(request, proposal)


class DecisionIn(BaseModel):
    action: Literal["accept", "modify", "reject"]
    changes: Changes = Field(default_factory=Changes)  # type: ignore[valid-type]
    reason: str | None = Field(None, max_length=MAX_REASON_CHARS)
    supersedes: int | None = Field(None, description="Number (seq) of the current decision this one replaces; "
                                   "required when a decision is already in force.")


@router.post("/proposals/{proposal_id}/decision", status_code=201)
async def decide(proposal_id: str, body: DecisionIn, request: Request, user: User = Depends(current_user)):
    user.require("decide")
    proposal = _proposal(request, user, proposal_id)
    changes = body.changes.model_dump(by_alias=True, exclude_unset=True)
    record = _sv(request).orientation.decisions.decide(proposal_id, body.action, user.name, changes, body.reason,
                                                       body.supersedes)
    _audit(request, user, "orientation.decide", proposal["dossier"], proposal=proposal_id, decision=body.action,
           changes=changes, reason=body.reason, supersedes=body.supersedes, grid=proposal["grid"])
    return record | {"dossier_id": visible_dossier_id(record["dossier_id"] or "")}
