"""Human renderings (terminal) of proposals: French words only, from the proposal's `display` block."""
from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from orientation.display import display as build_display
from orientation.display import fr_value
from orientation.grid import load_limits


def fr(value, key: str = "") -> str:
    """A fact value as a magistrate reads it: 'oui', '0,86', 'aucune', one line per conviction."""
    return fr_value(key, value)


def orientation_card(p: dict) -> Panel:
    d = p.get("display") or build_display(p, load_limits(), [])
    facts = Table("fait", "valeur", "source", "état", title="Faits extraits (chacun avec sa page)")
    for item in d["facts"]:
        value = item["value"] + (f"\n[yellow]autre valeur : {item['conflicts']}[/]" if item.get("conflicts") else "")
        facts.add_row(item["label"], value, item["sources"], item["status"])
    lines = [f"[bold]Orientation proposée : {d['orientation']}[/] ({d['rule']})",
             f"Réquisitions : {d['requisitions']}",
             f"Qualifications : {' ; '.join(d['charges'])}",
             d["rate"] or "",
             f"Classe du taux : {d['rate_class']} ; récidive légale : {d['legal_recidivism']}",
             f"Motif : {d['motif']}",
             d["mandatory_review"],
             f"{d['grid']} — proposition {p['id']}"]
    lines += [f"⚠ {w}" for w in p["warnings"]]
    lines += [f"∅ {m}" for m in d["missing"]]
    trace = " → ".join(f"{t['rule_id']} {'oui' if t['matched'] else 'non'}" for t in p["trace"])
    return Panel(Group(facts, *[line for line in lines if line], f"Règles examinées : {trace}"),
                 title="Proposition d'orientation")
