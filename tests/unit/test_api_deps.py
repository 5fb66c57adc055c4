"""The composition root: components are typed dependencies a test can replace, and the tenant is the one way a
request reaches case content (its juridiction scopes the lookups and the vector-store filter)."""
from __future__ import annotations

import ast
from functools import cached_property
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import TokenStore
from api.deps import get_search
from api.services import Services
from core.ids import dossier_key

ROOT = Path(__file__).resolve().parents[2]


class _RecordingSearch:
    def __init__(self) -> None:
        self.filters = []

    def search(self, query, flt, k):
        self.filters.append(flt)
        return []


def _clients(settings, app):
    tokens = TokenStore(settings.paths.sub("db") / "users.sqlite")
    paris = tokens.add("mme.paris", "magistrat", "TJ Paris")
    creteil = tokens.add("m.creteil", "magistrat", "TJ Créteil")
    tokens.close()
    return ({"Authorization": f"Bearer {paris}"}, {"Authorization": f"Bearer {creteil}"})


def test_every_component_is_declared_in_the_services_class_body():
    """Nothing is attached to the class after its body (invisible to mypy and to a reader)."""
    tree = ast.parse((ROOT / "api" / "services.py").read_text(encoding="utf-8"))
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Services")
    declared = {n.name for n in body.body if isinstance(n, ast.FunctionDef)
                and any(ast.unparse(d) == "cached_property" for d in n.decorator_list)}
    assert set(Services.COMPONENTS) <= declared
    after = [ast.unparse(n) for n in tree.body if not isinstance(n, (ast.ClassDef, ast.Import, ast.ImportFrom,
                                                                       ast.If, ast.Expr))]
    assert after == []
    for name in Services.COMPONENTS:
        assert isinstance(vars(Services).get(name), cached_property), name


def test_services_take_a_fake_by_name_and_refuse_an_unknown_one(fake_settings):
    fake = object()
    assert Services(fake_settings, ingestor=fake).ingestor is fake
    with pytest.raises(TypeError):
        Services(fake_settings, ingestr=fake)


def test_the_tenant_scopes_the_vector_filter_and_a_dependency_override_replaces_the_search(fake_settings):
    recording = _RecordingSearch()
    app = create_app(fake_settings, Services(fake_settings))
    app.dependency_overrides[get_search] = lambda: recording
    paris, creteil = _clients(fake_settings, app)
    with TestClient(app) as client:
        for headers in (paris, creteil):  # the same typed id in two juridictions: two dossiers
            assert client.post("/api/dossiers", json={"id": "D-1"}, headers=headers).status_code == 201
        assert client.post("/api/dossiers/D-1/search", json={"query": "alcoolémie", "cotes": ["D2"]},
                           headers=paris).status_code == 200
        assert client.post("/api/dossiers/NOPE/search", json={"query": "x"}, headers=creteil).status_code == 404
    assert len(recording.filters) == 1  # the unknown dossier never reached the store
    flt = recording.filters[0]
    assert (flt.dossier_id, flt.juridiction, flt.cotes) == (dossier_key("TJ Paris", "D-1"), "TJ Paris", ["D2"])


def test_without_a_token_no_component_is_reached(fake_settings):
    recording = _RecordingSearch()
    app = create_app(fake_settings, Services(fake_settings))
    app.dependency_overrides[get_search] = lambda: recording
    with TestClient(app) as client:
        r = client.post("/api/dossiers/D-1/search", json={"query": "x"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "non_authentifie"
    assert recording.filters == []


def test_each_component_dependency_gives_its_own_component_and_is_overridable_alone():
    from types import SimpleNamespace

    import api.deps as deps

    names = ["catalog", "store", "embedder", "sparse", "ingestor", "search", "drafter"]
    services = SimpleNamespace(**{n: object() for n in names}, orientation=SimpleNamespace(decisions=object()))
    root = SimpleNamespace(settings=object(), services=services, jobs=object(), drafts=object(), audit=object())
    for name in names:
        assert getattr(deps, f"get_{name}")(root) is getattr(services, name), name
    assert deps.get_orientation(root) is services.orientation
    assert deps.get_decisions(root) is services.orientation.decisions
    for name in ("settings", "jobs", "drafts", "audit"):
        assert getattr(deps, f"get_{name}")(root) is getattr(root, name), name
    getters = [v for k, v in vars(deps).items() if k.startswith("get_")]
    assert len(set(map(id, getters))) == len(getters) == 14  # one function each: an override replaces one alone
