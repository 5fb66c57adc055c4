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


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n <= 1 else (plural or singular + 's')}"


def ingestion_summary(report) -> list[str]:
    """An ingestion report as a magistrate reads it: one line of counts (files, pages, OCR pages, passages),
    then one line per failed file with its reason and per warning, naming the piece by cote and file."""
    t = report.totals()
    parts = [_count(t["stored"] - t["unchanged"], "enregistré")]
    if t["unchanged"]:
        parts.append(f"{_count(t['unchanged'], 'déjà présent')} à l'identique")
    if t["failed"]:
        parts.append(f"{t['failed']} en échec")
    if t["cancelled"]:
        parts.append(_count(t["cancelled"], "annulé"))
    ocr = f", dont {t['ocr_pages']} lue{'s' if t['ocr_pages'] > 1 else ''} par OCR" if t["ocr_pages"] else \
        ", aucune lue par OCR"
    lines = [f"{_count(t['files'], 'fichier')} : {', '.join(parts)} ; {_count(t['pages'], 'page')}{ocr} ; "
             f"{_count(t['chunks'], 'extrait')} indexé{'s' if t['chunks'] > 1 else ''}."]
    for d in report.documents:
        piece = f"{d.cote} (« {d.file} »)" if d.cote else f"« {d.file} »"
        if d.status == "failed":
            lines.append(f"Échec — {piece} : {d.error or 'le fichier n’a pas pu être lu.'}")
        lines += [f"Avertissement — {piece} : {w}" for w in d.warnings]
    if len(lines) == 1:
        lines.append("Aucun avertissement.")
    return lines
