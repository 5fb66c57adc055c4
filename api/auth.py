"""Accounts: hashed API tokens (embedded default) or OIDC bearer JWTs; roles and juridiction per user.

The tenant (user, role, juridiction) is one FastAPI dependency, `TenantDep`, that every case-content route
receives: it is the only way a route looks up a dossier, document, job, draft or proposal, builds a vector-store
filter or writes to the audit log, so juridiction isolation lives here and nowhere else. Dossier ids are scoped
per juridiction: the id a user types maps to an internal key (core.ids.dossier_key) used by the catalog, the
vector-store filter, drafts, proposals and jobs; another juridiction's object answers 404 naming nothing."""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from api.deps import Root, RootDep
from core.errors import Forbidden, InvalidInput, NotFound, TooManyRequests, Unauthorized
from core.ids import dossier_key, visible_dossier_id
from core.protocols import SearchFilter
from core.settings import ApiSettings, Settings
from storage.engine import SqlStore, upsert
from storage.tables import users
from storage.throttle import FailureLog

if TYPE_CHECKING:
    from core.models import CaseFile, SourceDocument

ROLES = {"magistrat", "greffier", "evaluateur", "admin"}
# What each role may do; case content is never visible to evaluateur or admin.
PERMISSIONS = {
    "magistrat": {"read", "upload", "search", "draft", "orient", "decide"},
    "greffier": {"read", "upload", "search"},
    "evaluateur": {"eval"},
    "admin": {"users"},
}


