"""Human renderings (terminal) of proposals."""
from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from orientation.engine import FACT_LABELS_FR


def _src(sources: list[dict]) -> str:
    return " ; ".join(f"{s['cote'] or '?'} p.{s['page']} « {s['quote'][:70]} »" for s in sources[:2])


def orientation_card(p: dict) -> Panel:
    facts = Table("fait", "valeur", "source", title="Faits extraits (chacun avec sa page)")
    for key, fact in p["facts"].items():
        if fact["value"] is not None:
            facts.add_row(FACT_LABELS_FR.get(key, key), str(fact["value"]), _src(fact["sources"]))
    o = p["orientation"]
    d = p["derived"]
    lines = [f"[bold]Orientation proposée : {o['code']}[/] (règle {o['rule_id']})",
             f"Réquisitions : {o['requisitions'] or '—'} ; qualifications : {', '.join(o['charges']) or '—'}",
             f"Taux retenu {d['alcohol_air_mg_l_retained']} mg/L → corrigé {d['alcohol_air_mg_l_corrected']} mg/L ; "
             f"classe {d['rate_class']} ; récidive légale : {d['legal_recidivism']}",
             "Contrôle humain obligatoire" if o["mandatory_review"] else "",
             f"Grille {p['grid']['id']} v{p['grid']['version']}" + (" (ILLUSTRATIVE)" if p["grid"]["illustrative"] else "")
             + f" — proposition {p['id']}"]
    lines += [f"⚠ {w}" for w in p["warnings"]]
    lines += [f"∅ {m['label']} : {m['reason']}" for m in p["missing"]]
    trace = " → ".join(f"{t['rule_id']}{'✔' if t['matched'] else '✘'}" for t in p["trace"])
    return Panel(Group(facts, *[line for line in lines if line], f"Trace : {trace}"), title="Proposition d'orientation")
