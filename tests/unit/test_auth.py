from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from api.auth import OidcVerifier, TokenStore
from core.errors import Forbidden, InvalidInput, Unauthorized
from core.settings import ApiSettings


@pytest.fixture
def oidc(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk |= {"kid": "k1", "use": "sig", "alg": "RS256"}
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    cfg = ApiSettings(auth="oidc", oidc_issuer="https://idp.justice.example", oidc_audience="assistant-parquet",
                      oidc_jwks=str(tmp_path / "jwks.json"))

    def token(**claims):
        base = {"iss": "https://idp.justice.example", "aud": "assistant-parquet", "sub": "u1",
                "preferred_username": "mme.substitute", "role": "magistrat", "juridiction": "TJ Paris",
                "exp": int(time.time()) + 600}
        return jwt.encode(base | claims, key, algorithm="RS256", headers={"kid": "k1"})

    return OidcVerifier(cfg), token


def test_oidc_token_maps_claims_to_role_and_juridiction(oidc):
    verifier, token = oidc
    user = verifier.authenticate(token())
    assert (user.name, user.role, user.juridiction) == ("mme.substitute", "magistrat", "TJ Paris")


@pytest.mark.parametrize("claims,error", [({"aud": "autre"}, Unauthorized), ({"iss": "https://pirate.example"}, Unauthorized),
                                          ({"exp": int(time.time()) - 10}, Unauthorized), ({"role": "stagiaire"}, Forbidden)])
def test_oidc_rejects_wrong_audience_issuer_expiry_and_role(oidc, claims, error):
    verifier, token = oidc
    with pytest.raises(error):
        verifier.authenticate(token(**claims))


def test_api_tokens_are_stored_hashed_and_roles_checked(tmp_path):
    store = TokenStore(tmp_path / "u.sqlite")
    tok = store.add("greffe", "greffier", "TJ Paris")
    raw = (tmp_path / "u.sqlite").read_bytes()
    assert tok.encode() not in raw
    user = store.authenticate(tok)
    user.require("upload")
    with pytest.raises(Forbidden):
        user.require("decide")
    with pytest.raises(Unauthorized):
        store.authenticate("map_faux")
    with pytest.raises(InvalidInput):
        store.add("x", "procureur-general", "TJ Paris")
