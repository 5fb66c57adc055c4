"""HTTP routes. Every dossier access checks the user's juridiction (404 otherwise, never 403)."""
from __future__ import annotations

import io
import json
import re
from typing import Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.auth import User
from core.errors import InvalidInput, NotFound, Unauthorized
from core.models import CaseFile
from core.protocols import SearchFilter

router = APIRouter()


def current_user(request: Request) -> User:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise Unauthorized("Authentification requise (en-tête Authorization: Bearer).", code="non_authentifie")
    token = header[7:].strip()
    app = request.app
    return app.state.oidc.authenticate(token) if app.state.oidc else app.state.tokens.authenticate(token)


def _sv(request: Request):
    return request.app.state.services


def _dossier(request: Request, user: User, dossier_id: str) -> CaseFile:
    """The dossier if it belongs to the user's juridiction; otherwise it does not exist for them."""
    found = _sv(request).catalog.find_dossier(dossier_id)
    if found is None or found.juridiction != user.juridiction:
        raise NotFound(f"Dossier « {dossier_id} » introuvable.", param="dossier")
    return found


def _audit(request: Request, user: User, action: str, dossier: str | None = None, **details) -> None:
    request.app.state.audit.record(user.name, action, dossier, role=user.role, **details)


# health -----------------------------------------------------------------------------------------------------
@router.get("/health")
async def health():
    return {"status": "ok"}


@router.get("/ready")
async def ready(request: Request):
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
    return Response(json.dumps({"ready": ok, "checks": checks}), status_code=200 if ok else 503,
                    media_type="application/json")


@router.get("/me")
async def me(user: User = Depends(current_user)):
    return {"name": user.name, "role": user.role, "juridiction": user.juridiction}


# dossiers ---------------------------------------------------------------------------------------------------
class DossierIn(BaseModel):
    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = ""


@router.post("/dossiers", status_code=201)
async def create_dossier(body: DossierIn, request: Request, user: User = Depends(current_user)):
    user.require("upload")
    catalog = _sv(request).catalog
    existing = catalog.find_dossier(body.id)
    if existing and existing.juridiction != user.juridiction:
        raise InvalidInput("Identifiant de dossier déjà utilisé.", param="id")
    dossier = catalog.upsert_dossier(CaseFile(id=body.id, juridiction=user.juridiction, title=body.title))
    _audit(request, user, "dossier.create", body.id)
    return dossier.model_dump(mode="json")


@router.get("/dossiers")
async def list_dossiers(request: Request, user: User = Depends(current_user)):
    user.require("read")
    catalog = _sv(request).catalog
    return [d.model_dump(mode="json") | {"documents": len(catalog.documents(d.id))}
            for d in catalog.dossiers(user.juridiction)]


@router.get("/dossiers/{dossier_id}")
async def get_dossier(dossier_id: str, request: Request, user: User = Depends(current_user)):
    user.require("read")
    d = _dossier(request, user, dossier_id)
    docs = _sv(request).catalog.documents(dossier_id)
    return d.model_dump(mode="json") | {"documents": [x.model_dump(mode="json") for x in docs]}


@router.delete("/dossiers/{dossier_id}", status_code=204)
async def delete_dossier(dossier_id: str, request: Request, user: User = Depends(current_user)):
    user.require("decide")
    _dossier(request, user, dossier_id)
    sv = _sv(request)
    await run_in_threadpool(sv.store.delete_dossier, dossier_id)
    sv.catalog.delete_dossier(dossier_id)
    _audit(request, user, "dossier.delete", dossier_id)
    return Response(status_code=204)


# documents and ingestion jobs -------------------------------------------------------------------------------
@router.post("/dossiers/{dossier_id}/documents", status_code=202)
async def upload(dossier_id: str, request: Request, files: list[UploadFile] = File(...),
                 user: User = Depends(current_user)):
    user.require("upload")
    _dossier(request, user, dossier_id)
    limit = int(request.app.state.settings.api.max_upload_mb * 1e6)
    jobs = request.app.state.jobs
    job_id, folder = jobs.create(dossier_id, user.juridiction, user.name)
    for f in files:
        name = re.sub(r"[^\w.\- ]", "_", (f.filename or "fichier").split("/")[-1])[:150] or "fichier"
        written = 0
        with open(folder / name, "wb") as out:
            while chunk := await f.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    out.close()
                    (folder / name).unlink()
                    raise InvalidInput(f"« {name} » dépasse la taille maximale ({limit // 1_000_000} Mo).",
                                       param="files", code="fichier_trop_gros")
                out.write(chunk)
    jobs.submit(job_id, _sv(request), request.app.state.audit)
    _audit(request, user, "upload", dossier_id, job=job_id, files=[f.filename for f in files])
    return {"job": job_id, "files": len(files)}


