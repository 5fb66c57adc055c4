"""Apply the grid (first match wins), then modifiers, then national hard constraints: a traced proposal."""
from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from orientation.derive import derive
from orientation.display import FACT_LABELS_FR, display, fr_value, pieces_text
from orientation.extract import EXTRACTOR_VERSION, FACT_KEYS, Fact
from orientation.grid import Grid, evaluate

# Facts whose absence matters to the magistrate (a missing offence flag simply means "not reported").
EXPECTED_FACTS = ["licence_status", "no_insurance", "prior_convictions", "facts_date"]


def check_constraints(code: str, req: dict, charges: list[str], values: dict, limits: dict) -> list[dict]:
    """National hard constraints a local grid cannot override, each reported with its article."""
    cons, off = limits["constraints"], limits["offences"]
    maxima = [off[c] for c in charges if c in off]
    max_fine = max((m["fine_eur"] for m in maxima), default=None)
    max_prison = max((m["prison_months"] for m in maxima), default=None)
    out: list[dict] = []

    def add(cid: str, article: str, ok: bool, detail: str) -> None:
        out.append({"id": cid, "article": article, "ok": ok, "detail": detail})

    if code == "ORDONNANCE_PENALE":
        c = cons["ordonnance_penale"]
        add("op-victime", c["article"], not values.get("victim_itt_days"), "Pas de victime blessée.")
        add("op-mineur", c["article"], not values.get("minor"), "Le mis en cause n'est pas mineur.")
        fine = req.get("fine_eur", 0)
        cap = min(c["max_fine_eur"], c["max_fine_share"] * max_fine) if max_fine else c["max_fine_eur"]
        add("op-amende", c["article"], fine <= cap, f"Amende requise {fine} € ≤ plafond {cap:.0f} €.")
    if code == "CRPC":
        c = cons["crpc"]
        prison = req.get("prison_months", 0)
        cap = min(c["max_prison_months"], c["max_prison_share"] * max_prison) if max_prison else c["max_prison_months"]
        add("crpc-prison", c["article"], prison <= cap, f"Emprisonnement requis {prison} mois ≤ {cap:.0f} mois.")
    if code == "COMPOSITION_PENALE":
        c = cons["composition_penale"]
        months = req.get("licence_surrender_months", 0)
        add("cp-permis", c["article"], months <= c["max_licence_surrender_months"],
            f"Remise du permis {months} mois ≤ {c['max_licence_surrender_months']} mois.")
    if code == "AVERTISSEMENT_PENAL_PROBATOIRE":
        add("app-antecedents", cons["avertissement_penal_probatoire"]["article"],
            not values.get("prior_convictions_count"), "Aucune condamnation antérieure.")
    if code == "COMPARUTION_IMMEDIATE":
        c = cons["comparution_immediate"]
        add("ci-peine", c["article"], (max_prison or 0) >= c["min_max_prison_months_flagrant"],
            f"Peine encourue {max_prison or 0} mois ≥ {c['min_max_prison_months_flagrant']} mois (flagrance).")
        add("ci-mineur", "397-6 CPP", not values.get("minor"), "Le mis en cause n'est pas mineur.")
    return out


def fact_warnings(facts: dict[str, Fact | None], limits: dict) -> list[str]:
    """Disagreeing pages and uncertain candidates, each with its value and its page: never resolved silently."""
    out = []
    offences = limits.get("offences", {})
    for key, f in facts.items():
        if f is None:
            continue
        label = FACT_LABELS_FR.get(key, key)
        where = ", ".join(f"{s.cote or 'pièce sans cote'} p.{s.page}" for s in f.sources)
        if f.conflicts:
            others = " ; ".join(f"{fr_value(key, c['value'], offences)} ("
                                f"{', '.join(str(s.cote or 'pièce sans cote') + ' p.' + str(s.page) for s in c['sources'])})"
                                for c in f.conflicts)
            out.append(f"Pièces en désaccord sur « {label} » : {fr_value(key, f.value, offences)} ({where}) ; "
                       f"{others}. Valeur utilisée : {fr_value(key, f.value, offences)} ({where}) — à vérifier.")
        if f.uncertain:
            out.append(f"« {label} » à vérifier : candidat {fr_value(key, f.value, offences)} lu en {where}"
                       + (f" ({f.note})" if f.note else "") + ".")
        elif f.note:
            out.append(f"« {label} » : {f.note}")
    return out


