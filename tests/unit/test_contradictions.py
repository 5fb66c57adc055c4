"""Contradictions found by code on passages written for these tests (a drug-trafficking file and a violence file, the
way procedures are written: formulas around, numbers in words, varied wording). Each class has its positive and
its near-misses (rounding, another subject, the same value told twice, a provisional then a final ITT)."""
from __future__ import annotations

from core.text import normalize_for_verify
from tests.analysis_catalog import PiecesCatalog

_Catalog = PiecesCatalog


_OPJ = ("L'an deux mille vingt-six, le {day}, à {hour}, Nous, {officer}, Officier de police judiciaire en résidence "
        "à Pantin, agissant en enquête préliminaire, ")

STUPS = {
    "D2_interpellation": ["PROCÈS-VERBAL D'INTERPELLATION\n" + _OPJ.format(
        day="dix-sept mars", hour="six heures", officer="Julien MARCHAND, Lieutenant de police") +
        "nous présentons au 12 rue des Tanneurs à Pantin.\n"
        "Le dix-sept mars deux mille vingt-six à 6 h 10, procédons à l'interpellation de M. Sofiane KERDAL à son "
        "domicile, sans incident.\nDont procès-verbal."],
    "D3_perquisition": ["PROCÈS-VERBAL DE PERQUISITION ET DE SAISIE\n" + _OPJ.format(
        day="dix-sept mars", hour="six heures quinze", officer="Julien MARCHAND, Lieutenant de police") +
        "procédons à la perquisition du domicile de M. Sofiane KERDAL, en sa présence constante.\n"
        "Dans la cuisine, au-dessus du placard, découvrons un pain de résine de cannabis enveloppé de cellophane, "
        "que nous pesons : poids brut de deux cent quarante-huit grammes (248 g). Plaçons sous scellé n° UN.\n"
        "Dans la chambre, dans un coffre-fort ouvert avec la clé remise par l'intéressé, découvrons une liasse de "
        "billets de 50 et de 20 euros, soit la somme de 14 350 euros. Plaçons sous scellé n° DEUX.\n"
        "Dans la poche de sa veste, découvrons sept sachets de cocaïne d'un poids total de 6,2 grammes. Plaçons "
        "sous scellé n° TROIS.\nLecture faite, persiste et signe."],
    "D5_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Lucienne VARAINE, qui déclare :\n"
                  "Réponse : Depuis ma fenêtre je vois tout le trafic. Il y avait deux guetteurs à l'entrée du hall, "
                  "et une dizaine de clients sont passés dans l'heure.\n"
                  "Réponse : Le chef est reparti au volant d'une Peugeot 208 de couleur blanche, j'en suis certaine."],
    "D6_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Gaston PRUDHOMME, qui déclare :\n"
                  "Réponse : Ce jour-là j'ai compté quatre guetteurs devant le bâtiment C, ils sifflaient à chaque "
                  "voiture.\nRéponse : L'homme est monté dans une Citroën C3 grise et il est parti vers le canal."],
    "D7_surveillance": ["PROCÈS-VERBAL DE SURVEILLANCE\n" + _OPJ.format(
        day="dix mars", hour="quatorze heures", officer="Karim BENSALEM, Brigadier de police") +
        "nous postons en surveillance discrète face au bâtiment C de la cité des Courtillières.\n"
        "À 15 h 40, nous observons Sofiane KERDAL sortir du hall du bâtiment C, remettre un sachet à un individu "
        "puis regagner le hall.\nÀ 16 h 05, un homme non identifié remet une somme d'argent à un guetteur."],
    "D9_laboratoire": ["RAPPORT D'ANALYSE DU LABORATOIRE DE POLICE SCIENTIFIQUE\nScellé UN : une plaque de résine de "
                       "cannabis d'une masse nette de 212,4 g, taux de THC de 28 %.\n"
                       "Scellé TROIS : sept sachets contenant au total 6,20 g de cocaïne, pureté 64 %."],
    "D10_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Nolan BRIQUET, qui déclare :\n"
                "Question : Quel était votre rôle ?\n"
                "Réponse : Je faisais le guet pour eux, ils me donnaient quatre-vingts euros par jour.\n"
                "Question : Qui gardait la drogue ?\n"
                "Réponse : C'est Sofiane qui gardait la marchandise chez lui, moi je ne touchais jamais au stock.\n"
                "Question : Combien rapportait le point ?\n"
                "Réponse : Le point faisait à peu près six mille huit cents euros par semaine, c'est Sofiane qui "
                "comptait."],
    "D11_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Sofiane KERDAL, qui déclare :\n"
                "Question : Que faisiez-vous le 10 mars après-midi ?\n"
                "Réponse : Le 10 mars j'étais au travail toute la journée, à l'entrepôt de Bonneuil, je n'ai pas "
                "mis les pieds à la cité.\n"
                "Question : La ligne 07 68 21 44 90 est-elle la vôtre ?\n"
                "Réponse : Non, ce n'est pas ma ligne, je ne connais pas ce numéro.\n"
                "Question : D'où vient l'argent du coffre ?\n"
                "Réponse : L'argent du coffre, ce sont mes économies, j'ai travaillé deux ans en intérim."],
    "D12_synthese": ["RAPPORT DE SYNTHÈSE\nL'enquête a permis la découverte dans le coffre-fort de la chambre de "
                     "M. KERDAL d'une somme de 13 450 euros en numéraire."],
    "D13_ipc": ["PROCÈS-VERBAL D'INTERROGATOIRE DE PREMIÈRE COMPARUTION\nDevant nous, juge d'instruction, comparaît "
                "M. Nolan BRIQUET, mis en examen, qui déclare :\n"
                "Réponse : Je touchais cinquante euros la journée, pas plus, pour surveiller l'entrée."],
    "D14_interrogatoire": ["PROCÈS-VERBAL D'INTERROGATOIRE\nDevant nous, juge d'instruction, comparaît M. Sofiane "
                           "KERDAL, mis en examen, qui déclare :\n"
                           "Réponse : Oui, la ligne en 07 68 c'est la mienne, je l'utilisais pour le travail.\n"
                           "Réponse : Je reconnais que l'argent du coffre vient de la vente de résine."],
    "D15_confrontation": ["PROCÈS-VERBAL DE CONFRONTATION\nEntre M. Sofiane KERDAL, mis en examen, et M. Nolan "
                          "BRIQUET, mis en examen.\n"
                          "Réponse de M. KERDAL : C'est Nolan qui gardait le stock dans la cave de sa grand-mère.\n"
                          "Réponse de M. KERDAL : La recette, c'était 8 600 euros la semaine, pas plus."],
    "D16_ordonnance": ["ORDONNANCE DE PLACEMENT EN DÉTENTION PROVISOIRE\nAttendu que M. Sofiane KERDAL a été "
                       "interpellé le 18 mars 2026 à son domicile, et qu'il a été mis en examen le 19 mars 2026 ;"],
}


