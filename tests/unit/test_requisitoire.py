"""The réquisitoire définitif argues the case: acts in order, per mis en examen charges and what is in his favour, the
B1 as a count and a list, and the choice left to the magistrate per person and chef. Pure code over page texts."""
from __future__ import annotations

import re

from tests.unit.test_drafting_analysis import _dev_catalog

_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
           "décembre"]


def _planned():
    from generation.evidence import analyse_dossier
    from generation.plans import plan

    catalog = _dev_catalog()
    analysis = analyse_dossier(catalog, "d")
    pages = {(c.cote, c.page): c.text for cs in catalog._chunks.values() for c in cs}
    return plan("requisitoire", analysis, 2800, pages), pages


def test_requisitoire_sections_argue_per_mis_en_examen_and_end_with_the_choice_per_chef():
    from generation.verifier import verify

    sections, pages = _planned()
    titles = [s.title for s in sections]
    assert titles[:3] == ["I. Exposé des faits", "II. Déroulement de l'information",
                          "III. Discussion — Sur la matérialité des faits"]
    # the charges are argued chef by chef, the two chefs of his mise en examen (D11)
    person = [t for t in titles if t.endswith(": éléments à charge")]
    assert len(person) == 2 and all("LOURMEL — chef n°" in t for t in person), person
    order = [t.split(" — ")[0].split(" :")[0] for t in titles]
    assert order.index("IV. Personnalité et antécédents") > max(i for i, t in enumerate(titles) if "décharge" in t)
    # II: the acts in the order of their dates, never a file name
    acts = next(s for s in sections if s.title.startswith("II.")).lines
    days = []
    for ln in acts:
        m = re.match(r"(\d{1,2}) (\w+) (\d{4}) : ", ln.text)
        if m:
            days.append((int(m.group(3)), _MONTHS.index(m.group(2)) + 1, int(m.group(1))))
    assert len(days) >= 10 and days == sorted(days)
    assert not any(re.search(r"\.(txt|pdf)\b|piece_", ln.text) for ln in acts)
    # a decision says what it decided; its reasons retelling other pieces (« … (D8) ») are not repeated here
    assert not any(re.search(r"\([A-D]\d+", ln.text) for ln in acts)
    # the material facts name no mis en examen; the injuries are there
    material = next(s for s in sections if "matérialité" in s.title).lines
    assert material and not any("LOURMEL" in ln.text for ln in material)
    assert any({c.cote for c in ln.citations} & {"D3", "D13"} for ln in material)
    # à décharge: his words or a result that weakens a charge, never the victim's accusation
    decharge = next(s for s in sections if "décharge" in s.title).lines
    assert decharge and all(ln.item is None or ln.item.piece.kind not in ("plainte", "audition_victime")
                            for ln in decharge)
    assert any(ln.item and ln.item.person_key.startswith("LOURMEL") and ln.item.stance == "conteste"
               for ln in decharge)
    # PAR CES MOTIFS: one cited line per chef of his mise en examen (D11), then the choice left to the magistrate
    motifs = sections[-1]
    assert motifs.title == "PAR CES MOTIFS"
    assert len(motifs.lines) == 2 and all(ln.citations[0].cote == "D11" for ln in motifs.lines)
    assert any("vol avec violences" in ln.text for ln in motifs.lines)
    assert any("violences volontaires par ancien concubin" in ln.text for ln in motifs.lines)
    assert all(a in motifs.note for a in ("179", "177", "181"))
    # every line is the cited pages' own words
    for s in sections:
        for ln in s.lines:
            assert verify(ln.text, [pages[(c.cote, c.page)] for c in ln.citations], 0.5).status == "supported", ln.text


def test_the_b1_is_said_as_a_count_and_a_list_of_convictions():
    sections, _ = _planned()
    record = next(s for s in sections if s.title.startswith("IV.")).lines[0]
    assert record.citations[0].cote == "B1"
    assert "2 condamnations" in record.text
    assert "14 mai 2019" in record.text and "3 octobre 2022" in record.text
    assert "violences volontaires sur conjoint" in record.text and "conduite sous l'empire" in record.text


