"""What a synthèse says of each piece (generation/digest.salience), by class: a piece's decisive result, decision or
stance outranks the formulas, the signature lines and the life story around it. Fakes only."""
from __future__ import annotations

from generation.digest import salience
from tests.unit.test_digest import _item, _piece

ACCUSED = ("FERRANDOU MICKAEL", "M. Mickaël FERRANDOU")


def _rank(piece, rows: list[tuple[str, str]]) -> list[str]:
    items = [_item(piece, text, category, n) for n, (text, category) in enumerate(rows)]
    return [it.text for it in sorted(items, key=lambda it: -salience(it))]


def test_what_the_officers_find_outranks_their_own_procedural_steps():
    piece = _piece("D2", "constatations", 20)
    found = "Dans la salle de bains, découvrons un jeune garçon en pyjama, assis dans la baignoire, en pleurs"
    steps = ["À 23 h 33, avisons l'officier de police judiciaire de quart, le Lieutenant Romain CHASSAGNE",
             "À 23 h 40, les sapeurs-pompiers du centre de secours de Ris-Orangis se présentent sur les lieux"]
    ranked = _rank(piece, [(t, "fait") for t in steps] + [(found, "resultat")])
    assert ranked[0] == found


def test_a_measure_recorded_in_a_notification_piece_keeps_its_weight():
    """A PV of arrest typed « notification de garde à vue » frames, but the rate it records is a result."""
    piece = _piece("D6", "notification_gav", 21)
    rate = _item(piece, "Le taux retenu est celui de la mesure la plus basse, soit 0,52 milligramme par litre d'air "
                        "expiré", "resultat", 0)
    frame = _item(piece, "Le véhicule est conduit au parking du commissariat par le gardien de la paix TROUILLET",
                  "resultat", 1)
    assert salience(rate) > salience(frame)
    assert salience(rate) >= 2.5  # the per-piece selection's floor: the rate is a candidate


def test_a_decision_s_dispositif_outranks_its_signature_and_notification_lines():
    piece = _piece("D28", "ordonnance", 21, [ACCUSED])
    ranked = _rank(piece, [
        ("K. TAILLEFER Le juge des libertés et de la détention — S. ORVALLE Reçu notification et copie le 22/02/2026 "
         "à 20 h 55 : (signé) M. FERRANDOU", "decision"),
        ("N° parquet : 26052000417 — N° instruction : JI-4-26/0009 — N° JLD : 26/0988", "decision"),
        ("Rejetons la demande de mise en liberté présentée par M. FERRANDOU Mickaël", "decision"),
    ])
    assert ranked[0].startswith("Rejetons")


def test_what_the_person_questioned_admits_or_denies_outranks_his_life_story():
    piece = _piece("D10", "garde_a_vue", 21, [ACCUSED])
    denial = "Elle m'a griffé au visage. Je l'ai juste repoussée pour me dégager, je ne l'ai pas frappée"
    life = ("Je vis avec Sandrine LAMBOISE depuis 2015, on a un fils, Noah, qui a huit ans. Je gagne 1 850 euros nets "
            "par mois")
    ranked = _rank(piece, [(life, "declaration"), (denial, "declaration")])
    assert ranked[0] == denial


def test_putting_the_act_on_someone_else_counts_as_what_the_hearing_is_for():
    piece = _piece("D15", "garde_a_vue", 3, [("BERTHOLLET YANIS", "Yanis BERTHOLLET")])
    accusation = _item(piece, "C'est Mickaël qui l'a poussée et qui lui a mis un coup, moi je n'ai touché personne",
                       "declaration", 0)
    told = _item(piece, "Mickaël a poussé la porte-fenêtre et moi je suis entré dans le salon de la dame", "declaration",
                 1)
    assert salience(accusation) >= salience(told) + 1.0


def test_a_witness_who_did_not_see_something_is_not_denying_anything():
    """The admission / denial weight is for the person questioned (garde à vue, juge, confrontation) only."""
    text = "Non, je n'ai pas vu leurs visages"
    witness = _item(_piece("D5", "audition_temoin", 8), text, "declaration", 0)
    accused = _item(_piece("D16", "garde_a_vue", 8, [ACCUSED]), text, "declaration", 0)
    assert salience(accused) - salience(witness) >= 1.0


def test_a_record_s_count_line_is_what_the_record_is_for_not_a_fragment():
    piece = _piece("B1", "casier", 4, [ACCUSED])
    count = _item(piece, "Nombre de condamnations : 3", "personnalite", 0)
    assert salience(count) >= 2.5  # kept as a candidate by the per-piece selection (it was 1.9: a « fragment »)


def test_a_registration_plate_tells_as_much_as_a_name():
    piece = _piece("D4", "audition_temoin", 7)
    plate = _item(piece, "J'ai eu le temps de lire la plaque, FK-317-QW, avant qu'ils partent", "declaration", 0)
    plain = _item(piece, "J'ai eu le temps de lire la plaque avant qu'ils partent vers la rue", "declaration", 1)
    assert salience(plate) >= salience(plain) + 0.8


def test_a_denial_with_an_elided_pronoun_is_a_denial():
    from generation.salience import stance

    assert stance("Je ne l'ai pas frappée, je l'ai juste repoussée") == "conteste"
    assert stance("Je ne lui ai jamais rien pris") == "conteste"
    assert stance("Je reconnais lui avoir mis une gifle") == "reconnaît"