def _found(pieces: dict[str, list[str]]):
    """What the drafts show: the contradictions of the kept sentences, and the figures a decision copied wrongly."""
    from generation.copies import all_contradictions
    from generation.evidence import analyse_dossier

    catalog = _Catalog(pieces)
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    return all_contradictions(analyse_dossier(catalog, "d"), pages)


def _summary(found) -> set[tuple[str, frozenset]]:
    """(kind, {(cote, value)}) of each contradiction, the value as the draft writes it, normalised."""
    from generation.contradictions import value_text

    return {(c.kind, frozenset((m.item.citation.cote, normalize_for_verify(value_text(m))) for m in (c.a, c.b)))
            for c in found}


def _has(summary, kind: str, *sides: tuple[str, str]) -> bool:
    want = {(cote, normalize_for_verify(v)) for cote, v in sides}
    return any(k == kind and all(any(c == cote and v in got for c, got in pair) for cote, v in want)
               for k, pair in summary)


def _pairs_of_cotes(found) -> set[frozenset]:
    return {frozenset((c.a.item.citation.cote, c.b.item.citation.cote)) for c in found}


def test_trafficking_file_every_class_found_with_both_sides_cited():
    found = _found(STUPS)
    s = _summary(found)
    assert _has(s, "poids", ("D3", "248"), ("D9", "212.4")), "weight: PV de saisie against the laboratory"
    assert _has(s, "date", ("D2", "17 mars 2026"), ("D16", "18 mars 2026")), "date of the arrest"
    assert _has(s, "vehicule", ("D5", "208"), ("D6", "C3")), "model of the vehicle"
    assert _has(s, "vehicule", ("D5", "blanche"), ("D6", "grise")), "colour of the vehicle, shown with its model"
    assert not _has(s, "couleur", ("D5", "blanche"), ("D6", "grise")), "one vehicle told otherwise: one point"
    assert _has(s, "personnes", ("D5", "2"), ("D6", "4")), "number of lookouts"
    assert _has(s, "montant", ("D10", "80"), ("D13", "50")), "daily pay at two stages"
    assert _has(s, "montant", ("D10", "6800"), ("D15", "8600")), "weekly receipts by two persons"
    assert _has(s, "montant", ("D3", "14350"), ("D12", "13450")), "sum in the safe in two pieces"
    assert _has(s, "auteur", ("D10", "Sofiane"), ("D15", "Nolan")), "who held the stock"
    assert _pairs_of_cotes([c for c in found if c.kind == "ligne"]) == {frozenset({"D11", "D14"})}, "phone line"
    assert _pairs_of_cotes([c for c in found if c.kind == "origine"]) == {frozenset({"D11", "D14"})}, "money origin"
    assert frozenset({"D11", "D7"}) in _pairs_of_cotes([c for c in found if c.kind == "presence"]), \
        "his timeline against the surveillance"