@dataclass(frozen=True)
class User:
    name: str
    role: str
    juridiction: str

    def require(self, permission: str) -> None:
        if permission not in PERMISSIONS.get(self.role, set()):
            raise Forbidden(f"Action non autorisée pour le rôle « {self.role} ».", code="interdit")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AuthThrottle:
    """Failed authentications per client address: past `max_failures` within `window_s`, the client is answered
    429 (without even checking its token) until its oldest failure leaves the window.

    The failures live in the state database (storage.throttle.FailureLog), not in this process: an attacker who
    spreads attempts over several API replicas gets the same allowance as against one. Times are the replicas'
    wall clocks (kept in step by NTP; a skew of s seconds moves the window by s)."""

    def __init__(self, failures: FailureLog, max_failures: int, window_s: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.failures, self.max_failures, self.window_s, self.clock = failures, max_failures, window_s, clock

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthThrottle:
        from storage.locations import location

        log = FailureLog(location(settings, "accounts"), migrate=settings.state.migrate)
        return cls(log, settings.api.auth_max_failures, settings.api.auth_window_s)

    def check(self, client: str) -> None:
        now = self.clock()
        count, oldest = self.failures.recent(client, now - self.window_s)
        if count >= self.max_failures and oldest is not None:
            wait = max(1, int(self.window_s - (now - oldest)) + 1)
            raise TooManyRequests(f"Trop d'échecs d'authentification : réessayez dans {wait} s.",
                                  code="trop_de_tentatives")

    def failed(self, client: str) -> None:
        now = self.clock()
        self.failures.add(client, now, expire_before=now - self.window_s)

    def close(self) -> None:
        self.failures.close()


class TokenStore(SqlStore):
    """Tokens are shown once at creation and stored only as SHA-256 hashes."""

    branch = "accounts"

    def add(self, name: str, role: str, juridiction: str) -> str:
        """Create the user, or give an existing one this role, juridiction and a new token (the old one stops
        working)."""
        if role not in ROLES:
            raise InvalidInput(f"Rôle inconnu « {role} » ({', '.join(sorted(ROLES))}).", param="role")
        token = "map_" + secrets.token_urlsafe(32)
        with self.write() as conn:
            upsert(conn, users, {"name": name, "role": role, "juridiction": juridiction, "token_hash": _hash(token)},
                   ("name",))
        return token

    def authenticate(self, token: str) -> User:
        with self.read() as conn:
            row = conn.execute(select(users.c.name, users.c.role, users.c.juridiction)
                               .where(users.c.token_hash == _hash(token))).first()
        if not row:
            raise Unauthorized("Jeton invalide.", code="jeton_invalide")
        return User(row.name, row.role, row.juridiction)

    def list(self) -> list[dict]:
        with self.read() as conn:
            rows = conn.execute(select(users.c.name, users.c.role, users.c.juridiction).order_by(users.c.name))
            return [{"name": r.name, "role": r.role, "juridiction": r.juridiction} for r in rows]


class OidcVerifier:
    """Bearer JWTs validated against the configured issuer, audience and JWKS (file or URL)."""

    def __init__(self, cfg: ApiSettings) -> None:
        import jwt

        self._jwt = jwt
        self.cfg = cfg
        source = cfg.oidc_jwks or ""
        if source.startswith(("http://", "https://")):
            self._client = jwt.PyJWKClient(source)
            self._keys = None
        else:
            self._client = None
            self._keys = jwt.PyJWKSet.from_dict(json.loads(Path(source).read_text()))

    def authenticate(self, token: str) -> User:
        jwt = self._jwt
        try:
            header = jwt.get_unverified_header(token)
            if self._client:
                key = self._client.get_signing_key_from_jwt(token).key
            else:
                key = next(k.key for k in self._keys.keys if k.key_id == header.get("kid"))
            claims = jwt.decode(token, key, algorithms=["RS256", "ES256"], audience=self.cfg.oidc_audience,
                                issuer=self.cfg.oidc_issuer)
        except (jwt.PyJWTError, StopIteration) as exc:
            raise Unauthorized("Jeton OIDC invalide ou expiré.", code="jeton_invalide") from exc
        role = claims.get("role") or next((r for r in claims.get("roles", []) if r in ROLES), None)
        if role not in ROLES or not claims.get("juridiction"):
            raise Forbidden("Le jeton ne précise pas de rôle ou de juridiction reconnus.", code="interdit")
        return User(claims.get("preferred_username") or claims["sub"], role, claims["juridiction"])


bearer = HTTPBearer(auto_error=False, description="Jeton d'API (assistant-parquet users add) ou JWT OIDC.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(request: Request, root: Root, credentials: HTTPAuthorizationCredentials | None) -> User:
    """The bearer's user (throttled per client on failure); kept on the request for the refusal audit."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Authentification requise (en-tête Authorization: Bearer).", code="non_authentifie")
    client = request.client.host if request.client else "?"
    root.throttle.check(client)
    try:
        token = credentials.credentials.strip()
        user = root.oidc.authenticate(token) if root.oidc else root.tokens.authenticate(token)
    except Unauthorized:
        root.throttle.failed(client)
        raise
    request.state.user = user
    return user


def current_user(request: Request, root: RootDep, credentials: Credentials) -> User:
    return authenticate(request, root, credentials)


CurrentUser = Annotated[User, Depends(current_user)]


@dataclass(frozen=True)
class Tenant:
    """The authenticated user seen through their juridiction: every lookup of case content, every vector-store
    filter and every audit entry of a request goes through here."""

    user: User
    root: Root

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def juridiction(self) -> str:
        return self.user.juridiction

    def require(self, permission: str) -> None:
        self.user.require(permission)

    def key(self, dossier_id: str) -> str:
        """The internal key of the dossier this user calls `dossier_id`."""
        return dossier_key(self.juridiction, dossier_id)

    def owns_key(self, key: str) -> bool:
        return key == self.key(visible_dossier_id(key))

    def dossier(self, dossier_id: str) -> CaseFile:
        """The user's juridiction's dossier of that id; another juridiction's dossier is never even looked at."""
        found = self.root.services.catalog.find_dossier(self.key(dossier_id))
        if found is None or found.juridiction != self.juridiction:
            raise NotFound(f"Dossier « {dossier_id} » introuvable.", param="dossier")
        return found

    def dossiers(self) -> list[CaseFile]:
        return [d for d in self.root.services.catalog.dossiers(self.juridiction) if self.owns_key(d.id)]

    def document(self, document_id: str) -> SourceDocument:
        catalog = self.root.services.catalog
        doc = catalog.document(document_id)
        dossier = catalog.find_dossier(doc.dossier_id) if doc else None
        if doc is None or dossier is None or dossier.juridiction != self.juridiction:
            raise NotFound("Document introuvable.", param="document")
        return doc

    def job(self, job_id: str) -> dict:
        try:
            data = self.root.jobs.get(job_id)
        except NotFound:
            data = None
        if data is None or data["juridiction"] != self.juridiction or not self.owns_key(data["dossier"]):
            raise NotFound("Tâche introuvable.", param="job")
        return data

    def draft(self, draft_id: str):
        """The draft if its recorded owner is the user's juridiction and the very dossier it was made from still
        exists (a dossier re-created under the same id is another dossier)."""
        drafts = self.root.drafts
        try:
            key, juridiction, created = drafts.owner(draft_id)
        except NotFound:
            key = juridiction = created = None
        found = self.root.services.catalog.find_dossier(key) if key and juridiction == self.juridiction else None
        if found is None or found.juridiction != self.juridiction or found.created.isoformat() != created:
            raise NotFound("Projet introuvable.", param="draft")
        return drafts.get(draft_id)

    def proposal(self, proposal_id: str) -> dict:
        """The proposal if its dossier is one of the user's juridiction; the error names nothing of anyone else's."""
        try:
            proposal = self.root.services.orientation.decisions.proposal(proposal_id)
        except NotFound:
            proposal = None
        found = self.root.services.catalog.find_dossier(proposal["dossier"]) if proposal else None
        if found is None or found.juridiction != self.juridiction:
            raise NotFound("Proposition introuvable.", param="proposal")
        return proposal

    def search_filter(self, dossier: CaseFile, cotes: list[str] | None = None) -> SearchFilter:
        """The vector-store filter of a query on one of the user's dossiers: its key and the juridiction."""
        return SearchFilter(dossier_id=dossier.id, juridiction=self.juridiction, cotes=cotes)

    def audit(self, action: str, dossier: str | None = None, **details) -> None:
        self.root.audit.record(self.name, action, dossier, role=self.role, juridiction=self.juridiction, **details)


def current_tenant(user: CurrentUser, root: RootDep) -> Tenant:
    return Tenant(user, root)


TenantDep = Annotated[Tenant, Depends(current_tenant)]