B1_TABLE = """CASIER JUDICIAIRE NATIONAL
BULLETIN N° 1 — RELEVÉ INTÉGRAL
Identité : SORGUES Félix, né le 02/02/1990 à Melun (77).
Nombre de condamnations : 3
Condamnation n° 1
Date : 10/01/2016 — Juridiction : tribunal correctionnel de Melun
Infraction : escroquerie, faits commis le 03/03/2015 à Melun (art. 313-1 C. pén.)
Peine : 6 mois d'emprisonnement avec sursis simple.
Condamnation n° 2
Date : 20/05/2019 — Juridiction : tribunal correctionnel de Fontainebleau
Infraction : recel de bien provenant d'un vol, faits commis le 01/02/2019 à Avon
Peine : 1 000 euros d'amende.
Condamnation n° 3
Date : 07/07/2021 — Juridiction : tribunal judiciaire de Melun
Infraction : usage illicite de stupéfiants — faits commis le 01/06/2021
Peine : 300 euros d'amende.
"""


def test_a_b1_with_labelled_fields_or_nothing_recorded():
    from core.models import Citation
    from generation.pieces import analyse_piece
    from generation.requisitoire import casier_line

    piece = analyse_piece("doc", "B3", "b1", [B1_TABLE])
    line = casier_line(piece, [(Citation(cote="B3", page=1), B1_TABLE)], "Félix SORGUES")
    assert line is not None and [c.cote for c in line.citations] == ["B3"]
    assert "Nombre de condamnations : 3" in line.text
    for day, offence, penalty in (("10/01/2016", "escroquerie", "6 mois"), ("20/05/2019", "recel", "1 000 euros"),
                                  ("07/07/2021", "usage illicite de stupéfiants", "300 euros")):
        assert day in line.text and offence in line.text and penalty in line.text
    assert "03/03/2015" not in line.text  # the date of the facts is not the date of the conviction
    nil = "CASIER JUDICIAIRE NATIONAL\nBULLETIN N° 1\nIdentité : VARENNE Lucie\nBulletin n° 1 : NÉANT\n"
    line = casier_line(analyse_piece("doc", "B4", "b1", [nil]), [(Citation(cote="B4", page=1), nil)], "Lucie VARENNE")
    assert line is not None and "NÉANT" in line.text and "Lucie VARENNE" in line.text


def test_chefs_are_read_from_the_decision_as_the_page_writes_them():
    from generation.requisitoire import offences

    assert offences("Mis en examen le 5 mars 2026 des chefs de vol en réunion avec violences ayant entraîné une ITT "
                    "dans un local d'habitation, vol par effraction et recel.") == [
        "vol en réunion avec violences ayant entraîné une ITT dans un local d'habitation", "vol par effraction",
        "recel"]
    assert offences("Le témoin a vu deux hommes.") == []


def test_his_own_account_is_discussed_and_what_tells_a_chef_weighs_more():
    from generation.requisitoire import _toward_the_chefs

    sections, _ = _planned()
    charges = next(s for s in sections if s.title.endswith("éléments à charge")).lines
    # what he tells without denying it (his arrival time) is a charge; before, only « je reconnais » was
    assert any(ln.item and ln.item.person_key.startswith("LOURMEL") and not ln.item.stance for ln in charges)
    from core.models import Citation
    from generation.evidence import Item

    cite = Citation(cote="D7", page=1)
    decision = Item("", "L'avons mis en examen des chefs de vol avec violences et de menace de mort.", cite, "",
                    category="decision", score=2.0)
    telling = Item("", "Il m'a menacée de mort avec un couteau.", cite, "", category="declaration", score=2.0)
    background = Item("", "Nous habitons ensemble depuis dix ans à Melun.", cite, "", category="declaration", score=2.0)
    out = _toward_the_chefs([decision, telling, background])
    assert out[1].score > 2.0 and out[2].score == 2.0 and out[0].score == 2.0


def test_a_mis_en_examen_whose_chefs_the_code_cannot_read_still_gets_his_discussion(monkeypatch):
    """A decision whose chefs no pattern reads (a new author's wording) used to crash the whole réquisitoire (a
    placeholder Citation without its page): the discussion is then one « éléments à charge » section per person,
    without chef numbers, and the choice per chef is left to the magistrate."""
    import generation.charges as charges

    monkeypatch.setattr(charges, "chefs_of", lambda *a, **k: [])
    sections, _pages = _planned()
    titles = [s.title for s in sections]
    charge = [t for t in titles if t.endswith(": éléments à charge")]
    assert charge and not any("chef n°" in t for t in charge), titles
    assert any("LOURMEL" in t for t in charge), charge
    assert any(s.lines for s in sections if s.title in charge)
