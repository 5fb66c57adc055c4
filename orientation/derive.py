"""Derived facts computed by code only: retained and corrected rate, rate class, legal recidivism."""
from __future__ import annotations

from datetime import date
from typing import Any

from orientation.extract import Fact


def corrected_air(retained: float, limits: dict) -> float:
    """Apply the breathalyser margin of error (bands read from the limits file) to the lower reading."""
    for band in limits["alcohol"]["breathalyser_margin"]["bands"]:
        if retained < band["below"]:
            value = retained - band["subtract"] if "subtract" in band else retained * band["multiply"]
            return round(max(0.0, value), 3)
    raise ValueError(retained)


def rate_class(air: float | None, blood: float | None, probationary: bool, screening_negative: bool,
               limits: dict) -> str | None:
    """NONE / C4 / DELIT from the corrected air rate, else the blood rate; None when nothing was measured."""
    if air is not None:
        scale, value = limits["alcohol"]["air_mg_l"], air
    elif blood is not None:
        scale, value = limits["alcohol"]["blood_g_l"], blood
    else:
        return "NONE" if screening_negative else None
    if value >= scale["delit"]["value"]:
        return "DELIT"
    c4 = scale["contravention_probationary" if probationary else "contravention"]["value"]
    return "C4" if value >= c4 else "NONE"


def current_offences(val: dict[str, Any], limits: dict) -> set[str]:
    """The road-traffic délits the facts of this file point to (empty when none can be told)."""
    out = set()
    readings = val.get("alcohol_air_mg_l_readings") or []
    air = corrected_air(min(readings), limits) if readings else None
    blood = val.get("alcohol_blood_g_l")
    if (air is not None and air >= limits["alcohol"]["air_mg_l"]["delit"]["value"]) or \
            (blood is not None and blood >= limits["alcohol"]["blood_g_l"]["delit"]["value"]):
        out.add("L234-1")
    if val.get("drugs_positive"):
        out.add("L235-1")
    out |= {"never_held": {"L221-2"}, "suspended": {"L224-16"}, "annulled": {"L224-16"},
            "invalidated": {"L223-5"}}.get(val.get("licence_status") or "", set())
    if val.get("refusal_of_test"):
        out.add("L234-8")
    if val.get("refusal_to_comply"):
        out.add("L233-1")
    if val.get("hit_and_run"):
        out.add("434-10")
    if val.get("no_insurance"):
        out.add("L324-2")
    speed, limit = val.get("speed_kmh"), val.get("speed_limit_kmh")
    if speed and limit and speed - limit >= 50:
        out.add("L413-1")
    return out


def _code(offence: Any) -> str:
    """'L234-1' / 'l.234-1' / '434-10 CP' -> 'L234-1' / '434-10' (the article alone, as current_offences gives it)."""
    return str(offence or "").upper().replace(".", "").replace(" CP", "").replace(" CSP", "").strip()


def _not_a_first_term(prior: dict) -> str | None:
    """Why a B1 entry cannot be the first term of a recidivism of délit: a composition pénale is not a conviction
    (41-2 CPP), a contravention (tribunal de police, an R article) is not a délit (132-10 CP)."""
    text = " ".join(str(prior.get(k) or "") for k in ("court", "offence", "offence_text", "penalty", "decision")).lower()
    if "composition p" in text:
        return "composition pénale"
    if "tribunal de police" in text or _code(prior.get("offence")).startswith("R"):
        return "contravention"
    return None


