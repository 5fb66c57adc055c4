"""deploy/compose.yaml and deploy/k8s/*.yaml match the code: every MAP_* variable is a real settings field and its
value is accepted by the settings, every URL in a setting names a service of the same deployment, every command
is a real CLI command. A renamed setting, service or command breaks this test."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from pydantic import BaseModel

from core.settings import Settings
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
NOT_SETTINGS = {"MAP_CONFIG"}  # the YAML file's path, read before the settings


def _field(name: str):
    """The settings field a MAP_<SECTION>__<KEY> variable sets, or None."""
    parts = name.removeprefix("MAP_").lower().split("__")
    model: type[BaseModel] = Settings
    info = None
    for part in parts:
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        info = model.model_fields[part]
        model = info.annotation  # type: ignore[assignment]
    return info if not (isinstance(model, type) and issubclass(model, BaseModel)) else None


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _k8s() -> list[dict]:
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def _substitute(value: str) -> str:
    """${VAR:?msg} / ${VAR} of compose replaced by a sample value (never the refused placeholder)."""
    return re.sub(r"\$\{(\w+)[^}]*\}", lambda m: f"sample-{m.group(1).lower()}", str(value))


def _compose_envs() -> dict[str, dict[str, str]]:
    out = {}
    for name, service in _compose()["services"].items():
        env = service.get("environment") or {}
        if isinstance(env, list):
            env = dict(item.split("=", 1) for item in env)
        out[name] = {k: _substitute(v) for k, v in env.items()}
    return out


def _containers(doc: dict) -> list[dict]:
    spec = doc.get("spec", {})
    template = spec.get("template", {}) or spec.get("jobTemplate", {}).get("spec", {}).get("template", {})
    return template.get("spec", {}).get("containers", [])


def _k8s_envs() -> dict[str, dict[str, str]]:
    docs = _k8s()
    maps = {d["metadata"]["name"]: d.get("data") or d.get("stringData") or {} for d in docs
            if d["kind"] in ("ConfigMap", "Secret")}
    out = {}
    for d in docs:
        for c in _containers(d):
            env: dict[str, str] = {}
            for src in c.get("envFrom", []):
                ref = src.get("configMapRef") or src.get("secretRef")
                env.update(maps[ref["name"]])
            for e in c.get("env", []):
                if "value" in e:
                    env[e["name"]] = e["value"]
                else:
                    ref = e["valueFrom"].get("secretKeyRef") or e["valueFrom"].get("configMapKeyRef")
                    env[e["name"]] = maps[ref["name"]][ref["key"]]
            out[f"{d['metadata']['name']}/{c['name']}"] = {k: str(v) for k, v in env.items()}
    return out


def _services_named() -> tuple[set[str], set[str]]:
    compose = set(_compose()["services"])
    k8s = {d["metadata"]["name"] for d in _k8s() if d["kind"] == "Service"}
    return compose, k8s


DEPLOYMENTS = {"compose": _compose_envs, "k8s": _k8s_envs}


@pytest.mark.parametrize("kind", DEPLOYMENTS)
def test_every_map_variable_is_a_real_setting(kind):
    seen = set()
    for where, env in DEPLOYMENTS[kind]().items():
        for name in env:
            if name.startswith("MAP_") and name not in NOT_SETTINGS:
                seen.add(name)
                assert _field(name) is not None, f"{kind} {where}: {name} is not a settings field"
    # the settings the manifests must set for several processes on several machines
    assert {"MAP_STATE__URL", "MAP_QUEUE__BACKEND", "MAP_QUEUE__URL", "MAP_VECTOR_STORE__URL",
            "MAP_EMBEDDING__BASE_URL", "MAP_LLM__BASE_URL", "MAP_AUDIT__HMAC_KEY"} <= seen


@pytest.mark.parametrize("kind", DEPLOYMENTS)
def test_each_application_container_gets_settings_the_code_accepts(kind, monkeypatch):
    apps = {where: env for where, env in DEPLOYMENTS[kind]().items() if any(k.startswith("MAP_") for k in env)}
    assert apps, "no application container found"
    for where, env in apps.items():
        for key in [k for k in __import__("os").environ if k.startswith("MAP_")]:
            monkeypatch.delenv(key)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        settings = Settings()
        assert settings.environment == "production", where
        assert settings.state.url and settings.state.url.startswith("postgresql+psycopg://"), where
        assert settings.vector_store.backend == "qdrant" and settings.embedding.backend == "openai", where
        assert settings.queue.backend == "redis", where


@pytest.mark.parametrize("kind", DEPLOYMENTS)
def test_every_url_in_a_setting_names_a_service_of_the_deployment(kind):
    compose, k8s = _services_named()
    names = compose if kind == "compose" else k8s
    for where, env in DEPLOYMENTS[kind]().items():
        for key, value in env.items():
            if key.startswith("MAP_") and "://" in value and key not in ("MAP_API__OIDC_ISSUER", "MAP_API__OIDC_JWKS"):
                host = urlparse(value).hostname
                assert host in names, f"{kind} {where}: {key} points at {host!r}, not a service ({sorted(names)})"


def _cli_commands() -> set[tuple[str, ...]]:
    from api.cli import app

    def walk(typer_app, prefix=()):
        out = set()
        for cmd in typer_app.registered_commands:
            out.add(prefix + ((cmd.name or cmd.callback.__name__).replace("_", "-"),))
        for group in typer_app.registered_groups:
            out |= walk(group.typer_instance, prefix + (group.name,))
        return out

    return walk(app)


def _commands() -> list[tuple[str, list[str]]]:
    found = [(f"compose {n}", s["command"]) for n, s in _compose()["services"].items()
             if isinstance(s.get("command"), list)]
    for d in _k8s():
        for c in _containers(d):
            found.append((f"k8s {d['metadata']['name']}", list(c.get("command", [])) + list(c.get("args", []))))
    return [(w, c) for w, c in found if c and c[0] == "assistant-parquet"]


def test_every_command_is_a_real_cli_command():
    commands = _cli_commands()
    used = _commands()
    assert {w.split()[0] for w, _ in used} == {"compose", "k8s"}
    for where, argv in used:
        words = tuple(a for a in argv[1:] if not a.startswith("-"))
        assert words[:1] in commands or words[:2] in commands, f"{where}: {' '.join(argv)} is not a CLI command"
    assert any(c[1:2] == ["worker"] for _, c in used) and any(c[1:2] == ["serve"] for _, c in used)


def test_every_secret_reference_and_volume_claim_exists():
    docs = _k8s()
    secrets = {d["metadata"]["name"]: d.get("stringData", {}) for d in docs if d["kind"] == "Secret"}
    claims = {d["metadata"]["name"] for d in docs if d["kind"] == "PersistentVolumeClaim"}
    for d in docs:
        pod = d.get("spec", {}).get("template", {}).get("spec", {})
        for v in pod.get("volumes", []):
            if "persistentVolumeClaim" in v:
                assert v["persistentVolumeClaim"]["claimName"] in claims, d["metadata"]["name"]
        for c in pod.get("containers", []):
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["key"] in secrets[ref["name"]], (d["metadata"]["name"], ref)
    assert all(d["metadata"].get("namespace") == "assistant-parquet" for d in docs if d["kind"] != "Namespace")


def test_the_workers_share_no_data_volume_with_the_api_when_the_files_are_in_the_database():
    k8s = _k8s_envs()
    assert k8s["worker/worker"]["MAP_BLOBS__BACKEND"] == "database"
    (worker,) = [d for d in _k8s() if d["kind"] == "Deployment" and d["metadata"]["name"] == "worker"]
    pod = worker["spec"]["template"]["spec"]
    data_dir = k8s["worker/worker"]["MAP_PATHS__DATA_DIR"]
    (mount,) = [m for m in pod["containers"][0]["volumeMounts"] if m["mountPath"] == data_dir]
    (volume,) = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert "emptyDir" in volume  # a cache of the pod's own, no claim shared with the API
    compose = _compose()["services"]["worker"]
    assert _compose_envs()["worker"]["MAP_BLOBS__BACKEND"] == "database"
    assert not any(v.split(":")[0] == "data" for v in compose["volumes"])


def test_the_field_lookup_refuses_what_is_not_a_setting():
    assert _field("MAP_EMBEDDING__BASE_URL") is not None and _field("MAP_ENVIRONMENT") is not None
    assert _field("MAP_EMBEDDING__BASEURL") is None and _field("MAP_EMBEDDING") is None
    assert _field("MAP_NOPE__URL") is None and _field("MAP_EMBEDDING__BASE_URL__X") is None


def test_the_deploy_files_are_where_the_readme_says(tmp_path):
    assert (DEPLOY / "RUNBOOK.md").is_file() and Path(DEPLOY / "README.md").is_file()
