"""Question answering where the file holds several values of the asked type: the question's qualifiers decide
(place, object, stage, rate), a line's subscriber vs its user, detention, the B1's entries, and abstention when
the value belongs to another entity. Passages written for these tests, the way procedures are written."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from core.models import CaseFile, Chunk
from generation.answer import Answerer
from generation.question import expected_kind
from generation.verifier import verify
from retrieval.search import Passage


def _chunk(i: int, cote: str, title: str, text: str, page: int = 1) -> Chunk:
    return Chunk(id=f"doc{cote}-{i}", dossier_id="d", document_id=f"doc{cote}", cote=cote, page=page, pdf_page=page,
                 text=text, char_start=i * 1000, char_end=i * 1000 + len(text), title=title)


PIECES = [
    _chunk(0, "D6", "pv_perquisition", "PROCÈS-VERBAL DE PERQUISITION ET DE SAISIE\nNous, brigadier-chef de police, "
           "en présence de M. Karim ZEROUAL, procédons à la perquisition de son domicile sis 8 allée des Tilleuls à "
           "Bondy. Dans la cave attenante au logement, nous découvrons, dissimulé derrière une chaudière, un sac "
           "isotherme contenant 1,2 kg de résine de cannabis conditionnée en plaquettes. Dans la chambre, une boîte à "
           "chaussures contient une somme de 620 euros en billets de 20 euros. Nous procédons ensuite à la fouille du "
           "véhicule Renault Mégane immatriculé FR-482-KZ stationné devant l'immeuble. Dans le coffre, sous le "
           "tapis, nous découvrons une somme de 4 350 euros en coupures de 50 et de 20 euros, placée sous scellé n° 4."),
    _chunk(1, "D11", "rapport_laboratoire", "LABORATOIRE DE POLICE SCIENTIFIQUE — RAPPORT D'ANALYSE\nLe scellé n° 2 "
           "renferme douze plaquettes de résine de cannabis. Pesée : poids brut de 1 212 grammes, emballages compris. "
           "Après retrait des emballages, le poids net de produit est de 1 148 grammes. Le taux de THC mesuré est de "
           "24 %."),
    _chunk(2, "D14", "audition_gav_zeroual", "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons "
           "M. Karim ZEROUAL, né le 2 juin 1994 à Bobigny.\nQuestion : Quelles quantités vendiez-vous ?\nRéponse : "
           "J'écoulais à peu près 40 grammes par jour, ça faisait dans les 250 grammes par semaine, pas plus.\n"
           "Question : Combien cela vous rapportait-il ?\nRéponse : Je me faisais 150 euros par jour environ.\n"
           "Question : Qui utilise la ligne 07 68 00 11 22 ?\nRéponse : Je ne connais pas ce numéro.\n"
           "Question : Cette résine vous appartenait-elle ?\nRéponse : Non, je la gardais pour un certain Momo."),
    _chunk(3, "D17", "scan_0017", "RÉPONSE À RÉQUISITION JUDICIAIRE\nOpérateur : SFR — Service des obligations "
           "légales\nNuméro | Titulaire | Adresse de facturation | Date d'activation\n06 45 12 78 90 | LEBRETON "
           "Sylvain, né le 03/04/1979 | 12 rue des Lilas 93100 Montreuil | 14/09/2021\n07 81 33 20 56 | HAMDI "
           "Sonia | 4 place de la Gare 93140 Bondy | 02/01/2024"),
    _chunk(4, "D15", "audition_temoin_lebreton", "PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Sylvain "
           "LEBRETON, né le 3 avril 1979.\nQuestion : La ligne 06 45 12 78 90 est à votre nom ; l'utilisez-vous ?\n"
           "Réponse : Non, j'ai pris cet abonnement pour mon neveu Kevin LEBRETON, c'est lui qui se sert de ce "
           "téléphone depuis deux ans."),
    _chunk(5, "D21", "ordonnance_jld", "TRIBUNAL JUDICIAIRE DE BOBIGNY — LE JUGE DES LIBERTÉS ET DE LA DÉTENTION\n"
           "ORDONNANCE DE PLACEMENT EN DÉTENTION PROVISOIRE\nVu le débat contradictoire tenu le 16 mars 2026 en "
           "présence de Karim ZEROUAL, mis en examen, et de son avocat ; ordonnons le placement en détention "
           "provisoire de Karim ZEROUAL ; ordonnons qu'il soit conduit et écroué au centre pénitentiaire de "
           "Fleury-Mérogis. Fait en notre cabinet, le 16 mars 2026."),
    _chunk(6, "B1", "scan_0030", "CASIER JUDICIAIRE NATIONAL — BULLETIN N° 1\nZEROUAL Karim, né le 02/06/1994 à "
           "Bobigny\nN° | Date | Juridiction | Nature de l'infraction | Peine\n1 | 11/05/2015 | TC Bobigny | vol en "
           "réunion | 4 mois d'emprisonnement avec sursis\n2 | 20/02/2018 | TC Bobigny | détention de stupéfiants "
           "| 8 mois d'emprisonnement\n3 | 07/10/2021 | TC Créteil | trafic de stupéfiants | 2 ans "
           "d'emprisonnement dont 1 an avec sursis"),
    _chunk(8, "D9", "audition_temoin_bonnet", "PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Claire BONNET, "
           "née le 4 mai 1988, employée de mairie.\nElle déclare : Le soir des faits, j'ai croisé Karim ZEROUAL dans "
           "l'escalier, il portait un sac de sport. Je suis joignable au 06 77 88 99 00 si vous avez besoin."),
    _chunk(9, "D19", "scan_0019", "CABINET DE MME LA JUGE D'INSTRUCTION\nINTERROGATOIRE DE PREMIÈRE COMPARUTION\n"
           "L'an deux mille vingt-six, le quinze mars, à dix heures quarante, devant nous, Claire VASSEUR, juge "
           "d'instruction, assistée de notre greffier, a comparu Karim ZEROUAL, lequel nous a déclaré ne pas "
           "vouloir s'expliquer en l'absence de son avocat."),
    _chunk(10, "D22", "mandat_depot_kaci", "MANDAT DE DÉPÔT\nNous, juge des libertés et de la détention, vu "
           "l'ordonnance de placement en détention provisoire de ce jour, mandons et ordonnons au chef "
           "d'établissement de la maison d'arrêt de Villepinte de recevoir et de détenir Nordine KACI, né le "
           "9 janvier 1999, mis en examen. Fait à Bobigny, le 17 mars 2026."),
    _chunk(11, "D25", "exploitation_fadettes", "PROCÈS-VERBAL D'EXPLOITATION DE LA TÉLÉPHONIE\nLigne attribuée "
           "à Karim ZEROUAL, du 1er au 20 mars 2026 :\n— 96 SMS envoyés vers la ligne de Mme Sonia HAMDI ;\n— 41 "
           "appels vers la même ligne.\nPendant la période où Mme HAMDI était hospitalisée (1er – 10 mars 2026), 60 "
           "SMS ont été envoyés vers sa ligne ; après sa sortie (11 – 20 mars 2026), 36 SMS."),
    _chunk(7, "D3", "audition_victime", "PROCÈS-VERBAL D'AUDITION DE VICTIME\nNous entendons Mme Odile FERRAND, "
           "née le 12 août 1961, demeurant 21 rue Pasteur à Bondy, joignable au 06 12 90 44 18. Elle déclare avoir "
           "vu deux hommes sortir de l'immeuble vers 22 heures."),
]


class _Fake:
    def dossier(self, dossier_id):
        return CaseFile(id=dossier_id)

    def documents(self, dossier_id):
        return [SimpleNamespace(id=c.document_id, status="stored") for c in PIECES]

    def dossier_chunks(self, dossier_id):
        return PIECES

    def search(self, query, flt, k=8, mode="hybrid", with_context=False, **_):
        words = set(re.findall(r"\w+", query.lower()))
        ranked = sorted(PIECES, key=lambda c: -len(words & set(re.findall(r"\w+", c.text.lower()))))
        if flt.cotes:
            ranked = [c for c in ranked if c.cote in flt.cotes]
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]


@pytest.fixture(scope="module")
def ask():
    fake = _Fake()
    answerer = Answerer(fake, fake, None, lambda text, ev: verify(text, ev).reasons)
    return lambda question: answerer.ask("d", question)


def _span(result: dict) -> str:
    assert result["status"] == "answered", result.get("reason")
    return result["span"] or ""


# 1. competing quantities: the question's place, object, stage or rate decides -----------------------------------
def test_the_sum_found_in_the_boot_is_not_the_sum_found_in_the_bedroom(ask):
    boot = ask("Quelle somme a été découverte dans le coffre du véhicule ?")
    assert "4 350" in _span(boot) and boot["sentences"][0]["citations"][0]["cote"] == "D6"
    assert "620" in _span(ask("Quelle somme a été trouvée dans la chambre ?"))


def test_the_net_weight_is_not_the_gross_weight_nor_the_quantity_seized(ask):
    assert expected_kind("Quel est le poids net de la résine pesée par le laboratoire ?") == "weight"
    net = ask("Quel est le poids net de la résine pesée par le laboratoire ?")
    assert "1 148" in _span(net) and net["sentences"][0]["citations"][0]["cote"] == "D11"
    assert "1 212" in _span(ask("Quel est le poids brut des plaquettes ?"))
    assert "1,2 kg" in _span(ask("Quelle quantité de résine a été découverte dans la cave ?"))


def test_a_rate_per_week_is_not_the_rate_per_day(ask):
    assert "250" in _span(ask("Quelle quantité de résine Karim ZEROUAL écoulait-il par semaine ?"))
    assert "40" in _span(ask("Quelle quantité de résine Karim ZEROUAL écoulait-il par jour ?"))
    assert "150 euros" in _span(ask("Combien le trafic rapportait-il par jour à Karim ZEROUAL ?"))


def test_a_time_frame_of_the_question_does_not_narrow_a_total_to_one_of_its_parts(ask):
    a = ask("Combien de SMS Karim ZEROUAL a-t-il envoyés à Mme HAMDI sur la période examinée ?")
    assert _span(a).startswith("96")
    assert _span(ask("Combien de SMS Karim ZEROUAL a-t-il envoyés à Mme HAMDI après sa sortie ?")).startswith("36")


# 2. a line's subscriber vs its user -------------------------------------------------------------------------------
def test_the_subscriber_of_a_line_is_read_from_the_operators_table_row(ask):
    a = ask("Qui est le titulaire de la ligne 06 45 12 78 90 ?")
    assert "LEBRETON Sylvain" in _span(a) and a["sentences"][0]["citations"][0]["cote"] == "D17"
    assert "HAMDI" in _span(ask("Qui est le titulaire de la ligne 07 81 33 20 56 ?"))


def test_a_subscriber_the_operator_never_gave_is_an_abstention(ask):
    # the suspect is asked about the line and answers nothing that names a subscriber
    assert expected_kind("Quel est le titulaire de la ligne 07 68 00 11 22 selon l'opérateur ?") == "person"
    assert ask("Quel est le titulaire de la ligne 07 68 00 11 22 selon l'opérateur ?")["status"] == "abstention"


def test_the_user_of_a_line_is_not_its_subscriber(ask):
    a = ask("Qui est l'utilisateur de la ligne 06 45 12 78 90 ?")
    assert "Kevin LEBRETON" in _span(a) and a["sentences"][0]["citations"][0]["cote"] == "D15"


# 3. detention: establishment and date of the order ---------------------------------------------------------------
def test_the_establishment_and_date_of_the_detention_order(ask):
    where = ask("Dans quel établissement pénitentiaire Karim ZEROUAL a-t-il été placé en détention provisoire ?")
    assert "Fleury-Mérogis" in _span(where) and where["sentences"][0]["citations"][0]["cote"] == "D21"
    when = ask("À quelle date le placement en détention provisoire de Karim ZEROUAL a-t-il été ordonné ?")
    assert "16 mars 2026" in _span(when)


def test_the_date_of_an_interrogation_written_in_words(ask):
    a = ask("Quelle est la date de l'interrogatoire de première comparution de Karim ZEROUAL ?")
    assert "15 mars 2026" in _span(a) and a["sentences"][0]["citations"][0]["cote"] == "D19"


def test_each_person_is_detained_where_their_own_order_says(ask):
    a = ask("Dans quelle maison d'arrêt Nordine KACI est-il incarcéré ?")
    assert "Villepinte" in _span(a) and a["sentences"][0]["citations"][0]["cote"] == "D22"


# 4. antecedents: the B1's entries, laid out as a table -----------------------------------------------------------
def test_the_number_of_convictions_is_counted_from_the_b1_table(ask):
    a = ask("Combien de condamnations figurent au bulletin n° 1 de Karim ZEROUAL ?")
    assert _span(a).startswith("3") and a["sentences"][0]["citations"][0]["cote"] == "B1"


def test_the_latest_conviction_is_the_latest_row_of_the_b1(ask):
    a = ask("Quelle est la date de la dernière condamnation de Karim ZEROUAL ?")
    assert "07/10/2021" in _span(a) and a["sentences"][0]["citations"][0]["cote"] == "B1"
    assert "11/05/2015" in _span(ask("Quelle est la date de la première condamnation de Karim ZEROUAL ?"))


def test_a_list_question_on_the_b1_gives_every_row(ask):
    a = ask("Pour quels faits Karim ZEROUAL a-t-il déjà été condamné ?")
    assert a["status"] == "answered" and all(c["citations"][0]["cote"] == "B1" for c in a["sentences"])
    assert all(offence in a["answer"] for offence in ("vol en réunion", "détention de stupéfiants", "trafic"))


# 5. the value of another entity is an abstention -----------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "Quel est le numéro de téléphone de Karim ZEROUAL ?",          # only the witness's, the victim's, subscribers'
    "Quel est le numéro de portable de Karim ZEROUAL ?",
    "Quelle est la date de naissance de Kevin LEBRETON ?",         # only his uncle's
    "Quelle est l'adresse de Kevin LEBRETON ?",                    # only his uncle's billing address
    "Quelle est l'immatriculation du véhicule de Sylvain LEBRETON ?",  # only Karim ZEROUAL's Mégane
    "Quelle est l'immatriculation du scooter ?",                   # only a car's plate
])
def test_another_persons_value_is_an_abstention(ask, question):
    assert ask(question)["status"] == "abstention"


def test_the_value_of_the_named_person_is_still_given(ask):
    assert "06 12 90 44 18" in _span(ask("Quel est le numéro de téléphone de Mme Odile FERRAND ?"))
    assert "06 77 88 99 00" in _span(ask("Quel est le numéro de téléphone de Claire BONNET ?"))
    assert "12 août 1961" in _span(ask("Quelle est la date de naissance d'Odile FERRAND ?"))
    assert "FR-482-KZ" in _span(ask("Quelle est l'immatriculation du véhicule fouillé devant l'immeuble ?"))