def test_trafficking_file_near_misses_are_not_contradictions():
    found = _found(STUPS)
    s = _summary(found)
    assert not _has(s, "poids", ("D3", "6.2"), ("D9", "6.20")), "6,2 g and 6,20 g are one weight"
    assert not any(k == "poids" and {v for _, v in pair} & {"6.2 g", "6.20 g"} and
                   {v for _, v in pair} & {"248 g", "212.4 g"} for k, pair in s), "cocaine is not the resin"
    assert not any(k == "personnes" and any("10" in v for _, v in pair) for k, pair in s), \
        "ten customers are not the lookouts"
    assert not any(k == "montant" and {c for c, _ in pair} == {"D10"} for k, pair in s)
    assert not any(k == "montant" and any(v.startswith("80 ") for _, v in pair) and any(v.startswith("6800 ")
                                                                                    for _, v in pair)
                   for k, pair in s), "a pay per day is not the receipts per week"
    assert not any(k == "date" and any("19 mars" in v for _, v in pair) for k, pair in s), \
        "the mise en examen is another event than the arrest"
    # precision: every contradiction found is one the file holds
    allowed = {"poids", "date", "vehicule", "couleur", "personnes", "montant", "auteur", "ligne", "origine",
               "presence"}
    assert {c.kind for c in found} <= allowed, {(c.kind, value_text_pair(c)) for c in found}
    assert len(found) <= 13, [(c.kind, value_text_pair(c)) for c in found]


def value_text_pair(c) -> tuple[str, str]:
    from generation.contradictions import value_text

    return value_text(c.a), value_text(c.b)


