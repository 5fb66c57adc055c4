"""Réquisitions JLD and réquisitoire définitif on a dossier written for these tests (thefts of copper cable, two
mis en examen — one put before the JLD, one under contrôle judiciaire — and a minor lookout whose case went to the
juge des enfants). The wording is this file's own."""
from __future__ import annotations

from tests.analysis_catalog import PiecesCatalog

_OPJ = "L'an deux mille vingt-six, le {day}, à {hour}, Nous, Brigadier-chef Rémi CASTEL, officier de police judiciaire, "

CUIVRE = {
    "D1_plainte": ["PROCÈS-VERBAL DE PLAINTE\n" + _OPJ.format(day="deux mai", hour="huit heures") +
                   "recevons la plainte de M. Gilles ARMAND, gérant de la société ARMAND MÉTAUX, qui déclare :\n"
                   "Réponse : Cette nuit on m'a volé deux tonnes de câbles de cuivre dans le dépôt de Saint-Flour, "
                   "le préjudice est d'environ 14 000 euros."],
    "D2_surveillance": ["PROCÈS-VERBAL DE SURVEILLANCE\n" + _OPJ.format(day="neuf mai", hour="une heure") +
                        "nous postons aux abords du dépôt.\nÀ 2 h 10, observons Dylan FOURCADE charger des bobines de "
                        "câble dans une camionnette Renault Master immatriculée GT-215-RB.\nDont procès-verbal."],
    "D3_temoin": ["PROCÈS-VERBAL D'AUDITION DE TÉMOIN\nNous entendons Mme Sylvie NOYER, gardienne du dépôt, qui "
                  "déclare :\nRéponse : J'ai reconnu Dylan FOURCADE, il vient souvent la nuit avec sa camionnette.\n"
                  "Réponse : J'ai peur qu'il revienne, il m'a dit qu'il savait où j'habitais et que je devais me taire."],
    "D4_perquisition": ["PROCÈS-VERBAL DE PERQUISITION\n" + _OPJ.format(day="dix mai", hour="six heures") +
                        "procédons à la perquisition du domicile de M. Dylan FOURCADE en sa présence.\n"
                        "Dans le garage de Dylan FOURCADE, découvrons 640 kilogrammes de câbles de cuivre dénudés et "
                        "une pince coupante. Plaçons sous scellé n° 1.\n"
                        "Dans la chambre, découvrons la somme de 3 250 euros en billets. Plaçons sous scellé n° 2."],
    "D5_telephonie": ["PROCÈS-VERBAL D'EXPLOITATION DE LA TÉLÉPHONIE\nDu 1er au 30 avril 2026, nous dénombrons 96 "
                      "contacts entre la ligne de Dylan FOURCADE et celle de Kévin LESAGE, dont 14 la nuit du vol."],
    "D6_gav": ["PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE\nNous entendons M. Dylan FOURCADE, qui déclare :\n"
               "Question : Que faisiez-vous au dépôt ?\n"
               "Réponse : Je reconnais avoir chargé les bobines dans la camionnette, c'est Kévin qui me les "
               "rachetait.\nQuestion : Avez-vous menacé la gardienne ?\n"
               "Réponse : Non, je n'ai jamais menacé cette dame, je ne lui ai jamais parlé.\n"
               "Observations de l'avocat : Me Hélène PRADEL fait observer que son client travaille en intérim."],
    "D7_mineur": ["PROCÈS-VERBAL D'AUDITION DE MINEUR GARDÉ À VUE\nEntendons Théo MARTY, né le 3 mai 2011 à Aurillac, "
                  "collégien, qui déclare :\nRéponse : Je faisais le guet à l'entrée du dépôt, Dylan me donnait "
                  "cinquante euros."],
    "D8_ipc": ["PROCÈS-VERBAL D'INTERROGATOIRE DE PREMIÈRE COMPARUTION\nDevant nous, juge d'instruction, comparaît "
               "M. Dylan FOURCADE, né le 12 juin 1995 à Aurillac.\nL'avons mis en examen des chefs de :\n"
               "— vol en réunion et avec effraction au préjudice de la société ARMAND MÉTAUX, commis à Saint-Flour "
               "dans la nuit du 1er au 2 mai 2026 ;\n"
               "— association de malfaiteurs en vue de la préparation de délits ;\n"
               "— recel de biens provenant d'un vol.\n"
               "Réponse : C'est vrai que j'ai pris le cuivre, mais je ne suis pas le chef."],
    "D9_ipc": ["PROCÈS-VERBAL D'INTERROGATOIRE DE PREMIÈRE COMPARUTION\nDevant nous, juge d'instruction, comparaît "
               "M. Kévin LESAGE, né le 2 février 1990 à Murat.\nL'avons mis en examen du chef de recel de biens "
               "provenant d'un vol, et de blanchiment.\nRéponse : Je rachetais de la ferraille, je ne savais pas que "
               "c'était volé."],
    "D10_cj": ["ORDONNANCE DE PLACEMENT SOUS CONTRÔLE JUDICIAIRE\nVu l'information suivie contre LESAGE Kévin, mis en "
               "examen ;\nOrdonnons le placement sous contrôle judiciaire de M. Kévin LESAGE avec obligation de "
               "pointer chaque mardi à la brigade de Murat."],
    "D11_rapport": ["RAPPORT DE LA CELLULE D'IDENTIFICATION CRIMINELLE\nLes traces relevées sur la pince coupante "
                    "n'ont pas encore été exploitées ; l'analyse des traces est toujours en cours.\nLe troisième homme "
                    "vu sur les lieux n'a pas été identifié à ce jour."],
    "B1_casier": ["CASIER JUDICIAIRE NATIONAL\nBULLETIN N° 1\nRelevé des condamnations concernant FOURCADE Dylan, né le "
                  "12/06/1995\nNombre de condamnations : 2\nCondamnation n° 1\nDate : 04/03/2021\nInfraction : vol "
                  "aggravé\nPeine : 6 mois d'emprisonnement avec sursis\nCondamnation n° 2\nDate : 19/09/2023\n"
                  "Infraction : recel de vol\nPeine : 8 mois d'emprisonnement\n"],
    "C1_personnalite": ["RAPPORT D'ENQUÊTE DE PERSONNALITÉ\nConcernant M. Dylan FOURCADE.\nIl est sans emploi depuis "
                        "2024 et sans domicile fixe depuis sa séparation.\nIl déclare vouloir partir travailler en "
                        "Espagne."],
}


