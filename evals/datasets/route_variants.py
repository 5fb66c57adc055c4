"""Many wordings per fact for the road-traffic generator, the way police nationale, gendarmerie, SNPC relevés,
tickets and laboratory reports write them. Each variant returns (text, needle): the needle is the exact part of
the text that states the value (the gold points at it), so the gold stays exact whatever wording is drawn."""
from __future__ import annotations

import random

from core.text import int_to_words


def _c(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def words_decimal(v: float) -> str:
    """1.04 -> « un virgule zéro quatre », 1.038 -> « un virgule zéro trente-huit » (every decimal kept)."""
    milli = round(v * 1000)
    places = 2 if milli % 10 == 0 else 3
    scaled = milli // 10 if places == 2 else milli
    tail = scaled % 10 ** places
    frac = "zéro " * (places - len(str(tail))) + int_to_words(tail)
    return f"{int_to_words(scaled // 10 ** places)} virgule {frac}"


def reading_text(v: float, rng: random.Random) -> str:
    digits = 3 if round(v, 2) != v else 2
    num = f"{v:.{digits}f}"
    return rng.choice([f"{num.replace('.', ',')} mg/l", f"{num} mg/L", f"{num.replace('.', ',')} mg/L A.E.",
                       f"{num.replace('.', ',')} milligramme par litre d'air expiré",
                       f"{num.replace('.', ',')} mg par litre d'air expiré"])


def ticket_lines(readings: list[float], times: list[str], rng: random.Random) -> tuple[list[str], str]:
    """Ticket body lines and the needle of the first reading."""
    style = rng.randrange(4)
    rendered = [reading_text(v, rng) for v in readings]
    lines = []
    for i, (text, t) in enumerate(zip(rendered, times, strict=False), start=1):
        if style == 0:
            lines.append(f"Mesure {i} : {text} à {t}")
        elif style == 1:
            lines.append(f"{'Première' if i == 1 else 'Seconde'} mesure à {t} : {text}")
        elif style == 2:
            lines.append(f"{i}{'ère' if i == 1 else 'ème'} mesure ({t}) ........ {text}")
        else:
            lines.append(f"Résultat {i} — {t} — {text}")
    return lines, rendered[0]


def pv_readings(readings: list[float], times: list[str], rng: random.Random) -> str:
    """A procès-verbal sentence quoting the readings (same values as the ticket)."""
    a = [_c(v, 3 if round(v, 2) != v else 2) for v in readings]
    if len(readings) == 1:
        return rng.choice([f"L'éthylomètre révèle un taux de {a[0]} mg/l d'air expiré.",
                           f"La vérification au moyen de l'éthylomètre donne {a[0]} milligramme par litre d'air expiré."])
    return rng.choice([
        f"Les mesures effectuées à {times[0]} et à {times[1]} font apparaître respectivement un taux de {a[0]} mg/l "
        f"puis de {a[1]} mg/l d'air expiré.",
        f"Le conducteur souffle à deux reprises dans l'éthylomètre : {a[0]} puis {a[1]} mg/l.",
        f"Première mesure : {a[0]} mg/l ; seconde mesure : {a[1]} mg/l d'air expiré.",
        f"L'éthylomètre indique {words_decimal(readings[0])} puis {words_decimal(readings[1])} milligramme par litre "
        "d'air expiré.",
    ])


def blood_line(v: float, rng: random.Random) -> tuple[str, str]:
    text = rng.choice([f"{_c(v)} g/L de sang", f"{v:.2f} g/l", f"{_c(v)} gramme par litre de sang",
                       f"{_c(v)} g d'alcool par litre de sang", f"{_c(v)} g/l (éthanolémie)"])
    line = rng.choice([f"Alcoolémie mesurée : {text} (chromatographie en phase gazeuse).",
                       f"Éthanol sanguin : {text}.", f"Résultat de l'analyse : {text}."])
    return line, text


REFUSE_COMPLY = [
    ("Malgré nos injonctions répétées et les avertisseurs sonores et lumineux, le conducteur refuse d'obtempérer à "
     "l'ordre d'arrêt et accélère.", "refuse d'obtempérer"),
    ("Le conducteur ignore les injonctions de s'arrêter données par un fonctionnaire en tenue et poursuit sa route.",
     "ignore les injonctions"),
    ("Malgré l'ordre clair de s'arrêter, le conducteur accélère et prend la fuite en direction de la rocade.",
     "Malgré l'ordre clair de s'arrêter"),
    ("Le conducteur a omis sciemment d'obtempérer à la sommation de s'arrêter.", "omis sciemment d'obtempérer"),
    ("Il force le point de contrôle et n'obtempère pas aux signaux des gendarmes.", "force le point de contrôle"),
]
HIT_AND_RUN = [
    ("Le conducteur a percuté un véhicule en stationnement puis a pris la fuite sans s'arrêter.", "a pris la fuite"),
    ("Après avoir heurté un véhicule en stationnement, le conducteur quitte les lieux sans laisser ses coordonnées.",
     "quitte les lieux"),
    ("Le véhicule a accroché une voiture en stationnement ; son conducteur s'est enfui sans se faire connaître.",
     "s'est enfui"),
    ("Délit de fuite : le conducteur, après avoir endommagé un véhicule en stationnement, poursuit sa route sans "
     "s'arrêter.", "poursuit sa route sans s'arrêter"),
]
VICTIM = [
    "Le véhicule a heurté une piétonne, Mme Odile FERRANDOU, qui a été transportée au centre hospitalier.",
    "Une piétonne, Mme Odile FERRANDOU, est renversée sur le passage protégé et transportée par les sapeurs-pompiers.",
    "Mme Odile FERRANDOU, qui traversait, a été fauchée par le véhicule et conduite aux urgences.",
]
DAMAGE = [
    ("Accident matériel : le véhicule a heurté un poteau de signalisation.", "Accident matériel"),
    ("Le véhicule termine sa course contre un muret, endommagé.", "endommagé"),
    ("Dégâts matériels constatés sur la glissière de sécurité.", "Dégâts matériels"),
]
SCREENING_NEGATIVE = [
    ("Le dépistage de l'imprégnation alcoolique par éthylotest électronique se révèle négatif.", "se révèle négatif"),
    ("Dépistage alcool : NÉGATIF.", "NÉGATIF"),
    ("Le test de dépistage d'alcoolémie est négatif.", "est négatif"),
    ("L'éthylotest, présenté à l'intéressé, donne un résultat négatif.", "résultat négatif"),
]
REFUSAL_OF_TEST = [
    ("déclare refuser de se soumettre aux vérifications.", "refuser de se soumettre aux vérifications"),
    ("refuse de souffler dans l'éthylomètre.", "refuse de souffler"),
    ("refuse catégoriquement le dépistage puis les vérifications de l'état alcoolique.", "refuse catégoriquement"),
    ("oppose un refus de se soumettre aux épreuves de dépistage.", "refus de se soumettre"),
]
SNPC_STATUS = {
    "valid": [("Permis de conduire : VALIDE", "VALIDE"), ("Situation du titre ....... VALIDE", "VALIDE"),
              ("Validité du droit à conduire : OUI — droit à conduire en cours de validité", "droit à conduire"),
              ("Statut du permis : Valide", "Valide")],
    "never_held": [("Aucun permis de conduire délivré — l'intéressé n'est pas titulaire du permis de conduire",
                    "n'est pas titulaire du permis"),
                   ("Permis de conduire : NÉANT — inconnu au fichier national des permis de conduire", "NÉANT"),
                   ("Situation : aucun permis — non titulaire", "non titulaire")],
    "suspended": [("Permis de conduire : SUSPENDU", "SUSPENDU"),
                  ("Situation du titre : suspension administrative en cours", "suspension administrative"),
                  ("Mesure en cours : Suspension judiciaire (4 mois)", "Suspension judiciaire")],
    "annulled": [("Permis de conduire : ANNULÉ", "ANNULÉ"), ("Situation du titre : Annulation judiciaire",
                                                            "Annulation judiciaire")],
    "invalidated": [("Situation du titre : Invalidé — solde de points nul (48SI)", "Invalidé"),
                    ("Solde de points : 0 — lettre 48 SI notifiée", "48 SI")],
}
PROBATION = {True: [("Permis probatoire : OUI (période probatoire en cours)", "Permis probatoire"),
                    ("Période probatoire ....... EN COURS", "Période probatoire"),
                    ("Probatoire : oui", "Probatoire")],
             False: [("Permis probatoire : NON", "Permis probatoire"), ("Période probatoire : achevée", "Période probatoire"),
                     ("Période probatoire ....... NON", "Période probatoire")]}
INSURANCE = {True: [("Résultat : AUCUN CONTRAT D'ASSURANCE EN COURS DE VALIDITÉ.", "AUCUN CONTRAT"),
                    ("Assurance : NÉANT — défaut d'assurance.", "défaut d'assurance"),
                    ("Le véhicule n'est pas assuré.", "n'est pas assuré")],
             False: [("Résultat : véhicule assuré, contrat en cours de validité.", "véhicule assuré"),
                     ("Assurance : OUI — contrat en cours.", "OUI"),
                     ("Le véhicule est régulièrement assuré.", "régulièrement assuré")]}
EMPTY_RECORD = [("NÉANT", "NÉANT"), ("Le bulletin ne comporte aucune condamnation.", "aucune condamnation"),
                ("Aucune condamnation inscrite.", "Aucune condamnation")]
ITT = [lambda n: (f"Incapacité totale de travail (ITT) : {n} jours.", f"{n} jours"),
       lambda n: (f"ITT de {int_to_words(n)} jours au sens pénal.", f"{int_to_words(n)} jours"),
       lambda n: (f"Je fixe l'ITT à {n} jours.", f"{n} jours"),
       lambda n: (f"{n} jours d'ITT, sous réserve de complications.", f"{n} jours d'ITT")]
SPEED = [lambda s, lim: (f"Vitesse retenue de {s} km/h pour une vitesse maximale autorisée de {lim} km/h.",
                         f"{s} km/h", f"{lim} km/h"),
         lambda s, lim: (f"Le cinémomètre enregistre une vitesse de {s} km/h sur une portion limitée à {lim} km/h.",
                         f"{s} km/h", f"{lim} km/h"),
         lambda s, lim: (f"Vitesse retenue : {s} km/h — VMA : {lim} km/h.", f"{s} km/h", f"{lim} km/h")]
