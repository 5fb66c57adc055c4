"""FastAPI application: create_app(settings, services=None); services built in the lifespan, none at import."""
from __future__ import annotations

import logging
import re
import traceback
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import AppError
from core.log import request_context
from core.settings import Settings

log = logging.getLogger("api")
STATIC = Path(__file__).resolve().parent / "static"
MESSAGES_FR = {400: "Requête illisible (corps mal formé).",
               404: "Ressource introuvable.", 405: "Méthode non autorisée.", 401: "Authentification requise.",
               413: "Requête trop volumineuse."}
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# No inline script or style anywhere (the page and /docs load only their own files), no framing, no plugins.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
                    "referrer-policy": "no-referrer", "x-frame-options": "DENY",
                    "cross-origin-opener-policy": "same-origin", "permissions-policy": "camera=(), microphone=()"}
REFUSED = {401, 403, 404, 405, 409, 413, 429}
UPLOAD_PATH = re.compile(r"^/api/dossiers/[^/]+/documents/?$")
JSON_BODY_LIMIT = 2_000_000
DOCS_ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}
DOCS_HTML = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Mon assistant parquet — API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>
"""


class BodyTooLarge(HTTPException):  # FastAPI's own class: its body parser re-raises it as it is
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Requête trop volumineuse : au plus {limit / 1e6:g} Mo par envoi.")


class FileTooLarge(HTTPException):
    def __init__(self, name: str, limit: int) -> None:
        super().__init__(413, f"« {name} » dépasse la taille maximale ({limit / 1e6:g} Mo).")


class _PartSizes:
    """Follows the multipart stream alongside the app's own parser, only to measure each file as it arrives."""

    def __init__(self, content_type: bytes, file_limit: int) -> None:
        import python_multipart
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(content_type)
        self.limit, self.size, self.name, self.too_large = file_limit, 0, "", None
        self._field, self._headers = b"", {}
        self.parser = python_multipart.MultipartParser(options.get(b"boundary", b"-"), {
            "on_part_begin": self._begin, "on_part_data": self._data, "on_header_field": self._hfield,
            "on_header_value": self._hvalue, "on_headers_finished": self._headers_done})

    def _begin(self) -> None:
        self.size, self.name, self._headers = 0, "", {}

    def _hfield(self, data: bytes, start: int, end: int) -> None:
        self._field = data[start:end].lower()

    def _hvalue(self, data: bytes, start: int, end: int) -> None:
        self._headers[self._field] = self._headers.get(self._field, b"") + data[start:end]

    def _headers_done(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self.name = options.get(b"filename", b"").decode("utf-8", "replace").split("/")[-1][:150]

    def _data(self, data: bytes, start: int, end: int) -> None:
        self.size += end - start
        if self.size > self.limit and self.too_large is None:
            self.too_large = self.name or "fichier"

    def write(self, chunk: bytes) -> None:
        try:
            self.parser.write(chunk)
        except Exception:  # a malformed body is the app's parser's to report, not ours
            self.parser = None  # type: ignore[assignment]


class BodyLimit:
    """Counts the request body as it streams in and stops it, answered 413, as soon as it passes the limit
    (at once when the announced Content-Length already does); on uploads, also as soon as one file passes the
    per-file limit."""

    def __init__(self, app, upload_limit: int, file_limit: int) -> None:
        self.app, self.upload_limit, self.file_limit = app, upload_limit, file_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        upload = bool(UPLOAD_PATH.match(scope["path"]))
        limit = self.upload_limit if upload else JSON_BODY_LIMIT
        headers = dict(scope.get("headers") or [])
        announced = headers.get(b"content-length", b"")
        content_type = headers.get(b"content-type", b"")
        parts = _PartSizes(content_type, self.file_limit) if upload and content_type.startswith(
            b"multipart/form-data") else None
        received = 0

        async def limited():
            nonlocal received
            if announced.isdigit() and int(announced) > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                received += len(body)
                if received > limit:
                    raise BodyTooLarge(limit)
                if parts is not None and parts.parser is not None:
                    parts.write(body)
                    if parts.too_large:
                        raise FileTooLarge(parts.too_large, self.file_limit)
            return message

        await self.app(scope, limited, send)


def _error(status: int, code: str, message: str, param: str | None, request: Request) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "param": param},
                         "request_id": getattr(request.state, "request_id", None)}, status_code=status)


