"""Synthetic dossier d'instruction: a coherent (invented) robbery storyline across D, B and C cotes."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.text import strip_accents
from evals.datasets.people import JOBS, address, fr_date, fr_time, moment, person, plate
from evals.datasets.render import Piece

BOILERPLATE = [
    "Vu les articles 81 et suivants du code de procédure pénale, nous avons procédé aux diligences suivantes.",
    "Les constatations et les déclarations recueillies ont été consignées fidèlement dans le présent acte.",
    "La personne entendue a été informée de son droit de se taire et de son droit d'être assistée par un avocat.",
    "Le présent procès-verbal a été relu par la personne entendue qui a déclaré n'avoir rien à y ajouter.",
    "Les pièces et scellés mentionnés ci-dessus ont été placés sous main de justice conformément à la loi.",
    "Les opérations ont été réalisées en présence des personnes requises, dont l'identité figure en procédure.",
    "Nous avons avisé le magistrat instructeur du déroulement de ces opérations et de leurs résultats.",
]


@dataclass
class Story:
    victim: tuple[str, str]
    suspect: tuple[str, str]
    accomplice: tuple[str, str]
    witnesses: list[tuple[str, str]]
    at: datetime
    place: str
    suspect_home: str
    scooter_plate: str
    itt: int
    stolen: str
    amount: int
    arrest_at: datetime
    job: str
    priors: int
    court: str
    instruction_no: str

    def summary(self) -> str:
        return (f"Le {fr_date(self.at.date())}, {self.victim[0]} {self.victim[1]} est agressé(e) {self.place} ; "
                f"{self.suspect[0]} {self.suspect[1]} est mis en examen pour vol avec violence.")


def make_story(rng: random.Random) -> Story:
    at = moment(rng, datetime(2025, 3, 1).date(), datetime(2026, 6, 1).date())
    return Story(
        victim=person(rng), suspect=person(rng), accomplice=person(rng),
        witnesses=[person(rng) for _ in range(rng.randint(3, 7))], at=at, place=address(rng),
        suspect_home=address(rng), scooter_plate=plate(rng), itt=rng.choice([3, 5, 6, 10, 12, 15]),
        stolen=rng.choice(["un téléphone portable et un portefeuille", "un sac à main contenant un téléphone",
                           "une sacoche contenant un ordinateur portable"]),
        amount=rng.randint(3, 19) * 50, arrest_at=at + timedelta(days=rng.randint(9, 40), hours=-at.hour + 6),
        job=rng.choice(JOBS), priors=rng.randint(0, 3), court="Tribunal judiciaire de Vallon-sur-Marne",
        instruction_no=f"JI-{at.year}-{rng.randint(100, 999)}",
    )


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", strip_accents(title.lower())).strip("_")[:40]


def _pad(rng: random.Random, paras: list[str], pages: int) -> list[str]:
    """Add procedural boilerplate so that a piece runs to about `pages` pages."""
    out = list(paras)
    while sum(len(p) for p in out) < pages * 2600 - 1800:
        out.insert(rng.randint(1, len(out)), rng.choice(BOILERPLATE))
    return out


def build_pieces(st: Story, rng: random.Random, extra_pages: int = 0) -> tuple[list[Piece], list[dict], list[dict]]:
    v, s, a = " ".join(st.victim), " ".join(st.suspect), " ".join(st.accomplice)
    when = f"le {fr_date(st.at.date())} vers {fr_time(st.at)}"
    hdr_police = "POLICE NATIONALE — Sûreté départementale — Commission rogatoire n° " + st.instruction_no
    hdr_juge = f"{st.court.upper()} — Cabinet d'instruction — Information n° {st.instruction_no}"
    d: list[tuple[Piece, list[dict], list[dict]]] = []

    def add(title: str, header: str, paras: list[str], pages: int = 1, facts=(), questions=()) -> None:
        piece = Piece(None, title, header, _pad(rng, paras, pages), _slug(title) + ".pdf")
        d.append((piece, list(facts), list(questions)))

    add("Procès-verbal de plainte", hdr_police,
        [f"{v} déclare déposer plainte pour les faits suivants : {when}, alors que je rentrais à pied "
         f"{st.place}, deux individus m'ont bousculé(e) puis frappé(e) au visage.",
         f"Ils m'ont dérobé {st.stolen} d'une valeur d'environ {st.amount} euros.",
         "L'un des deux portait un casque de scooter noir et une veste à capuche grise."], pages=2,
        facts=[{"text": f"{when.capitalize()}, {v} est frappé(e) au visage par deux individus {st.place}.",
                "needle": "m'ont bousculé(e)"},
               {"text": f"Les agresseurs dérobent {st.stolen} d'une valeur d'environ {st.amount} euros.",
                "needle": f"{st.amount} euros"}],
        questions=[{"question": "Quelle est la valeur des objets dérobés ?", "answer": f"{st.amount} euros",
                    "needle": f"{st.amount} euros"}])
    add("Procès-verbal de constatations", hdr_police,
        [f"Transport sur les lieux {st.place}. Nous constatons la présence de traces de sang sur le trottoir.",
         "Une caméra de vidéoprotection municipale est implantée à l'angle de la rue."])
    add("Certificat médical initial", "UNITÉ MÉDICO-JUDICIAIRE",
        [f"Examen de {v}. Contusion de la pommette gauche, plaie de l'arcade sourcilière.",
         f"Incapacité totale de travail (ITT) : {st.itt} jours, sous réserve de complications."],
        facts=[{"text": f"Les blessures de {v} entraînent une ITT de {st.itt} jours.", "needle": f"{st.itt} jours"}],
        questions=[{"question": "Quelle est la durée de l'ITT de la victime ?", "answer": f"{st.itt} jours",
                    "needle": f"{st.itt} jours"}])
    for i, w in enumerate(st.witnesses):
        name = " ".join(w)
        paras = [f"{name}, entendu(e) en qualité de témoin, déclare avoir entendu des cris {when}."]
        facts, qs = [], []
        if i == 0:
            paras.append(f"J'ai vu deux hommes partir sur un scooter noir immatriculé {st.scooter_plate}.")
            facts = [{"text": f"Un témoin voit deux hommes s'enfuir sur un scooter immatriculé {st.scooter_plate}.",
                      "needle": st.scooter_plate}]
            qs = [{"question": "Quelle immatriculation le témoin a-t-il relevée ?", "answer": st.scooter_plate,
                   "needle": st.scooter_plate}]
        else:
            paras.append(rng.choice(["Je n'ai pas vu les visages, il faisait trop sombre.",
                                     "J'ai seulement vu la victime assise par terre, le visage en sang.",
                                     "J'ai appelé les secours depuis ma fenêtre."]))
        add(f"Audition de témoin {name}", hdr_police, paras, pages=rng.choice([1, 1, 2]), facts=facts, questions=qs)
    add("Réquisition à opérateur de téléphonie", hdr_police,
        [f"Requérons l'opérateur de communiquer les données de connexion de la ligne de {v} et l'identité "
         f"de tout utilisateur du téléphone dérobé à compter du {fr_date(st.at.date())}."])
    relay_day = st.at + timedelta(days=1)
    add("Exploitation de la téléphonie", hdr_police,
        [f"Le téléphone dérobé a été réactivé le {fr_date(relay_day.date())} à {fr_time(relay_day)} avec une carte "
         f"SIM attribuée à {s}.",
         f"Le téléphone a borné sur le relais couvrant le domicile de {s}, {st.suspect_home}."], pages=2,
        facts=[{"text": f"Le téléphone dérobé est réactivé avec une carte SIM attribuée à {s}.",
                "needle": "carte SIM attribuée"}],
        questions=[{"question": "À qui est attribuée la carte SIM utilisée dans le téléphone volé ?",
                    "answer": s, "needle": "carte SIM attribuée"}])
    add("Exploitation de la vidéoprotection", hdr_police,
        [f"Les images montrent à {fr_time(st.at)} deux individus à scooter s'approcher de la victime.",
         "Les visages ne sont pas identifiables."])
    add("Procès-verbal d'interpellation", hdr_police,
        [f"Le {fr_date(st.arrest_at.date())} à 06h00, nous interpellons {s} à son domicile, {st.suspect_home}.",
         "Il est placé en garde à vue."],
        facts=[{"text": f"{s} est interpellé à son domicile le {fr_date(st.arrest_at.date())}.",
                "needle": "nous interpellons"}])
    add("Procès-verbal de perquisition", hdr_police,
        [f"Perquisition au domicile de {s}. Découvrons dans un placard le portefeuille au nom de {v} "
         "ainsi qu'un couteau à cran d'arrêt. Placés sous scellés n° 1 et n° 2."],
        facts=[{"text": f"La perquisition au domicile de {s} permet de découvrir le portefeuille de la victime "
                        "et un couteau.", "needle": "portefeuille au nom"}],
        questions=[{"question": "Qu'a-t-on découvert lors de la perquisition ?",
                    "answer": "le portefeuille de la victime et un couteau à cran d'arrêt",
                    "needle": "portefeuille au nom"}])
    add("Audition en garde à vue (1)", hdr_police,
        [f"{s} déclare : Je ne sais pas de quoi vous parlez, je n'étais pas là ce soir-là.",
         "Le portefeuille, je l'ai trouvé par terre."], pages=2)
    add("Audition en garde à vue (2)", hdr_police,
        [f"{s} déclare : Bon, j'étais sur le scooter, mais c'est {a} qui a frappé la victime.",
         "Je reconnais avoir pris le téléphone."],
        facts=[{"text": f"En garde à vue, {s} reconnaît avoir pris le téléphone et met en cause {a}.",
                "needle": "Je reconnais avoir pris le téléphone"}],
        questions=[{"question": "Le mis en cause reconnaît-il les faits ?",
                    "answer": f"Il reconnaît avoir pris le téléphone et met en cause {a}.",
                    "needle": "Je reconnais avoir pris le téléphone"}])
    add("Rapport d'expertise génétique", "LABORATOIRE DE POLICE SCIENTIFIQUE",
        [f"Le profil génétique relevé sur le scellé n° 1 (portefeuille) correspond à celui de {s}."],
        facts=[{"text": f"Le profil génétique relevé sur le portefeuille correspond à celui de {s}.",
                "needle": "correspond à celui de"}])
    add("Interrogatoire de première comparution", hdr_juge,
        [f"{s} est mis en examen du chef de vol avec violence ayant entraîné une ITT n'excédant pas "
         "huit jours, en réunion (art. 311-4 du code pénal).",
         "Il déclare : Je maintiens ce que j'ai dit en garde à vue."], pages=2,
        facts=[{"text": f"{s} est mis en examen pour vol avec violence en réunion.", "needle": "mis en examen"}])
    add("Audition de la partie civile", hdr_juge,
        [f"{v} confirme sa plainte et déclare souffrir depuis les faits de troubles du sommeil.",
         "Elle se constitue partie civile."])
    add("Confrontation", hdr_juge,
        [f"Confrontation entre {v} et {s}. La victime reconnaît la veste à capuche grise.",
         f"{s} maintient que {a} a porté les coups."])
    add("Interrogatoire au fond", hdr_juge,
        [f"{s} déclare regretter les faits et propose d'indemniser la victime.",
         "Il indique pouvoir être hébergé chez sa mère en cas de remise en liberté."], pages=2)
    for i in range(extra_pages // 3):
        lines = [f"Ligne {st.scooter_plate[:2]}-{n:04d} : appel sortant de 00:{n % 60:02d} vers un numéro "
                 f"masqué, relais {rng.randint(1000, 9999)}." for n in range(i * 60, i * 60 + 60)]
        add(f"Annexe de téléphonie n° {i + 1}", hdr_police, lines)

    b_pieces = [
        Piece(None, "Enquête de personnalité", "SERVICE PÉNITENTIAIRE D'INSERTION ET DE PROBATION",
              _pad(rng, [f"{s}, âgé de {rng.randint(19, 35)} ans, vit chez sa mère {st.suspect_home}.",
                         f"Il travaille comme {st.job} en contrat précaire.",
                         "Il consomme du cannabis de manière quotidienne."], 2), "enquete_personnalite.pdf"),
        Piece(None, "Expertise psychiatrique", "EXPERTISE PSYCHIATRIQUE",
              _pad(rng, [f"L'examen de {s} ne révèle aucun trouble psychique ou neuropsychique ayant aboli "
                         "ou altéré son discernement au moment des faits.",
                         "Il est accessible à une sanction pénale."], 2), "expertise_psychiatrique.pdf"),
        Piece(None, "Bulletin n° 1 du casier judiciaire", "CASIER JUDICIAIRE NATIONAL",
              [f"Bulletin n° 1 de {s} : {st.priors} condamnation(s) inscrite(s)."] +
              [f"Condamnation n° {i + 1} : vol, {rng.choice(['4 mois', '6 mois', '2 mois'])} d'emprisonnement avec "
               "sursis." for i in range(st.priors)], "b1.pdf"),
    ]
    c_piece = Piece(None, "Ordonnance de placement en détention provisoire", hdr_juge,
                    [f"Ordonnons le placement en détention provisoire de {s}, le {fr_date(st.arrest_at.date())}."],
                    "ordonnance_detention.pdf")

    pieces, key_facts, questions = [], [], []
    for i, (piece, facts, qs) in enumerate(d, start=1):
        piece.cote = f"D{i}"
        pieces.append(piece)
        key_facts += [{**f, "cote": piece.cote} for f in facts]
        questions += [{**q, "cote": piece.cote} for q in qs]
    for i, piece in enumerate(b_pieces, start=1):
        piece.cote = f"B{i}"
        pieces.append(piece)
    c_piece.cote = "C1"
    pieces.append(c_piece)
    key_facts += [{"text": f"L'expertise psychiatrique ne relève aucune abolition ni altération du discernement de {s}.",
                   "needle": "aucun trouble psychique", "cote": "B2"},
                  {"text": f"{s} travaille comme {st.job} en contrat précaire.", "needle": f"comme {st.job}",
                   "cote": "B1"}]
    questions.append({"question": "Le mis en examen a-t-il un emploi ?", "answer": f"Il travaille comme {st.job}.",
                      "needle": f"comme {st.job}", "cote": "B1"})
    for piece in pieces:
        piece.filename = f"{piece.cote}_{piece.filename}" if rng.random() < 0.5 else f"piece_{rng.randint(10000, 99999)}.pdf"
    return pieces, key_facts, questions
