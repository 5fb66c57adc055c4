"""French display strings of a proposal, for the CLI card, the API and the web page: never a raw code, never null,
never JSON in front of a magistrate (« Ordonnance pénale », « Amende : 500 € ; suspension du permis : 6 mois »)."""
from __future__ import annotations

from typing import Any

ORIENTATION_LABELS = {
    "CLASSEMENT": "Classement sans suite", "AVERTISSEMENT_PENAL_PROBATOIRE": "Avertissement pénal probatoire",
    "STAGE": "Stage de sensibilisation à la sécurité routière", "COMPOSITION_PENALE": "Composition pénale",
    "ORDONNANCE_PENALE": "Ordonnance pénale", "AMENDE_FORFAITAIRE": "Amende forfaitaire",
    "CRPC": "Comparution sur reconnaissance préalable de culpabilité (CRPC)",
    "COPJ": "Convocation par officier de police judiciaire (COPJ)",
    "COMPARUTION_IMMEDIATE": "Comparution immédiate", "DEFERREMENT": "Déferrement",
    "OUVERTURE_INFORMATION": "Ouverture d'une information judiciaire",
    "INFORMATION_MANQUANTE": "Information manquante : orientation impossible en l'état",
}
RATE_CLASS_LABELS = {"NONE": "sous le seuil contraventionnel (pas d'infraction d'alcoolémie)",
                     "C4": "contravention de 4e classe", "DELIT": "délit"}
LICENCE_LABELS = {"valid": "valide", "suspended": "suspendu", "annulled": "annulé",
                  "invalidated": "invalidé (solde de points nul)", "never_held": "jamais obtenu"}