def test_same_facts_told_twice_in_other_words_are_no_contradiction():
    found = _found({
        "D5_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Lucienne VARAINE, qui déclare :\n"
                      "Réponse : Il est parti dans une Renault Clio noire, il y avait trois guetteurs.\n"
                      "Réponse : Le point faisait environ 7 000 euros par semaine."],
        "D6_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Gaston PRUDHOMME, qui déclare :\n"
                      "Réponse : C'était une Clio de couleur noire. J'ai vu trois jeunes qui faisaient le guet.\n"
                      "Réponse : Ils encaissaient 6 800 euros par semaine d'après ce qu'on disait."],
        "D10_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Nolan BRIQUET, qui "
                    "déclare :\nRéponse : Ils me payaient quatre-vingts euros par jour. L'argent, ce sont mes "
                    "économies de chantier. Oui, cette ligne est bien la mienne."],
        "D13_ipc": ["PROCÈS-VERBAL D'INTERROGATOIRE DE PREMIÈRE COMPARUTION\nDevant nous, juge d'instruction, "
                    "comparaît M. Nolan BRIQUET, mis en examen, qui déclare :\n"
                    "Réponse : Je touchais 80 euros la journée. Cet argent vient de mes économies. La ligne en 06 "
                    "est à moi, je l'ai toujours dit."],
    })
    assert found == [], [(c.kind, value_text_pair(c)) for c in found]


def test_rounding_is_no_contradiction_and_a_provisional_then_final_itt_is_shown_as_an_evolution():
    found = _found({
        "D2_plainte": ["PROCÈS-VERBAL DE PLAINTE\nNous recevons la plainte de Mme Hélène CORBIÈRE, qui déclare :\n"
                       "Réponse : Ils m'ont volé environ 2 000 euros qui étaient dans mon sac à main."],
        "D3_certificat": ["CERTIFICAT MÉDICAL INITIAL — UNITÉ MÉDICO-JUDICIAIRE\nLes lésions constatées entraînent "
                          "une incapacité totale de travail de six (6) jours, à titre provisoire, sous réserve de "
                          "complications."],
        "D8_perquisition": ["PROCÈS-VERBAL DE PERQUISITION\nDans le sac de sport, découvrons la somme de 1 980 euros "
                            "en billets. Plaçons sous scellé n° UN.\nDans la boîte aux lettres, découvrons une "
                            "enveloppe contenant 1 870 euros. Plaçons sous scellé n° DEUX."],
        "D9_audition": ["PROCÈS-VERBAL D'AUDITION DE VICTIME\nNous entendons Mme Hélène CORBIÈRE, qui déclare :\n"
                        "Réponse : Dans l'enveloppe il y avait 1 780 euros, je les avais comptés la veille."],
        "D12_expertise": ["RAPPORT D'EXPERTISE MÉDICO-LÉGALE\nAu terme de l'examen, l'incapacité totale de travail "
                          "est fixée, à titre définitif, à dix (10) jours."],
    })
    s = _summary(found)
    assert not _has(s, "montant", ("D2", "2000"), ("D8", "1980")), "« environ 2 000 » is 1 980"
    assert _has(s, "montant", ("D8", "1870"), ("D9", "1780")), "1 870 against 1 780 is a contradiction"
    itt = [c for c in found if c.kind == "itt"]
    assert len(itt) == 1 and _has(_summary(itt), "itt", ("D3", "6"), ("D12", "10"))
    assert "évolution" in itt[0].label.lower() and "provisoire" in itt[0].label.lower()


def test_the_section_shows_both_sides_on_one_line_citing_both_pages():
    from generation.evidence import analyse_dossier
    from generation.plans import plan

    catalog = _Catalog(STUPS)
    analysis = analyse_dossier(catalog, "d")
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    section = next(s for s in plan("synthese", analysis, 1200, pages) if s.title == "Points de contradiction")
    lines = [(normalize_for_verify(ln.text), {c.cote for c in ln.citations}) for ln in section.lines]
    weight = [cotes for t, cotes in lines if "248" in t and "212.4" in t]
    assert weight and weight[0] >= {"D3", "D9"}, lines
    safe = [cotes for t, cotes in lines if "14350" in t and "13450" in t]
    assert safe and safe[0] >= {"D3", "D12"}, lines
    assert all(" contre " in t for t, _ in lines), "each point on one line, its versions joined by « contre »"
    assert sum(len(t.split()) for t, _ in lines) <= 400


