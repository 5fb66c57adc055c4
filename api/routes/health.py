"""Liveness, readiness (details only with a valid token) and who am I."""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.auth import Credentials, TenantDep, authenticate
from api.deps import RootDep
from api.schemas import Health, Me

router = APIRouter()


@router.get("/health", response_model=Health)
async def health():
    return {"status": "ok"}


@router.get("/ready")
async def ready(request: Request, root: RootDep, credentials: Credentials):
    """Ready or not for anyone; the details (models, counts) only with a valid token."""
    sv = root.services
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
        authenticate(request, root, credentials)
        body["checks"] = checks
    return Response(json.dumps(body), status_code=200 if ok else 503, media_type="application/json")


@router.get("/me", response_model=Me)
async def me(tenant: TenantDep):
    return {"name": tenant.name, "role": tenant.role, "juridiction": tenant.juridiction}
