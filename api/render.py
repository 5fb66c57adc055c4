"""Human renderings (terminal) of proposals."""
from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from orientation.engine import FACT_LABELS_FR

_WORDS = {True: "oui", False: "non", "valid": "valide", "suspended": "suspendu", "annulled": "annulé",
          "never_held": "jamais obtenu"}


def fr(value) -> str:
    """A fact value as a magistrate reads it: 'oui', '0,86', 'aucune', one line per conviction."""
    if isinstance(value, bool | str) and value in _WORDS:
        return _WORDS[value]
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, list):
        if not value:
            return "aucune"
        return " ; ".join(f"{v.get('offence')} ({v.get('court')}, définitive le {v.get('final_date')})"
                          if isinstance(v, dict) else fr(v) for v in value)
    return "—" if value is None else str(value)


def _src(sources: list[dict]) -> str:
    return " ; ".join(f"{s['cote'] or '?'} p.{s['page']} « {s['quote'][:70]} »" for s in sources[:2])


def orientation_card(p: dict) -> Panel:
    facts = Table("fait", "valeur", "source", title="Faits extraits (chacun avec sa page)")
    for key, fact in p["facts"].items():
        if fact["value"] is not None:
            facts.add_row(FACT_LABELS_FR.get(key, key), fr(fact["value"]), _src(fact["sources"]))
    o = p["orientation"]
    d = p["derived"]
    lines = [f"[bold]Orientation proposée : {o['code']}[/] (règle {o['rule_id']})",
             f"Réquisitions : {', '.join(f'{k} = {fr(v)}' for k, v in o['requisitions'].items()) or '—'} ; "
             f"qualifications : {', '.join(o['charges']) or '—'}",
             f"Taux retenu {fr(d['alcohol_air_mg_l_retained'])} mg/L → corrigé {fr(d['alcohol_air_mg_l_corrected'])} "
             f"mg/L ; classe {fr(d['rate_class'])} ; récidive légale : {fr(d['legal_recidivism'])}",
             "Contrôle humain obligatoire" if o["mandatory_review"] else "",
             f"Grille {p['grid']['id']} v{p['grid']['version']}" + (" (ILLUSTRATIVE)" if p["grid"]["illustrative"] else "")
             + f" — proposition {p['id']}"]
    lines += [f"⚠ {w}" for w in p["warnings"]]
    lines += [f"∅ {m['label']} : {m['reason']}" for m in p["missing"]]
    trace = " → ".join(f"{t['rule_id']}{'✔' if t['matched'] else '✘'}" for t in p["trace"])
    return Panel(Group(facts, *[line for line in lines if line], f"Trace : {trace}"), title="Proposition d'orientation")