def test_precision_counts_each_shown_point_against_the_annotation_by_content():
    from evals.metrics import contradiction_points, contradictions_precision

    gold = [{"a": {"cote": "D3", "value": "248 g"}, "b": {"cote": "D9", "value": "212,4 g"}}]
    right = [("Poids : 248 g (perquisition : « … 248 grammes … »)", [("D3", 1)]),
             ("Contre 212,4 g (laboratoire : « … 212,4 g … »)", [("D9", 1)])]
    noise = [("Montant : 80 € par jour (en garde à vue : « … »)", [("D10", 1)]),
             ("Contre 50 € par jour (en première comparution : « … »)", [("D13", 1)])]
    assert len(contradiction_points(right + noise)) == 2
    assert contradictions_precision(gold, right + noise) == 0.5
    assert contradictions_precision(gold, right) == 1.0
    assert contradictions_precision(gold, noise) == 0.0
    assert contradictions_precision(gold, []) is None, "nothing shown: nothing to measure, not a precision of 0"
    wrong_cote = [right[0], ("Contre 212,4 g (laboratoire)", [("D8", 1)])]
    assert contradictions_precision(gold, wrong_cote) == 0.0, "each side cited to its own cote"


# Other wordings of the same classes (a second author's way of writing), with near-misses.
STUPS2 = {
    "D4_interpellation": ["PROCÈS-VERBAL D'INTERPELLATION\nNous, Aline TERRASSE, Brigadier-chef, agissant en flagrant "
                          "délit, constatons la présence de M. Yacine OUDAHAR au pied de la tour 7.\nM. Yacine OUDAHAR "
                          "est interpellé le mardi 3 avril 2026 à 17 h 40, porteur d'une sacoche noire."],
    "D5_saisie": ["PROCÈS-VERBAL DE SAISIE\nDans la sacoche, découvrons une plaquette de résine de cannabis pesant "
                  "quatre-vingt-dix-huit grammes et cinq décigrammes, soit 98,5 g, ainsi qu'un sachet d'herbe de 1,2 kg "
                  "retrouvé dans le coffre du scooter.\nPlaçons le tout sous scellés n° 1 et n° 2."],
    "D6_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Odette KERVERN, qui déclare :\n"
                  "Réponse : J'ai vu trois choufs sur le parking, ils criaient à chaque passage de voiture.\n"
                  "Réponse : Celui qui commandait est parti dans une Renault Mégane noire."],
    "D7_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Hervé LACHAUD, qui déclare :\n"
                  "Réponse : Ils n'étaient que deux à faire le guet, j'en suis sûr.\n"
                  "Réponse : Le responsable est reparti au volant d'une Audi A3 de couleur noire."],
    "D8_surveillance": ["PROCÈS-VERBAL DE SURVEILLANCE\nÀ 14 h 10, l'équipe de surveillance aperçoit Yacine OUDAHAR "
                        "sur le point de vente, échangeant un objet contre des billets."],
    "D9_expertise": ["RAPPORT D'EXPERTISE TOXICOLOGIQUE\nLe scellé n° 1 contient une résine de cannabis d'une masse "
                     "de 91,3 g ; le scellé n° 2 contient 1 180 grammes d'herbe de cannabis."],
    "D10_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Yacine OUDAHAR, qui déclare :\n"
                "Question : Où étiez-vous le 2 avril entre 13 heures et 16 heures ?\n"
                "Réponse : Je ne suis pas sorti de chez moi de la journée, j'étais malade.\n"
                "Question : Utilisez-vous le numéro 06 51 22 87 10 ?\n"
                "Réponse : Ce numéro, je ne l'ai jamais utilisé.\n"
                "Question : Combien gagniez-vous ?\n"
                "Réponse : On me donnait 60 euros la journée.\n"
                "Question : Qui gardait la drogue ?\n"
                "Réponse : Bilal gardait tout chez sa tante, moi je vendais seulement."],
    "D11_ipc": ["PROCÈS-VERBAL D'INTERROGATOIRE DE PREMIÈRE COMPARUTION\nDevant nous, juge d'instruction, comparaît "
                "M. Yacine OUDAHAR, mis en examen, qui déclare :\n"
                "Réponse : Je reconnais être l'utilisateur de la ligne en 06 51, c'est mon deuxième téléphone.\n"
                "Réponse : J'étais payé cent euros par jour, pas soixante.\n"
                "Réponse : Le chiffre de la semaine tournait autour de 5 000 euros.\n"
                "Réponse : Ces billets proviennent de la vente de ma voiture."],
    "D12_confrontation": ["PROCÈS-VERBAL DE CONFRONTATION\nEntre M. Yacine OUDAHAR, mis en examen, et M. Bilal "
                          "ZERROUKI, mis en examen.\n"
                          "Réponse de M. ZERROUKI : C'est Yacine qui gardait le stock dans son garage.\n"
                          "Réponse de M. ZERROUKI : Le point faisait environ 9 000 € par semaine.\n"
                          "Réponse de M. OUDAHAR : C'est l'argent du deal, je l'avoue, celui de la voiture c'était "
                          "faux."],
    "D13_ordonnance": ["ORDONNANCE DE PLACEMENT EN DÉTENTION PROVISOIRE\nAttendu que M. Yacine OUDAHAR, arrêté le 4 "
                       "avril 2026, a été trouvé porteur de résine de cannabis ;"],
}


