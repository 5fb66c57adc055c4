"""Accounts: hashed API tokens (embedded default) or OIDC bearer JWTs; roles and juridiction per user."""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from core.errors import Forbidden, InvalidInput, TooManyRequests, Unauthorized
from core.settings import ApiSettings

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
    429 (without even checking its token) until its oldest failure leaves the window."""

    def __init__(self, max_failures: int, window_s: float) -> None:
        self.max_failures, self.window_s = max_failures, window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        q = self._failures.setdefault(client, deque())
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def check(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            q = self._recent(client, now)
            if len(q) >= self.max_failures:
                wait = max(1, int(self.window_s - (now - q[0])) + 1)
                raise TooManyRequests(f"Trop d'échecs d'authentification : réessayez dans {wait} s.",
                                      code="trop_de_tentatives")
            if not q:
                self._failures.pop(client, None)

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory under a spray from many addresses
                self._failures.pop(next(iter(self._failures)))


class TokenStore:
    """Tokens are shown once at creation and stored only as SHA-256 hashes."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT, juridiction TEXT, "
                           "token_hash TEXT UNIQUE)")
        self._lock = threading.Lock()

    def add(self, name: str, role: str, juridiction: str) -> str:
        if role not in ROLES:
            raise InvalidInput(f"Rôle inconnu « {role} » ({', '.join(sorted(ROLES))}).", param="role")
        token = "map_" + secrets.token_urlsafe(32)
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO users VALUES (?,?,?,?)", (name, role, juridiction, _hash(token)))
        return token

    def authenticate(self, token: str) -> User:
        row = self._conn.execute("SELECT name, role, juridiction FROM users WHERE token_hash=?",
                                 (_hash(token),)).fetchone()
        if not row:
            raise Unauthorized("Jeton invalide.", code="jeton_invalide")
        return User(*row)

    def list(self) -> list[dict]:
        return [{"name": r[0], "role": r[1], "juridiction": r[2]}
                for r in self._conn.execute("SELECT name, role, juridiction FROM users ORDER BY name")]

    def close(self) -> None:
        self._conn.close()


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
