"""Search (hybrid, highlighted hits) and questions (server-sent events)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.auth import TenantDep
from api.deps import DrafterDep, SearchDep
from api.schemas import AskIn, SearchIn
from api.sse import sse

router = APIRouter()


@router.post("/dossiers/{dossier_id}/search")
async def search(dossier_id: str, body: SearchIn, tenant: TenantDep, service: SearchDep):
    tenant.require("search")
    d = tenant.dossier(dossier_id)
    passages = await run_in_threadpool(service.search, body.query, tenant.search_filter(d, body.cotes), body.k)
    tenant.audit("search", d.id, query=body.query, returned=[p.chunk.id for p in passages])
    return [p.to_dict() for p in passages]


@router.get("/dossiers/{dossier_id}/indexation")
async def indexation(dossier_id: str, tenant: TenantDep, service: SearchDep):
    """Whether every page of the dossier is searchable by meaning yet: while dense vectors are computed, search
    and questions use the full-text (BM25) ranking only and `message` says so in French."""
    tenant.require("search")
    d = tenant.dossier(dossier_id)
    state = await run_in_threadpool(service.indexing, d.id)
    return state.to_dict() if state else {"complete": True, "pages_waiting": 0, "chunks_waiting": 0, "message": None}


@router.post("/dossiers/{dossier_id}/ask")
async def ask(dossier_id: str, body: AskIn, tenant: TenantDep, drafter: DrafterDep):
    """Server-sent events: `token` (model text as it is generated, LLM only), `sentence` (the answer with its
    citations, sent as soon as it is chosen or verified), `retract` / `abstention`, then `done`."""
    from generation.answer import answer_events

    tenant.require("search")
    d = tenant.dossier(dossier_id)

    def events():
        for name, data in answer_events(lambda sink: drafter.ask(d.id, body.question, on_event=sink)):
            if name == "done":
                tenant.audit("ask", d.id, question=body.question, status=data["status"],
                             cited=[c for s in data["sentences"] for c in s["citations"]])
                data = {k: data.get(k) for k in ("answer", "status", "span", "expected_type", "reason", "passages",
                                                 "notice")}
            yield name, data

    return StreamingResponse(sse(events()), media_type="text/event-stream")
