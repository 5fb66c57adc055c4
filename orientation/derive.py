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
    speed, limit = val.get("speed_kmh"), val.get("speed_limit_kmh")
    if speed and limit and speed - limit >= 50:
        out.add("L413-1")
    return out


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
    priors = val["prior_convictions"]
    computed = None
    if priors is not None and val["facts_date"]:
        rec = limits["recidivism"]
        facts_day = date.fromisoformat(val["facts_date"])
        found = []
        current = current_offences(val, limits)
        for p in priors:
            code = (p.get("offence") or "").upper()
            same = code in current or (code in rec["assimilated"] and (not current or current & set(rec["assimilated"])))
            if same and p.get("final_date"):
                final = date.fromisoformat(p["final_date"])
                if 0 <= (facts_day - final).days <= rec["years"] * 365.25:
                    found.append(p)
        computed = bool(found)
        if priors:
            warnings.append("Récidive légale calculée depuis le B1 à partir de la date à laquelle la condamnation est "
                            "devenue définitive (date de fin de peine non renseignée) : approximation — "
                            "vérification humaine obligatoire.")
    elif priors == []:
        computed = False  # an empty record: no first term of a recidivism
    elif priors:
        warnings.append("Date des faits introuvable : la récidive légale n'a pas pu être calculée.")
    stated = val.get("legal_recidivism")
    if stated is not None and computed is not None and stated != computed:
        warnings.append(f"Récidive légale : la procédure l'{'énonce' if stated else 'écarte'}, le calcul depuis le B1 "
                        f"donne « {'oui' if computed else 'non'} » — la mention de la procédure est retenue, "
                        "vérification humaine obligatoire.")
    derived["legal_recidivism"] = stated if stated is not None else computed
    return derived, warnings