def recidivism_from_record(val: dict[str, Any], limits: dict) -> tuple[bool | None, list[str]]:
    """Legal recidivism (132-10, 132-16-2 CP) computed from the B1 entries: a délit of the same or an assimilated
    kind, definitive before the new facts, within 5 years. The end of the sentence is rarely on the B1, so the
    window is counted from the date the conviction became final: inside it the recidivism is certain (a sentence
    ends on or after that date), beyond it it is only possible (« à vérifier »), never a silent « non ».
    None = cannot be told from the record (no record, no facts date, offence of this file unknown, dates missing)."""
    priors = val.get("prior_convictions")
    if priors is None:
        return None, []
    if priors == []:
        return False, []  # an empty record: no first term of a recidivism
    if not val.get("facts_date"):
        return None, ["Date des faits introuvable : la récidive légale n'a pas pu être calculée."]
    rec = limits["recidivism"]
    facts_day = date.fromisoformat(val["facts_date"])
    current = current_offences(val, limits)
    if not current:
        return None, ["Infraction poursuivie non identifiée dans le dossier : la récidive légale n'a pas pu être "
                      "calculée depuis le B1 — à vérifier."]
    assimilated = set(rec["assimilated"])
    sure, possible, undated = [], [], []
    for p in priors:
        code = _code(p.get("offence"))
        if not (code in current or (code in assimilated and current & assimilated)) or _not_a_first_term(p):
            continue
        if not p.get("final_date"):
            undated.append(p)
            continue
        final = date.fromisoformat(p["final_date"])
        if final > facts_day:
            continue  # not yet definitive when the new facts were committed
        (sure if (facts_day - final).days <= rec["years"] * 365.25 else possible).append(p)
    warnings = []
    if sure:
        warnings.append("Récidive légale calculée depuis le B1 à partir de la date à laquelle la condamnation est "
                        "devenue définitive (date de fin de peine non renseignée) : approximation — "
                        "vérification humaine obligatoire.")
        return True, warnings
    if possible or undated:
        p = (possible or undated)[0]
        when = f"devenue définitive le {p['final_date']}" if p.get("final_date") else "sans date de caractère définitif"
        warnings.append(f"Récidive légale possible : condamnation antérieure pour la même infraction ou une infraction "
                        f"assimilée ({p.get('offence')}, {when}) ; le délai de 5 ans court de la fin de la peine, que "
                        "le B1 ne donne pas — à vérifier.")
        return None, warnings
    if priors:
        warnings.append("Récidive légale calculée depuis le B1 : aucune condamnation définitive pour la même "
                        "infraction ou une infraction assimilée dans les 5 ans — vérification humaine obligatoire.")
    return False, warnings


def derive(facts: dict[str, Fact | None], limits: dict) -> tuple[dict[str, Any], list[str]]:
    """Derived values and the warnings they raise (margin zone, recidivism to check by a human)."""
    val = {k: (f.value if f else None) for k, f in facts.items()}
    warnings: list[str] = []
    readings = val["alcohol_air_mg_l_readings"] or []
    retained = min(readings) if readings else None
    corrected = corrected_air(retained, limits) if retained is not None else None
    probationary = bool(val["probationary_licence"])
    derived: dict[str, Any] = {
        "alcohol_air_mg_l_retained": retained,
        "alcohol_air_mg_l_corrected": corrected,
        "rate_class": rate_class(corrected, val["alcohol_blood_g_l"], probationary,
                                 bool(val["alcohol_screening_negative"]), limits),
        "prior_convictions_count": len(val["prior_convictions"]) if val["prior_convictions"] is not None else None,
        "legal_recidivism": None,
    }
    if readings and val["alcohol_blood_g_l"] is not None:
        warnings.append("Le dossier contient à la fois une mesure dans l'air expiré et une alcoolémie sanguine : "
                        "le taux dans l'air a été retenu, sans conversion entre unités.")
    computed, record_warnings = recidivism_from_record(val, limits)
    warnings += record_warnings
    stated = val.get("legal_recidivism")
    if stated is not None and computed is not None and stated != computed:
        warnings.append(f"Récidive légale : la procédure l'{'énonce' if stated else 'écarte'}, le calcul depuis le B1 "
                        f"donne « {'oui' if computed else 'non'} » — la mention de la procédure est retenue, "
                        "vérification humaine obligatoire.")
    derived["legal_recidivism"] = stated if stated is not None else computed
    return derived, warnings
