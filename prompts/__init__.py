"""Prompt files (YAML + Jinja2, French, versioned); a missing variable is an error."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import jinja2
import yaml

from core.errors import ConfigError

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass
class Prompt:
    name: str
    version: str
    description: str
    system: str
    user: str

    def render(self, **variables) -> tuple[str, str]:
        try:
            return _ENV.from_string(self.system).render(**variables), _ENV.from_string(self.user).render(**variables)
        except jinja2.UndefinedError as exc:
            raise ConfigError(f"Prompt {self.name} : variable manquante ({exc.message}).") from exc


def load_prompt(name: str) -> Prompt:
    path = resources.files("prompts").joinpath(f"{name}.yaml")
    if not path.is_file():
        raise ConfigError(f"Prompt inconnu : {name}.")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("version", "description", "system", "user"):
        if key not in data:
            raise ConfigError(f"Prompt {name} : champ « {key} » absent.")
    return Prompt(name, str(data["version"]), data["description"], data["system"], data["user"])
