"""HTTP routes, one module per resource; every case-content route receives the tenant (api.auth.TenantDep),
which scopes every lookup, vector-store filter and audit entry to the user's juridiction (404 otherwise, never
403). Responses show the typed dossier id, never the internal key."""
from __future__ import annotations

from fastapi import APIRouter

from api.routes import dossiers, drafts, health, orientation, pages, questions, uploads

router = APIRouter()
for module in (health, dossiers, uploads, pages, questions, drafts, orientation):
    router.include_router(module.router)
