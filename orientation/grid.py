"""Policy grid and national limits: versioned YAML files, validated on load, evaluated with a trace."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError

ORIENTATIONS = {"CLASSEMENT", "AVERTISSEMENT_PENAL_PROBATOIRE", "STAGE", "COMPOSITION_PENALE", "ORDONNANCE_PENALE",
                "AMENDE_FORFAITAIRE", "CRPC", "COPJ", "COMPARUTION_IMMEDIATE", "DEFERREMENT",
                "OUVERTURE_INFORMATION", "INFORMATION_MANQUANTE"}
OPERATORS = {"eq", "ne", "lt", "lte", "gt", "gte", "between", "in", "exists", "missing"}


@dataclass
class Grid:
    data: dict
    sha256: str
    path: str

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def version(self) -> str:
        return str(self.data["version"])

    def describe(self) -> dict:
        return {"id": self.id, "version": self.version, "sha256": self.sha256,
                "illustrative": bool(self.data.get("illustrative")), "approved_by": self.data.get("approved_by")}


def _bundled(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def load_grid(path: Path | None = None) -> Grid:
    """Load and validate a grid; the error names the faulty rule and what is wrong with it."""
    path = path or _bundled("orientation.grids", "illustrative.yaml")
    raw = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"Grille {path} : YAML invalide ({exc}).") from exc
    for key in ("id", "version", "rules"):
        if not isinstance(data, dict) or key not in data:
            raise ConfigError(f"Grille {path} : champ obligatoire « {key} » absent.")
    seen: set[str] = set()
    for i, rule in enumerate(data["rules"], start=1):
        rid = rule.get("id") or f"règle n° {i}"
        if rid in seen:
            raise ConfigError(f"Grille {path}, {rid} : identifiant en double.")
        seen.add(rid)
        if "when" not in rule or "then" not in rule:
            raise ConfigError(f"Grille {path}, {rid} : « when » et « then » sont obligatoires.")
        _validate_condition(rule["when"], f"{path}, {rid}")
        code = rule["then"].get("orientation")
        if code not in ORIENTATIONS:
            raise ConfigError(f"Grille {path}, {rid} : orientation inconnue « {code} ».")
    for mod in data.get("modifiers", []) + data.get("warnings", []):
        _validate_condition(mod.get("when"), f"{path}, {mod.get('id')}")
    return Grid(data, hashlib.sha256(raw).hexdigest(), str(path))


def load_limits(path: Path | None = None) -> dict:
    path = path or _bundled("orientation.data", "limits.yaml")
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _validate_condition(cond: Any, where: str) -> None:
    if not isinstance(cond, dict):
        raise ConfigError(f"Grille {where} : condition invalide ({cond!r}).")
    if "always" in cond:
        return
    if "all" in cond or "any" in cond:
        for sub in cond.get("all", cond.get("any")):
            _validate_condition(sub, where)
        return
    if "not" in cond:
        _validate_condition(cond["not"], where)
        return
    if "fact" not in cond or cond.get("op") not in OPERATORS:
        raise ConfigError(f"Grille {where} : condition sans « fact » ou opérateur inconnu ({cond.get('op')!r}).")
    if cond["op"] == "between" and not (isinstance(cond.get("value"), list) and len(cond["value"]) == 2):
        raise ConfigError(f"Grille {where} : « between » attend deux bornes.")


def evaluate(cond: dict, values: dict[str, Any], used: set[str]) -> bool:
    """True when the condition holds; records in `used` every fact it looked at."""
    if "always" in cond:
        return bool(cond["always"])
    if "all" in cond:
        return all(evaluate(c, values, used) for c in cond["all"])
    if "any" in cond:
        return any([evaluate(c, values, used) for c in cond["any"]])
    if "not" in cond:
        return not evaluate(cond["not"], values, used)
    fact, op, expected = cond["fact"], cond["op"], cond.get("value")
    used.add(fact)
    got = values.get(fact)
    if op == "missing":
        return got is None
    if op == "exists":
        return got is not None
    if op == "in":
        return got in expected
    if op == "eq":
        return got == expected
    if op == "ne":
        return got != expected
    if got is None:
        return False
    if op == "between":
        return expected[0] <= got <= expected[1]
    return {"lt": got < expected, "lte": got <= expected, "gt": got > expected, "gte": got >= expected}[op]