FACT_LABELS_FR = {
    "alcohol_air_mg_l_readings": "mesures de l'éthylomètre (mg/L d'air)", "alcohol_blood_g_l": "alcoolémie sanguine (g/L)",
    "drugs_positive": "stupéfiants", "drugs_substances": "substances détectées",
    "licence_status": "situation du permis", "probationary_licence": "permis probatoire",
    "no_insurance": "défaut d'assurance", "hit_and_run": "délit de fuite", "refusal_to_comply": "refus d'obtempérer",
    "refusal_of_test": "refus des vérifications (alcool, stupéfiants)", "speed_kmh": "vitesse retenue",
    "speed_limit_kmh": "vitesse autorisée", "victim_itt_days": "ITT de la victime",
    "accident_material_damage": "dégâts matériels", "alcohol_screening_negative": "dépistage d'alcoolémie négatif",
    "prior_convictions": "condamnations (B1)", "legal_recidivism": "récidive légale (énoncée par la procédure)",
    "facts_date": "date des faits", "minor": "minorité du mis en cause",
}
UNITS = {"speed_kmh": "km/h", "speed_limit_kmh": "km/h", "victim_itt_days": "jours", "alcohol_blood_g_l": "g/L"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def number(x: float) -> str:
    return (f"{x:.3f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)).replace(".", ",")


def fr_date(iso: str | None) -> str:
    if not iso:
        return "date non renseignée"
    try:
        y, m, d = (int(p) for p in iso.split("-"))
    except ValueError:
        return iso
    return f"{'1er' if d == 1 else d} {MONTHS[m - 1]} {y}"


def prior_text(p: dict, offences: dict | None = None) -> str:
    code = p.get("offence") or "infraction non précisée"
    label = (offences or {}).get(code, {}).get("label")
    words = p.get("offence_text")  # the entry's own words, shown before the grid's label
    if words:
        parts = [f"{words} ({p['offence']})" if p.get("offence") else words]
    else:
        parts = [f"{label} ({code})" if label else code]
    if p.get("decision"):
        parts.append(p["decision"])
    if p.get("court"):
        parts.append(p["court"])
    if p.get("date"):
        parts.append(f"jugée le {fr_date(p['date'])}")
    if p.get("penalty"):
        parts.append(f"peine : {p['penalty']}")
    parts.append(f"définitive le {fr_date(p['final_date'])}" if p.get("final_date") else
                 "date du caractère définitif non renseignée")
    return ", ".join(parts)


def fr_value(key: str, value: Any, offences: dict | None = None) -> str:
    """A fact value as a magistrate reads it: 'oui', '0,43 puis 0,42 mg/L', 'invalidé (solde de points nul)'."""
    if value is None:
        return "non trouvé dans le dossier"
    if key == "alcohol_air_mg_l_readings":
        return " puis ".join(number(v) for v in value) + " mg/L d'air expiré"
    if key == "licence_status":
        return LICENCE_LABELS.get(value, str(value))
    if key == "facts_date":
        return fr_date(value)
    if key == "prior_convictions":
        return "aucune condamnation (B1 néant)" if not value else " ; ".join(prior_text(p, offences) for p in value)
    if key == "drugs_positive":
        return "positif" if value else "négatif"
    if key == "drugs_substances":
        return ", ".join(value) if value else "aucune nommée"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if key in UNITS:
        return f"{number(value)} {UNITS[key]}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return number(value) if isinstance(value, float) else str(value)


def _src(sources: list[dict]) -> str:
    return " ; ".join(f"{s.get('cote') or 'pièce sans cote'} p.{s.get('page')}" for s in sources)


def requisitions_text(req: dict) -> str:
    parts = []
    if req.get("fine_eur"):
        parts.append(f"Amende : {req['fine_eur']} €")
    if req.get("prison_months"):
        parts.append(f"emprisonnement : {req['prison_months']} mois" +
                     (" avec sursis" if req.get("prison_suspended") else "") +
                     (" avec sursis probatoire" if req.get("probation") else ""))
    if req.get("suspension_months"):
        parts.append(f"suspension du permis : {req['suspension_months']} mois")
    if req.get("licence_surrender_months"):
        parts.append(f"remise du permis : {req['licence_surrender_months']} mois")
    if req.get("licence_annulment"):
        parts.append("annulation du permis de conduire")
    if req.get("vehicle_confiscation"):
        parts.append("confiscation du véhicule")
    if req.get("stage"):
        parts.append("stage de sensibilisation à la sécurité routière")
    known = {"fine_eur", "prison_months", "prison_suspended", "probation", "suspension_months",
             "licence_surrender_months", "licence_annulment", "vehicle_confiscation", "stage"}
    parts += [f"{k.replace('_', ' ')} : {v}" for k, v in req.items() if k not in known]
    if not parts:
        return "aucune réquisition chiffrée"
    text = " ; ".join(parts)
    return text[0].upper() + text[1:]


def pieces_text(cotes: list[str]) -> str:
    """'D1–D5' for a contiguous run, otherwise 'D1, D3, D7'."""
    if not cotes:
        return "aucune pièce lisible"
    nums = [int(c[1:]) for c in cotes if c and c[0] == "D" and c[1:].isdigit()]
    if len(nums) == len(cotes) and len(nums) > 2 and nums == list(range(nums[0], nums[0] + len(nums))):
        return f"D{nums[0]}–D{nums[-1]}"
    return ", ".join(cotes)


def display(proposal: dict, limits: dict, pieces: list[str]) -> dict:
    """The `display` block: every string the magistrate sees, in French."""
    o, d = proposal["orientation"], proposal["derived"]
    offences = limits.get("offences", {})
    read = pieces_text(pieces)
    facts = []
    for key, fact in proposal["facts"].items():
        if fact["value"] is None:
            continue
        item = {"key": key, "label": FACT_LABELS_FR.get(key, key), "value": fr_value(key, fact["value"], offences),
                "sources": _src(fact["sources"]), "status": "à vérifier" if fact.get("uncertain") or
                fact.get("conflicts") else "lu dans le dossier"}
        if fact.get("conflicts"):
            item["conflicts"] = " ; ".join(f"{fr_value(key, c['value'], offences)} ({_src(c['sources'])})"
                                           for c in fact["conflicts"])
        facts.append(item)
    rate = None
    if d.get("alcohol_air_mg_l_retained") is not None:
        rate = (f"Taux retenu : {number(d['alcohol_air_mg_l_retained'])} mg/L (mesure la plus basse) ; après marge "
                f"d'erreur : {number(d['alcohol_air_mg_l_corrected'])} mg/L")
    elif proposal["facts"]["alcohol_blood_g_l"]["value"] is not None:
        rate = f"Alcoolémie sanguine : {number(proposal['facts']['alcohol_blood_g_l']['value'])} g/L de sang"
    rc = d.get("rate_class")
    rec = d.get("legal_recidivism")
    return {
        "orientation": ORIENTATION_LABELS.get(o["code"], o["code"].replace("_", " ").capitalize()),
        "requisitions": requisitions_text(o["requisitions"]),
        "charges": [f"{c} — {offences[c]['label']}" if c in offences else c for c in o["charges"]] or
        ["aucune qualification retenue"],
        "rate": rate,
        "rate_class": RATE_CLASS_LABELS.get(rc, "aucune mesure d'alcoolémie au dossier") if rc else
        "aucune mesure d'alcoolémie au dossier",
        "legal_recidivism": {True: "oui", False: "non"}.get(rec, "non déterminée (B1 ou date des faits absents)"),
        "motif": o.get("motif") or "aucun motif particulier",
        "mandatory_review": "Contrôle humain obligatoire : oui" if o["mandatory_review"] else
        "Contrôle humain obligatoire : non",
        "rule": f"Règle appliquée : {o['rule_id']}" if o.get("rule_id") else "Aucune règle de la grille ne s'applique",
        "facts": facts,
        "missing": [f"{m['label']} : {m['reason']}" for m in proposal["missing"]],
        "pieces_read": read,
        "grid": f"Grille {proposal['grid']['id']} v{proposal['grid']['version']}" +
                (" (ILLUSTRATIVE — aucune politique pénale réelle)" if proposal["grid"]["illustrative"] else ""),
    }