@router.get("/jobs/{job_id}")
async def job(job_id: str, request: Request, user: User = Depends(current_user)):
    user.require("read")
    data = request.app.state.jobs.get(job_id)
    if data["juridiction"] != user.juridiction:
        raise NotFound("Tâche introuvable.", param="job")
    return data


@router.get("/documents/{document_id}/original")
async def original(document_id: str, request: Request, user: User = Depends(current_user)):
    user.require("read")
    doc = _document(request, user, document_id)
    path = _sv(request).settings.paths.sub("originals") / doc.sha256
    return FileResponse(path, filename=doc.filename)


def _document(request: Request, user: User, document_id: str):
    doc = _sv(request).catalog.document(document_id)
    if doc is None:
        raise NotFound("Document introuvable.", param="document")
    _dossier(request, user, doc.dossier_id)
    return doc


@router.get("/documents/{document_id}/pages/{number}")
async def page_text(document_id: str, number: int, request: Request, user: User = Depends(current_user)):
    user.require("read")
    _document(request, user, document_id)
    page = _sv(request).catalog.page(document_id, number)
    return {"number": page.number, "text": page.text, "ocr": page.ocr, "ocr_confidence": page.ocr_confidence,
            "cote": page.cote, "header": page.header, "footer": page.footer}


@router.get("/dossiers/{dossier_id}/page.png")
async def page_image(dossier_id: str, request: Request, cote: str, page: int = Query(ge=1),
                     chunk: str | None = None, quote: str | None = None, user: User = Depends(current_user)):
    """The cited page as the magistrate sees it, with the supporting lines highlighted."""
    user.require("read")
    _dossier(request, user, dossier_id)
    png = await run_in_threadpool(_render, _sv(request), dossier_id, cote, page, chunk, quote)
    _audit(request, user, "page.view", dossier_id, cote=cote, page=page)
    return Response(png, media_type="image/png")


def _line_in_quote(line: str, quote: str) -> bool:
    """A page line belongs to the quoted passage when it lies inside it or holds its start or end."""
    from core.text import normalize_for_match

    ln, q = normalize_for_match(line), normalize_for_match(quote)
    if len(ln) < 3:
        return False
    return ln in q or q[:25] in ln or q[-25:] in ln


def _render(sv, dossier_id: str, cote: str, page: int, chunk_id: str | None, quote: str | None) -> bytes:
    import pypdfium2 as pdfium
    from PIL import ImageDraw


    catalog = sv.catalog
    for doc in catalog.documents(dossier_id):
        pages = catalog.pages(doc.id)
        target = next((p for p in pages if (p.cote or doc.cote) == cote and (p.cote_page or p.number) == page), None) \
            if doc.cote == cote or any(p.cote == cote for p in pages) else None
        if target is None:
            continue
        chunk = catalog.chunk(chunk_id) if chunk_id else None
        lines = [ln for ln in target.lines if not chunk or chunk.document_id != doc.id
                 or (ln.start < chunk.char_end and ln.end > chunk.char_start)]
        boxes = [ln.bbox for ln in lines if quote and _line_in_quote(target.text[ln.start:ln.end], quote)]
        if not boxes and chunk and chunk.document_id == doc.id:
            boxes = chunk.bboxes
        pdf = pdfium.PdfDocument(catalog.pdf_path(doc.id))
        scale = 1.6
        image = pdf[target.number - 1].render(scale=scale).to_pil().convert("RGBA")
        pdf.close()
        from PIL import Image

        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        overlay = ImageDraw.Draw(layer)
        for b in boxes:
            overlay.rectangle([b.x0 * scale - 3, b.y0 * scale - 3, b.x1 * scale + 3, b.y1 * scale + 3],
                              fill=(255, 220, 0, 90), outline=(220, 140, 0, 255), width=2)
        buf = io.BytesIO()
        Image.alpha_composite(image, layer).convert("RGB").save(buf, format="PNG")
        return buf.getvalue()
    raise NotFound(f"Page {cote} p.{page} introuvable.", param="page")


# search, ask ------------------------------------------------------------------------------------------------
class SearchIn(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(8, ge=1, le=50)
    cotes: list[str] | None = None


@router.post("/dossiers/{dossier_id}/search")
async def search(dossier_id: str, body: SearchIn, request: Request, user: User = Depends(current_user)):
    user.require("search")
    _dossier(request, user, dossier_id)
    flt = SearchFilter(dossier_id=dossier_id, juridiction=user.juridiction, cotes=body.cotes)
    passages = await run_in_threadpool(_sv(request).search.search, body.query, flt, body.k)
    _audit(request, user, "search", dossier_id, query=body.query, returned=[p.chunk.id for p in passages])
    return [p.to_dict() for p in passages]


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=2000)


def _sse(events):
    for name, data in events:
        yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/dossiers/{dossier_id}/ask")