def test_other_wordings_of_the_same_classes_are_found():
    found = _found(STUPS2)
    s = _summary(found)
    assert _has(s, "poids", ("D5", "98.5"), ("D9", "91.3")), "resin: PV de saisie against the expert"
    assert not any(k == "poids" and any("1180" in v.replace("\u202f", "") for _, v in pair) for k, pair in s), \
        "1,2 kg is 1 180 g to its written precision"
    assert _has(s, "date", ("D4", "3 avril 2026"), ("D13", "4 avril 2026")), "date of the arrest"
    assert _has(s, "personnes", ("D6", "3"), ("D7", "2")), "lookouts: « choufs » against « deux à faire le guet »"
    assert _has(s, "vehicule", ("D6", "Mégane"), ("D7", "A3")), "make and model"
    assert not any(k == "couleur" for k, _ in s), "both say black"
    assert frozenset({"D10", "D8"}) in _pairs_of_cotes([c for c in found if c.kind == "presence"])
    assert _pairs_of_cotes([c for c in found if c.kind == "ligne"]) == {frozenset({"D10", "D11"})}
    assert _has(s, "montant", ("D10", "60"), ("D11", "100")), "pay per day at two stages"
    assert _has(s, "montant", ("D11", "5000"), ("D12", "9000")), "weekly takings by two persons"
    assert _has(s, "auteur", ("D10", "Bilal"), ("D12", "Yacine")), "who held the stock"
    assert frozenset({"D11", "D12"}) in _pairs_of_cotes([c for c in found if c.kind == "origine"])


def test_a_time_told_against_the_surveillance_and_the_stock_keeper_named_by_his_role():
    found = _found({
        "D3_surveillance": ["PROCÈS-VERBAL DE SURVEILLANCE\nÀ 15 h 20, le dispositif aperçoit Karim MESSAOUDI arriver "
                            "au volant d'un scooter au pied du bâtiment B.\nÀ 15 h 45, un individu non identifié "
                            "arrive à pied."],
        "D6_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Karim MESSAOUDI, qui "
                   "déclare :\nRéponse : Je suis arrivé à la cité vers 18 heures, pas avant, j'étais au travail.\n"
                   "Réponse : La nourrice, c'était Farid, il gardait tout dans sa cave."],
        "D9_confrontation": ["PROCÈS-VERBAL DE CONFRONTATION\nEntre M. Karim MESSAOUDI, mis en examen, et M. Farid "
                             "BENCHIKH, mis en examen.\nRéponse de M. BENCHIKH : C'était Karim la nourrice, pas moi, "
                             "je ne faisais que livrer."],
    })
    times = [c for c in found if c.kind == "heure"]
    assert _pairs_of_cotes(times) == {frozenset({"D3", "D6"})}, "18 h told against 15 h 20 seen, not the unknown man"
    assert {value_text_pair(c) for c in times} in ({("15 h 20", "18 h")}, {("18 h", "15 h 20")})
    who = [c for c in found if c.kind == "auteur"]
    assert who and _pairs_of_cotes(who) == {frozenset({"D6", "D9"})}