def propose(facts: dict[str, Fact | None], grid: Grid, limits: dict, document_hashes: list[str],
            pieces: list[str] | None = None) -> dict[str, Any]:
    """The full proposal: facts with sources, derived values, orientation, trace, warnings, constraints, and the
    French `display` block. `pieces` are the cotes read (named when a fact is missing)."""
    derived, warnings = derive(facts, limits)
    warnings = fact_warnings(facts, limits) + warnings
    values = {k: (f.value if f else None) for k, f in facts.items()} | derived
    sources = {k: [s.to_dict() for s in f.sources] for k, f in facts.items() if f}
    trace: list[dict] = []
    chosen = None
    for rule in grid.data["rules"]:
        used: set[str] = set()
        matched = evaluate(rule["when"], values, used)
        trace.append({"rule_id": rule["id"], "description": rule.get("description", ""), "matched": matched,
                      "facts": {k: {"value": values.get(k), "sources": sources.get(k, [])} for k in sorted(used)}})
        if matched:
            chosen = rule
            break
    then = copy.deepcopy(chosen["then"]) if chosen else {"orientation": "INFORMATION_MANQUANTE"}
    code = then["orientation"]
    requisitions = dict(then.get("requisitions", {}))
    charges = list(then.get("charges", []))
    read = pieces_text(pieces or [])
    missing = [{"fact": k, "label": FACT_LABELS_FR[k], "reason": f"non trouvé dans le dossier (pièces lues : {read})"}
               for k in EXPECTED_FACTS if facts.get(k) is None]
    if code == "INFORMATION_MANQUANTE" and then.get("missing_message"):
        missing.insert(0, {"fact": "alcohol_measure", "label": "mesure d'alcoolémie", "reason": then["missing_message"]})
    for mod in grid.data.get("modifiers", []):
        used = set()
        if evaluate(mod["when"], values, used):
            charges += [c for c in mod.get("add_charges", []) if c not in charges]
            if mod.get("add_fine_eur") and code not in ("CLASSEMENT", "INFORMATION_MANQUANTE"):
                requisitions["fine_eur"] = requisitions.get("fine_eur", 0) + mod["add_fine_eur"]
            esc = mod.get("escalate")
            if esc and code in esc["from"]:
                trace.append({"rule_id": mod["id"], "description": f"Modificateur : {code} → {esc['to']}",
                              "matched": True, "facts": {k: {"value": values.get(k), "sources": sources.get(k, [])}
                                                         for k in sorted(used)}})
                code = esc["to"]
            else:
                trace.append({"rule_id": mod["id"], "description": "Modificateur appliqué", "matched": True,
                              "facts": {k: {"value": values.get(k), "sources": sources.get(k, [])}
                                        for k in sorted(used)}})
    for w in grid.data.get("warnings", []):
        if evaluate(w["when"], values, set()):
            warnings.append(w["message"])
    constraints = check_constraints(code, requisitions, charges, values, limits)
    mandatory_review = bool(then.get("mandatory_review")) or any(not c["ok"] for c in constraints)
    for c in constraints:
        if not c["ok"]:
            warnings.append(f"Contrainte légale non respectée ({c['article']}) : {c['detail']}")
    if values.get("legal_recidivism"):
        mandatory_review = True
    proposal = {
        "facts": {k: (facts[k].to_dict() if facts.get(k) else {"value": None, "sources": []}) for k in FACT_KEYS},
        "derived": derived,
        "orientation": {"code": code, "requisitions": requisitions, "charges": charges,
                        "rule_id": chosen["id"] if chosen else None, "motif": then.get("motif"),
                        "mandatory_review": mandatory_review},
        "trace": trace, "missing": missing, "warnings": warnings, "constraints": constraints,
        "grid": {"id": grid.id, "version": grid.version, "sha256": grid.sha256,
                 "illustrative": bool(grid.data.get("illustrative"))},
        "extractor": EXTRACTOR_VERSION, "limits_version": limits.get("version"),
        "documents": sorted(document_hashes),
    }
    proposal["id"] = hashlib.sha256(json.dumps(proposal, sort_keys=True, default=str).encode()).hexdigest()[:16]
    proposal["display"] = display(proposal, limits, pieces or [])
    return proposal