def _log_incident(request: Request, exc: BaseException) -> None:
    """An unexpected error, logged with the request id, the route template (no dossier id, no query) and where it
    was raised; the exception's message may quote case content, so it goes only in a DEBUG record's `case`."""
    route = request.scope.get("route")
    frames = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in traceback.extract_tb(exc.__traceback__)]
    with request_context(getattr(request.state, "request_id", None)):
        log.error("request.failed", extra={
            "fields": {"method": request.method, "route": getattr(route, "path", None), "status": 500,
                       "error_type": type(exc).__name__, "frames": frames[-12:]}})
        log.debug("request.failed.detail", extra={"case": {"message": str(exc)[:2000], "path": request.url.path}})


def create_app(settings: Settings | None = None, services=None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from api.datalock import DataLock
        from api.deps import Root
        from api.services import Services

        # The server owns the data folder: a second server or a CLI writer gets a French error, not a crash.
        # With a shared vector store (Qdrant server) replicas share the state instead: no lock.
        single = settings.vector_store.backend == "edge"
        lock = DataLock(settings.paths.data_dir, "serve").acquire() if services is None and single else None
        sv = services or Services(settings)
        root = Root.build(settings, sv)
        app.state.root = root
        from api.worker import IngestionRuntime

        root.jobs.runtime = IngestionRuntime(settings, sv, root.jobs, root.audit, "server")
        if settings.queue.backend == "inprocess":  # an in-process queue lost its messages: resume its jobs
            for job in root.jobs.unfinished():
                root.jobs.resume(job["id"])
        yield
        root.close()
        if services is None:
            sv.close()
        if lock is not None:
            lock.close()

    docs = settings.docs_enabled
    app = FastAPI(title="Mon assistant parquet", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json" if docs else None,
                  description="API des magistrats du parquet : dossiers, recherche, orientation, projets sourcés.")
    app.state.settings = settings

    # Added first, so it sits inside the middleware below: its 413 goes through the app's error handler.
    app.add_middleware(BodyLimit, upload_limit=int(settings.api.max_request_mb * 1e6),
                       file_limit=int(settings.api.max_upload_mb * 1e6))

    @app.middleware("http")
    async def request_id(request: Request, call_next):
        """A client's X-Request-Id only when it is a short plain token; security headers on every response;
        every refused API request written to the audit log."""
        given = request.headers.get("x-request-id", "")
        request.state.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        with request_context(request.state.request_id):  # every log line of the request carries its id
            response = await call_next(request)
        response.headers["x-request-id"] = request.state.request_id
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        path = request.url.path
        if path.startswith("/api/"):
            response.headers["cache-control"] = "no-store"
            response.headers["pragma"] = "no-cache"
            root = getattr(request.app.state, "root", None)
            if response.status_code in REFUSED and root is not None:
                user = getattr(request.state, "user", None)
                root.audit.record(
                    user.name if user else "anonyme", "refus", None, status=response.status_code,
                    method=request.method, target=path[:300], role=user.role if user else None,
                    juridiction=user.juridiction if user else None,
                    client=request.client.host if request.client else None, request_id=request.state.request_id)
        return response

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError):
        response = _error(exc.http_status, exc.code, exc.message, exc.param, request)
        if exc.http_status == 429:
            response.headers["retry-after"] = str(int(settings.api.auth_window_s))
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", [])[1:]) or None
        return _error(422, "entree_invalide", f"Paramètre invalide : {param or 'requête'} ({first.get('msg', '')}).",
                      param, request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        own = isinstance(exc, (BodyTooLarge, FileTooLarge))  # French messages of ours, kept as they are
        message = str(exc.detail) if own else MESSAGES_FR.get(exc.status_code, str(exc.detail))
        return _error(exc.status_code, f"http_{exc.status_code}", message, None, request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        _log_incident(request, exc)
        return _error(500, "erreur_interne", "Erreur interne : l'incident est journalisé.", None, request)

    from api.routes import router

    app.include_router(router, prefix="/api")

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC / "index.html")

    if docs:
        import importlib.util

        # Swagger UI 5 (OpenAPI 3.1) as shipped by the fastapi-offline package: only its files are used.
        spec = importlib.util.find_spec("fastapi_offline")
        assets = Path(next(iter(spec.submodule_search_locations))) / "static" if spec and \
            spec.submodule_search_locations else None

        @app.get("/docs", include_in_schema=False)
        async def docs_page():
            return Response(DOCS_HTML, media_type="text/html")

        @app.get("/docs-assets/{name}", include_in_schema=False)
        async def docs_asset(name: str):
            if name not in DOCS_ASSETS or assets is None:
                raise StarletteHTTPException(404)
            return Response((assets / name).read_bytes(), media_type=DOCS_ASSETS[name])

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str):
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not path.is_file():
            raise StarletteHTTPException(404)
        return FileResponse(path)

    return app
