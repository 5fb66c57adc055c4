"""Drafts: create (sourced, verified), read, replay as server-sent events, export as DOCX."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.auth import TenantDep
from api.deps import DrafterDep, DraftsDep, SettingsDep
from api.schemas import DraftIn
from api.shown import shown_draft
from api.sse import sse

router = APIRouter()


@router.post("/dossiers/{dossier_id}/drafts", status_code=201)
async def create_draft(dossier_id: str, body: DraftIn, tenant: TenantDep, drafter: DrafterDep, drafts: DraftsDep):
    tenant.require("draft")
    d = tenant.dossier(dossier_id)
    draft = await run_in_threadpool(drafter.stream, d.id, body.kind, body.cote)
    drafts.save(draft, tenant.juridiction, d.created.isoformat())
    tenant.audit("draft", d.id, draft=draft.id, kind=body.kind, model=draft.model,
                 prompt=draft.prompt, documents=sorted({e["chunk_id"].split("-")[0] for e in draft.evidence}))
    return shown_draft(draft).to_dict()


@router.get("/drafts/{draft_id}")
async def get_draft(draft_id: str, tenant: TenantDep):
    tenant.require("draft")
    draft = tenant.draft(draft_id)
    tenant.audit("draft.read", draft.dossier, draft=draft.id)
    return shown_draft(draft).to_dict()


@router.get("/drafts/{draft_id}/stream")
async def stream_draft(draft_id: str, tenant: TenantDep):
    tenant.require("draft")
    draft = tenant.draft(draft_id)
    tenant.audit("draft.stream", draft.dossier, draft=draft.id)
    events = [("sentence", {"section": sec.title} | s.to_dict()) for sec in draft.sections for s in sec.sentences]
    return StreamingResponse(sse(events + [("done", {"id": draft.id})]), media_type="text/event-stream")


@router.get("/drafts/{draft_id}/docx")
async def draft_docx(draft_id: str, tenant: TenantDep, settings: SettingsDep):
    tenant.require("draft")
    draft = tenant.draft(draft_id)
    from generation.docx_export import write_docx

    shown = shown_draft(draft)
    path = settings.paths.sub("exports") / f"{draft.id}.docx"
    await run_in_threadpool(write_docx, shown, path, settings.drafting.citation_style)
    tenant.audit("draft.export", draft.dossier, draft=draft.id)
    return FileResponse(path, filename=f"projet-{draft.kind}-{shown.dossier}.docx",
                        content_disposition_type="attachment")