def _analysed():
    from generation.evidence import analyse_dossier

    catalog = PiecesCatalog(CUIVRE)
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    return analyse_dossier(catalog, "d"), pages


def test_the_jld_is_asked_about_the_adult_mis_en_examen_not_the_one_under_cj_nor_the_minor():
    from generation.charges import mis_en_examen
    from generation.detention import subjects

    analysis, pages = _analysed()
    accused = {a.surname: a for a in mis_en_examen(analysis, pages)}
    assert set(accused) == {"FOURCADE", "LESAGE"}, "the minor heard in garde à vue is not mis en examen"
    assert accused["LESAGE"].under_cj and not accused["FOURCADE"].under_cj
    people, note = subjects(analysis, pages)
    assert [p.surname for p in people] == ["FOURCADE"] and not note


def test_chefs_are_read_from_a_list_after_des_chefs_de_and_inline_after_du_chef_de():
    from generation.charges import mis_en_examen

    analysis, pages = _analysed()
    accused = {a.surname: a for a in mis_en_examen(analysis, pages)}
    listed = [c for c, _ in accused["FOURCADE"].chefs]
    assert len(listed) == 3 and listed[0].startswith("vol en réunion et avec effraction") and "2 mai 2026" in listed[0]
    assert listed[1].startswith("association de malfaiteurs") and listed[2] == "recel de biens provenant d'un vol"
    assert {c.cote for _, c in accused["FOURCADE"].chefs} == {"D8"}
    assert [c for c, _ in accused["LESAGE"].chefs] == ["recel de biens provenant d'un vol", "blanchiment"]


def _detention():
    from generation.plans import plan

    analysis, pages = _analysed()
    return plan("detention", analysis, 1400, pages), pages


def _cotes(section) -> set[str]:
    return {c.cote for ln in section.lines for c in ln.citations}


def test_each_ground_of_article_144_holds_only_the_evidence_relevant_to_it():
    from generation.verifier import verify

    sections, pages = _detention()
    grounds = {s.title.split(" — ")[1][:2]: s for s in sections if s.title.startswith("IV. Article 144 CPP")}
    assert list(grounds) == ["1°", "2°", "3°", "4°", "5°", "6°", "7°"]
    assert _cotes(grounds["1°"]) == {"D11"}, "what is still to be analysed or identified"
    assert _cotes(grounds["2°"]) == {"D3"} and any("peur" in ln.text for ln in grounds["2°"].lines)
    assert "D5" in _cotes(grounds["3°"]), "his contacts with the co-mis en examen"
    assert _cotes(grounds["5°"]) == {"C1"} and any("sans domicile" in ln.text for ln in grounds["5°"].lines)
    record = grounds["6°"].lines[0]
    assert record.citations[0].cote == "B1" and "04/03/2021" in record.text and "19/09/2023" in record.text
    assert not grounds["4°"].lines and "compléter" in grounds["4°"].placeholder
    assert not grounds["7°"].lines and "Sans objet" in grounds["7°"].placeholder, "public order: crimes only"
    for s in sections:
        for ln in s.lines:
            assert verify(ln.text, [pages[(c.cote, c.page)] for c in ln.citations], 0.5).status == "supported"