def test_a_weighing_without_its_substance_and_a_make_then_model_are_read_from_their_piece():
    found = _found({
        "D2_saisie": ["PROCÈS-VERBAL DE PERQUISITION ET DE SAISIE\nDans le tiroir, découvrons un sachet de cocaïne.\n"
                      "Pesée effectuée : 48,7 g. Plaçons sous scellé n° 4."],
        "D5_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons M. Luc VIGUIER, qui déclare :\n"
                      "Réponse : Le véhicule était de marque Volkswagen, modèle Polo, de couleur blanche."],
        "D6_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Rose ALLIOT, qui déclare :\n"
                      "Réponse : C'était une Toyota Yaris blanche, j'en suis sûre, ils me payaient 50 balles par jour."],
        "D8_laboratoire": ["RAPPORT D'ANALYSE\nLe scellé n° 4 renferme 41,9 g de poudre blanche contenant de la "
                           "cocaïne."],
    })
    s = _summary(found)
    assert _has(s, "poids", ("D2", "48.7"), ("D8", "41.9"))
    assert _has(s, "vehicule", ("D5", "Volkswagen Polo"), ("D6", "Toyota Yaris"))
    assert not any(k == "couleur" for k, _ in s)


def test_a_trafficking_file_without_contradiction_shows_none():
    """Different persons' pay, two vehicles told apart by their plates, two substances, events on their own days,
    several sums seized in one search, a price per gram: nothing to contradict."""
    found = _found({
        "D2_interpellation": ["PROCÈS-VERBAL D'INTERPELLATION\nLe 9 mai 2026 à 6 h 05, procédons à l'interpellation de "
                              "M. Samir HADDOU à son domicile.\nLe 10 mai 2026 à 7 h 00, procédons à l'interpellation "
                              "de M. Théo MARCHAL à son domicile."],
        "D3_perquisition": ["PROCÈS-VERBAL DE PERQUISITION\nDans le placard, découvrons 312 grammes de résine de "
                            "cannabis. Dans la boîte à chaussures, découvrons 14 grammes de cocaïne. Dans la veste, "
                            "découvrons la somme de 2 450 euros. Dans le tiroir, découvrons la somme de 780 euros."],
        "D4_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Agnès POIRET, qui déclare :\n"
                      "Réponse : Le matin il y avait une Clio blanche immatriculée GH-412-KL, le soir une Golf grise "
                      "immatriculée FT-908-AA.\nRéponse : Le gramme se vendait 10 euros."],
        "D5_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Samir HADDOU, qui déclare :\n"
                   "Réponse : Moi je touchais 100 euros par jour comme vendeur.\n"
                   "Réponse : Je suis placé en garde à vue depuis 6 h 05, je veux voir mon avocat."],
        "D6_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Théo MARCHAL, qui déclare :\n"
                   "Réponse : Moi j'étais guetteur, on me donnait 50 euros par jour, c'est tout."],
        "D7_laboratoire": ["RAPPORT D'ANALYSE\nLa résine de cannabis pèse 312 grammes ; la cocaïne pèse 14 grammes, "
                           "teneur 71 %."],
        "D8_ordonnance": ["ORDONNANCE DE PLACEMENT EN DÉTENTION PROVISOIRE\nAttendu que M. Samir HADDOU a été "
                          "interpellé le 9 mai 2026 et M. Théo MARCHAL le 10 mai 2026 ;"],
    })
    assert found == [], [(c.kind, value_text_pair(c), c.a.item.citation.cote, c.b.item.citation.cote) for c in found]
