"""The composition root of the HTTP app: every long-lived component in one typed `Root`, built once in the
lifespan, and one FastAPI dependency per component (`catalog: CatalogDep` in a route's signature).

A route never reaches `request.app.state` itself. Tests either build the app with their own `Services`
(`create_app(settings, Services(settings, ingestor=Fake()))`) or override a dependency
(`app.dependency_overrides[get_root] = ...`). Components are resolved only by the routes that name them, and
built lazily by `Services` on first use."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from api.services import Services
from core.settings import Settings

if TYPE_CHECKING:
    from api.audit import AuditLog
    from api.auth import AuthThrottle, OidcVerifier, TokenStore
    from api.jobs import JobStore
    from core.protocols import Embedder, VectorStore
    from generation.drafting import Drafter
    from generation.store import DraftStore
    from ingestion.catalog import Catalog
    from ingestion.pipeline import Ingestor
    from ingestion.sparse import FrenchBM25
    from orientation.decisions import DecisionStore
    from orientation.service import OrientationService
    from retrieval.search import SearchService


@dataclass
class Root:
    """Everything the routes use, typed: the capabilities (through `services`) and the API's own stores."""

    settings: Settings
    services: Services
    tokens: TokenStore
    oidc: OidcVerifier | None
    throttle: AuthThrottle
    audit: AuditLog
    jobs: JobStore
    drafts: DraftStore

    @classmethod
    def build(cls, settings: Settings, services: Services) -> Root:
        from api.audit import AuditLog
        from api.auth import AuthThrottle, OidcVerifier, TokenStore
        from api.jobs import JobStore
        from generation.store import DraftStore
        from storage.locations import location

        migrate = settings.state.migrate
        return cls(settings=settings, services=services,
                   tokens=TokenStore(location(settings, "accounts"), migrate=migrate),
                   oidc=OidcVerifier(settings.api) if settings.api.auth == "oidc" else None,
                   throttle=AuthThrottle.from_settings(settings),
                   audit=AuditLog.from_settings(settings),
                   jobs=JobStore(location(settings, "jobs"), settings.paths.sub("uploads"), migrate=migrate),
                   drafts=DraftStore(location(settings, "drafts"), migrate=migrate))

    def close(self) -> None:
        """The API's own stores; `services` belongs to whoever built it."""
        self.jobs.close()
        self.tokens.close()
        self.throttle.close()
        self.drafts.close()
        self.audit.close()


def get_root(request: Request) -> Root:
    return request.app.state.root


RootDep = Annotated[Root, Depends(get_root)]


def _component(path: str) -> Callable[[Root], Any]:
    """The FastAPI dependency giving one component of the root (`path`: its attribute path, e.g.
    "services.search"): a function of its own per component, so that `app.dependency_overrides[get_search]`
    replaces that component alone; the component is built (by `Services`) only when a route names it."""
    part = attrgetter(path)

    def dependency(root: RootDep) -> Any:
        return part(root)

    dependency.__name__ = dependency.__qualname__ = "get_" + path.rsplit(".", 1)[-1]
    return dependency


get_settings = _component("settings")
get_catalog = _component("services.catalog")
get_store = _component("services.store")
get_embedder = _component("services.embedder")
get_sparse = _component("services.sparse")
get_ingestor = _component("services.ingestor")
get_search = _component("services.search")
get_drafter = _component("services.drafter")
get_orientation = _component("services.orientation")
get_decisions = _component("services.orientation.decisions")
get_jobs = _component("jobs")
get_drafts = _component("drafts")
get_audit = _component("audit")


SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated["Catalog", Depends(get_catalog)]
StoreDep = Annotated["VectorStore", Depends(get_store)]
EmbedderDep = Annotated["Embedder", Depends(get_embedder)]
SparseDep = Annotated["FrenchBM25", Depends(get_sparse)]
IngestorDep = Annotated["Ingestor", Depends(get_ingestor)]
SearchDep = Annotated["SearchService", Depends(get_search)]
DrafterDep = Annotated["Drafter", Depends(get_drafter)]
OrientationDep = Annotated["OrientationService", Depends(get_orientation)]
DecisionsDep = Annotated["DecisionStore", Depends(get_decisions)]
JobsDep = Annotated["JobStore", Depends(get_jobs)]
DraftsDep = Annotated["DraftStore", Depends(get_drafts)]
AuditDep = Annotated["AuditLog", Depends(get_audit)]
