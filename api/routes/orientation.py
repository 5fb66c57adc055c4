"""Orientation: propose (facts with sources, grid, trace), read a proposal, record the magistrate's decision."""
from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.auth import TenantDep
from api.deps import DecisionsDep, OrientationDep
from api.schemas import DecisionIn
from core.ids import visible_dossier_id

router = APIRouter()


def _shown_proposal(decisions, proposal: dict) -> dict:
    history = decisions.decisions(proposal["id"])
    return proposal | {"dossier": visible_dossier_id(proposal["dossier"]), "decisions": history,
                       "current_decision": history[-1] if history else None}


@router.post("/dossiers/{dossier_id}/orientation", status_code=201)
async def propose(dossier_id: str, tenant: TenantDep, orientation: OrientationDep):
    tenant.require("orient")
    d = tenant.dossier(dossier_id)
    proposal = await run_in_threadpool(orientation.propose, d.id)
    tenant.audit("orientation.propose", d.id, proposal=proposal["id"], grid=proposal["grid"],
                 extractor=proposal["extractor"], documents=proposal["documents"],
                 orientation=proposal["orientation"]["code"])
    return _shown_proposal(orientation.decisions, proposal)


@router.get("/proposals/{proposal_id}")
async def get_proposal(proposal_id: str, tenant: TenantDep, decisions: DecisionsDep):
    tenant.require("orient")
    proposal = tenant.proposal(proposal_id)
    tenant.audit("proposal.read", proposal["dossier"], proposal=proposal_id)
    return _shown_proposal(decisions, proposal)


@router.post("/proposals/{proposal_id}/decision", status_code=201)
async def decide(proposal_id: str, body: DecisionIn, tenant: TenantDep, decisions: DecisionsDep):
    tenant.require("decide")
    proposal = tenant.proposal(proposal_id)
    changes = body.changes.model_dump(by_alias=True, exclude_unset=True)
    record = decisions.decide(proposal_id, body.action, tenant.name, changes, body.reason, body.supersedes)
    tenant.audit("orientation.decide", proposal["dossier"], proposal=proposal_id, decision=body.action,
                 changes=changes, reason=body.reason, supersedes=body.supersedes, grid=proposal["grid"])
    return record | {"dossier_id": visible_dossier_id(record["dossier_id"] or "")}

