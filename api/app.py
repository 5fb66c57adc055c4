"""FastAPI application: create_app(settings, services=None); services built in the lifespan, none at import."""
from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import AppError
from core.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
MESSAGES_FR = {404: "Ressource introuvable.", 405: "Méthode non autorisée.", 401: "Authentification requise."}


def _error(status: int, code: str, message: str, param: str | None, request: Request) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "param": param},
                         "request_id": getattr(request.state, "request_id", None)}, status_code=status)


def create_app(settings: Settings | None = None, services=None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from api.audit import AuditLog
        from api.auth import OidcVerifier, TokenStore
        from api.jobs import JobStore
        from api.services import Services

        sv = services or Services(settings)
        db = settings.paths.sub("db")
        app.state.services = sv
        app.state.tokens = TokenStore(db / "users.sqlite")
        app.state.oidc = OidcVerifier(settings.api) if settings.api.auth == "oidc" else None
        app.state.audit = AuditLog(settings.audit.url or f"sqlite:///{(db / 'audit.sqlite').resolve()}")
        app.state.jobs = JobStore(db / "jobs.sqlite", settings.paths.sub("uploads"))
        from generation.store import DraftStore

        app.state.drafts = DraftStore(db / "drafts.sqlite")
        for job in app.state.jobs.unfinished():  # resume what a restart interrupted
            app.state.jobs.submit(job["id"], sv, app.state.audit)
        yield
        app.state.jobs.close()
        app.state.tokens.close()
        app.state.drafts.close()
        if services is None:
            sv.close()

    app = FastAPI(title="Mon assistant parquet", version="0.1.0", lifespan=lifespan,
                  description="API des magistrats du parquet : dossiers, recherche, orientation, projets sourcés.")
    app.state.settings = settings

    @app.middleware("http")
    async def request_id(request: Request, call_next):
        request.state.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        response = await call_next(request)
        response.headers["x-request-id"] = request.state.request_id
        return response

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError):
        return _error(exc.http_status, exc.code, exc.message, exc.param, request)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", [])[1:]) or None
        return _error(422, "entree_invalide", f"Paramètre invalide : {param or 'requête'} ({first.get('msg', '')}).",
                      param, request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in MESSAGES_FR \
            else MESSAGES_FR.get(exc.status_code, str(exc.detail))
        return _error(exc.status_code, f"http_{exc.status_code}", message, None, request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        return _error(500, "erreur_interne", "Erreur interne : l'incident est journalisé.", None, request)

    from api.routes import router

    app.include_router(router, prefix="/api")

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC / "index.html")

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str):
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not path.is_file():
            raise StarletteHTTPException(404)
        return FileResponse(path)

    return app