async def ask(dossier_id: str, body: AskIn, request: Request, user: User = Depends(current_user)):
    """Server-sent events: one `sentence` event per verified sentence, then `done`."""
    user.require("search")
    _dossier(request, user, dossier_id)
    answer = await run_in_threadpool(_sv(request).drafter.ask, dossier_id, body.question)
    _audit(request, user, "ask", dossier_id, question=body.question, status=answer["status"],
           cited=[c for s in answer["sentences"] for c in s["citations"]])
    events = [("sentence", s) for s in answer["sentences"]] + [("done", {"answer": answer["answer"],
                                                                         "status": answer["status"],
                                                                         "passages": answer["passages"]})]
    return StreamingResponse(_sse(events), media_type="text/event-stream")


# drafts -----------------------------------------------------------------------------------------------------
class DraftIn(BaseModel):
    kind: Literal["synthese", "detention", "requisitoire", "resume"]
    cote: str | None = None


@router.post("/dossiers/{dossier_id}/drafts", status_code=201)
async def create_draft(dossier_id: str, body: DraftIn, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    _dossier(request, user, dossier_id)
    draft = await run_in_threadpool(_sv(request).drafter.stream, dossier_id, body.kind, body.cote)
    request.app.state.drafts.save(draft)
    _audit(request, user, "draft", dossier_id, draft=draft.id, kind=body.kind, model=draft.model,
           prompt=draft.prompt, documents=sorted({e["chunk_id"].split("-")[0] for e in draft.evidence}))
    return draft.to_dict()


def _draft(request: Request, user: User, draft_id: str):
    draft = request.app.state.drafts.get(draft_id)
    found = _sv(request).catalog.find_dossier(draft.dossier)
    if found is None or found.juridiction != user.juridiction:
        raise NotFound("Projet introuvable.", param="draft")
    return draft


@router.get("/drafts/{draft_id}")
async def get_draft(draft_id: str, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    return _draft(request, user, draft_id).to_dict()


@router.get("/drafts/{draft_id}/stream")
async def stream_draft(draft_id: str, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    draft = _draft(request, user, draft_id)
    events = [("sentence", {"section": sec.title} | s.to_dict()) for sec in draft.sections for s in sec.sentences]
    return StreamingResponse(_sse(events + [("done", {"id": draft.id})]), media_type="text/event-stream")


@router.get("/drafts/{draft_id}/docx")
async def draft_docx(draft_id: str, request: Request, user: User = Depends(current_user)):
    user.require("draft")
    draft = _draft(request, user, draft_id)
    from generation.docx_export import write_docx

    path = _sv(request).settings.paths.sub("exports") / f"{draft.id}.docx"
    await run_in_threadpool(write_docx, draft, path, _sv(request).settings.drafting.citation_style)
    _audit(request, user, "draft.export", draft.dossier, draft=draft.id)
    return FileResponse(path, filename=f"projet-{draft.kind}-{draft.dossier}.docx")


# orientation ------------------------------------------------------------------------------------------------
@router.post("/dossiers/{dossier_id}/orientation", status_code=201)
async def propose(dossier_id: str, request: Request, user: User = Depends(current_user)):
    user.require("orient")
    _dossier(request, user, dossier_id)
    proposal = await run_in_threadpool(_sv(request).orientation.propose, dossier_id)
    _audit(request, user, "orientation.propose", dossier_id, proposal=proposal["id"], grid=proposal["grid"],
           extractor=proposal["extractor"], documents=proposal["documents"],
           orientation=proposal["orientation"]["code"])
    return proposal


def _proposal(request: Request, user: User, proposal_id: str) -> dict:
    proposal = _sv(request).orientation.decisions.proposal(proposal_id)
    _dossier(request, user, proposal["dossier"])
    return proposal


@router.get("/proposals/{proposal_id}")
async def get_proposal(proposal_id: str, request: Request, user: User = Depends(current_user)):
    user.require("orient")
    proposal = _proposal(request, user, proposal_id)
    return proposal | {"decisions": _sv(request).orientation.decisions.decisions(proposal_id)}


class DecisionIn(BaseModel):
    action: Literal["accept", "modify", "reject"]
    changes: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    reason: str | None = None


@router.post("/proposals/{proposal_id}/decision", status_code=201)
async def decide(proposal_id: str, body: DecisionIn, request: Request, user: User = Depends(current_user)):
    user.require("decide")
    proposal = _proposal(request, user, proposal_id)
    record = _sv(request).orientation.decisions.decide(proposal_id, body.action, user.name, body.changes, body.reason)
    _audit(request, user, "orientation.decide", proposal["dossier"], proposal=proposal_id, decision=body.action,
           changes=body.changes, reason=body.reason, grid=proposal["grid"])
    return record
