"""Optional LLM help for facts the rules did not find. Never decides: a proposal is kept only if its quote is
found on a page of the file (which gives its source), it never overrides a rule-found value, and every
disagreement with the rules is reported as a conflict for the magistrate."""
from __future__ import annotations

import json
from typing import Any

from core.errors import AppError
from core.protocols import ChatModel
from core.text import normalize_for_match
from orientation.extract import Fact, PageView, Source
from prompts import load_prompt

SCALAR_FACTS = {
    "alcohol_blood_g_l": {"type": ["number", "null"]},
    "drugs_positive": {"type": ["boolean", "null"]},
    "licence_status": {"type": ["string", "null"], "enum": ["valid", "suspended", "annulled", "invalidated", "never_held", None]},
    "no_insurance": {"type": ["boolean", "null"]},
    "hit_and_run": {"type": ["boolean", "null"]},
    "refusal_to_comply": {"type": ["boolean", "null"]},
    "refusal_of_test": {"type": ["boolean", "null"]},
    "victim_itt_days": {"type": ["integer", "null"]},
    "speed_kmh": {"type": ["integer", "null"]},
}
PROMPT = "extraire_faits_routiers"


def schema() -> dict[str, Any]:
    item = {key: {"type": "object", "properties": {"value": spec, "quote": {"type": ["string", "null"],
                                                                             "maxLength": 300}},
                  "required": ["value", "quote"], "additionalProperties": False}
            for key, spec in SCALAR_FACTS.items()}
    return {"type": "object", "properties": item, "required": list(item), "additionalProperties": False}


def _locate(quote: str, views: list[PageView]) -> PageView | None:
    needle = normalize_for_match(quote)
    if len(needle) < 8:
        return None
    return next((v for v in views if needle in normalize_for_match(v.flat)), None)


def propose_missing(llm: ChatModel, views: list[PageView], facts: dict[str, Fact | None],
                    max_chars: int = 12_000) -> tuple[dict[str, Fact], list[str]]:
    """Facts the LLM found (sourced by their verified quote) and the warnings (conflicts, rejections)."""
    text = "\n\n".join(f"[{v.cote} p.{v.number}] {v.flat}" for v in views)[:max_chars]
    try:
        raw = llm.complete(*load_prompt(PROMPT).render(pages=text), json_schema=schema())
        data = json.loads(raw)
    except AppError as exc:  # its message is French (« Réponse du modèle de langage incomplète : trop longue… »)
        return {}, [f"Extraction assistée indisponible ({exc.message.rstrip('.')}) : seules les règles ont été "
                    "appliquées."]
    except json.JSONDecodeError:
        return {}, ["Extraction assistée indisponible (réponse du modèle de langage illisible ou incomplète) : "
                    "seules les règles ont été appliquées."]
    added: dict[str, Fact] = {}
    warnings: list[str] = []
    for key in SCALAR_FACTS:
        entry = data.get(key) if isinstance(data, dict) else None
        if not isinstance(entry, dict) or entry.get("value") is None:
            continue
        value, quote = entry["value"], entry.get("quote") or ""
        rule = facts.get(key)
        if rule is not None:
            if rule.value != value:
                warnings.append(f"Conflit sur « {key} » : les règles lisent {rule.value!r}, le modèle propose "
                                f"{value!r} — valeur des règles conservée, à vérifier.")
            continue
        view = _locate(quote, views)
        if view is None:
            warnings.append(f"Proposition du modèle pour « {key} » écartée : citation introuvable dans le dossier.")
            continue
        added[key] = Fact(value, [Source(view.cote, view.number, quote, view.doc.id, view.page.number)])
        warnings.append(f"« {key} » proposé par le modèle (citation vérifiée, {view.cote} p.{view.number}) : "
                        "à confirmer par le magistrat.")
    return added, warnings