def test_the_indices_are_his_admission_and_the_results_never_his_denial_nor_his_lawyer():
    sections, _ = _detention()
    titles = [s.title for s in sections]
    assert titles[0] == "I. Les faits et leur qualification" and "II. Indices graves ou concordants" in titles
    facts = sections[0].lines
    assert facts[0].citations[0].cote == "D8" and "recel de biens provenant d'un vol" in facts[0].text
    indices = next(s for s in sections if s.title.startswith("II."))
    texts = " ".join(ln.text for ln in indices.lines)
    assert {"D2", "D4", "D6"} <= _cotes(indices), indices.lines
    assert "Je reconnais avoir chargé les bobines" in texts and "640 kilogrammes" in texts
    assert "jamais menacé" not in texts and "PRADEL" not in texts and "intérim" not in texts
    assert "MARTY" not in " ".join(s.title for s in sections), "the minor is no subject of the request"
    assert "FOURCADE" in sections[-1].placeholder and "LESAGE" not in sections[-1].placeholder


def test_the_requisitoire_discusses_each_mis_en_examen_chef_by_chef_and_only_his_favour_as_decharge():
    from generation.plans import plan

    analysis, pages = _analysed()
    sections = plan("requisitoire", analysis, 2800, pages)
    titles = [s.title for s in sections]
    chefs = [t for t in titles if "FOURCADE" in t and "chef n°" in t]
    assert len(chefs) == 3 and chefs[0].endswith(": éléments à charge")
    assert any("LESAGE — chef n° 2 : blanchiment" in t for t in titles)
    assert not any("MARTY" in t for t in titles), "the minor was never mis en examen"
    theft = next(s for s in sections if s.title == chefs[0])
    assert "D2" in _cotes(theft) or "D4" in _cotes(theft)
    decharge = next(s for s in sections if "FOURCADE" in s.title and "décharge" in s.title)
    said = " ".join(ln.text for ln in decharge.lines)
    assert "jamais menacé" in said, "his denial is in his favour"
    assert "peur" not in said and "PRADEL" not in said
    acts = next(s for s in sections if s.title.startswith("II.")).lines
    assert any("FOURCADE est mis en examen des chefs de" in ln.text for ln in acts)
    motifs = sections[-1]
    assert [ln.citations[0].cote for ln in motifs.lines] == ["D8", "D8", "D8", "D9", "D9"]


def test_the_sentences_the_map_step_left_out_of_a_long_search_are_read_from_its_pages():
    from generation.detention import with_page_sentences
    from generation.evidence import analyse_dossier

    rooms = ["la cuisine", "le salon", "la chambre", "le garage", "la cave", "le grenier", "la salle de bains",
             "le couloir", "la buanderie", "le bureau", "l'entrée", "la véranda", "l'abri de jardin", "le débarras",
             "la mezzanine", "le cellier"]
    seized = [f"Dans {room}, découvrons {n + 2} bobines de câble de cuivre de {10 * (n + 1)} mètres. Plaçons sous "
              f"scellé n° {n + 1}." for n, room in enumerate(rooms)]
    text = ("PROCÈS-VERBAL DE PERQUISITION\n" + _OPJ.format(day="dix mai", hour="six heures") + "procédons à la "
            "perquisition du domicile de M. Dylan FOURCADE.\n" + "\n".join(seized))
    catalog = PiecesCatalog({"D4_perquisition": [text]})
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    analysis = analyse_dossier(catalog, "d")
    kept = [it for it in analysis.items if it.category == "resultat"]
    items = with_page_sentences(analysis, pages)
    assert len(kept) < len(rooms) <= len([it for it in items if "bobines" in it.text]), "every seizure is there"
    assert not any(it.text.startswith("L'an deux mille") for it in items[len(analysis.items):])


def test_chefs_are_read_whatever_the_judge_s_wording():
    from generation.charges import chefs_in

    assert chefs_in("L'avons mis en examen des chefs suivants :\n1°) escroquerie en bande organisée au préjudice de "
                    "la caisse d'allocations familiales ;\n2°) blanchiment du produit de cette escroquerie.\n"
                    "Lecture faite") == ["escroquerie en bande organisée au préjudice de la caisse d'allocations "
                                         "familiales", "blanchiment du produit de cette escroquerie"]
    assert chefs_in("Nous l'avons mis en examen pour vol avec violences ayant entraîné une incapacité totale de "
                    "travail supérieure à huit jours et pour recel de ce vol.") == [
        "vol avec violences ayant entraîné une incapacité totale de travail supérieure à huit jours", "recel de ce vol"]
    assert chefs_in("Informer contre M. Paul ROCHE des chefs de :\n- abus de confiance au préjudice de l'association "
                    "Les Amis du Rail,\n  faits commis à Tulle courant 2025 ;\n- faux et usage de faux.\n\nFait au "
                    "parquet") == ["abus de confiance au préjudice de l'association Les Amis du Rail, faits commis à "
                                   "Tulle courant 2025", "faux et usage de faux"]
    assert chefs_in("Le témoin a vu deux hommes partir en courant.") == []
