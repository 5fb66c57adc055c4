"""Invented identities, places and vehicles. None of these designate a real person or case."""
from __future__ import annotations

import random
import string
from datetime import date, datetime, timedelta

from core.text import MONTHS_FR

FIRST = ["Lucas", "Camille", "Mehdi", "Sofia", "Théo", "Inès", "Bastien", "Yasmine", "Quentin", "Léna",
         "Marius", "Nora", "Gaëtan", "Aïcha", "Romain", "Elsa", "Kylian", "Maëlle", "Hugo", "Salomé"]
LAST = ["Varenne", "Ducasteil", "Morvandel", "Tessandier", "Brouillac", "Kerbiriou", "Aubrenel", "Castagnet",
        "Lemarquis", "Ferrandou", "Pichonnat", "Gervaisot", "Hautecœur", "Sambrieux", "Valloire", "Dumaresq"]
TOWNS = ["Vallon-sur-Marne", "Saint-Aubin-les-Prés", "Montclair-en-Brie", "Bois-Fleury", "Neuville-la-Rivière",
         "Pontcarré-le-Haut", "Villemont", "Châtel-Saint-Rémy"]
STREETS = ["avenue des Tilleuls", "rue du Moulin-Vert", "boulevard Anatole-Mérel", "route de la Sablière",
           "rue des Glycines", "quai des Tanneurs", "chemin de la Croix-Blanche", "rue Pasteur-Valdrôme"]
CARS = ["Renault Clio", "Peugeot 208", "Citroën C3", "Volkswagen Golf", "Dacia Sandero", "Toyota Yaris",
        "Peugeot 3008", "Fiat Panda"]
JOBS = ["livreur", "aide-soignante", "maçon", "étudiant", "commercial", "cuisinier", "chauffeur VTC",
        "agent d'entretien", "infirmier", "sans emploi"]
COURTS = ["Tribunal correctionnel de Vallon-sur-Marne", "Tribunal correctionnel de Montclair-en-Brie",
          "Tribunal de police de Bois-Fleury", "Tribunal correctionnel de Neuville-la-Rivière"]


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST).upper()


def plate(rng: random.Random) -> str:
    letters = string.ascii_uppercase.replace("I", "").replace("O", "").replace("U", "")
    return f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(100, 999)}-{rng.choice(letters)}{rng.choice(letters)}"


def address(rng: random.Random) -> str:
    return f"{rng.randint(2, 148)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"


def moment(rng: random.Random, start: date, end: date) -> datetime:
    days = (end - start).days
    d = start + timedelta(days=rng.randint(0, days))
    return datetime(d.year, d.month, d.day, rng.choice([0, 1, 2, 3, 19, 20, 21, 22, 23]), rng.randint(0, 59))


MONTHS = MONTHS_FR


def fr_date(d: date, rng: random.Random | None = None) -> str:
    """'12 mars 2026', '12/03/2026' or '12.03.2026' (varied, as in real procedures)."""
    style = rng.choice(["long", "slash", "dot"]) if rng else "long"
    if style == "long":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    sep = "/" if style == "slash" else "."
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def fr_time(t: datetime) -> str:
    return f"{t.hour:02d}h{t.minute:02d}"
