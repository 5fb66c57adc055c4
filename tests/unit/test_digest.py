"""What each piece brings (generation/digest.py): selection round the pieces, salience by meaning, every clause
verified; and the JLD réquisitions' indices chosen that way. Fakes only (items and pages written for these tests)."""
from __future__ import annotations

from datetime import date

from core.models import Citation
from generation.evidence import Analysis, Item
from generation.pieces import LABELS, PieceInfo
from generation.salience import score


def _piece(cote: str, kind: str, day: int, heard=()) -> PieceInfo:
    return PieceInfo(document_id=cote, cote=cote, kind=kind, label=LABELS[kind], heading=LABELS[kind],
                     date=date(2026, 2, day), heard=list(heard))


def _item(piece: PieceInfo, text: str, category: str, position: int, person: str = "", stance: str = "") -> Item:
    return Item("", text, Citation(cote=piece.cote, page=1, document_id=piece.document_id), piece.label,
                score=score(text, category), piece=piece, category=category, person=person.title(),
                person_key=person, stance=stance, position=position, full=text)


ACCUSED = ("MARVEJOL KEVIN", "Kevin MARVEJOL")
UMJ = _piece("D3", "expertise_medicale", 7, [("BRUNEL LINA", "Mme Lina BRUNEL")])
PHONE = _piece("D6", "reponse_requisition", 10, [ACCUSED])
SEARCH = _piece("D8", "perquisition", 12, [ACCUSED])
REQUEST = _piece("D5", "requisition", 9, [ACCUSED])
WITNESS = _piece("D4", "audition_temoin", 8, [("TALON REMI", "Rémi TALON")])

TEXTS = [
    (UMJ, [("Docteur Hélène VASSEROT-DUMAS, médecin légiste, expert près la cour d'appel de Paris, unité "
           "médico-judiciaire de l'hôpital Lariboisière, Paris", "resultat"),
          ("L'incapacité totale de travail est fixée à 9 jours au sens pénal du terme", "resultat"),
          ("Les lésions sont compatibles avec une strangulation manuelle", "resultat")]),
    (PHONE, [("La ligne 06 11 22 33 44 est identifiée au nom de Kevin MARVEJOL", "resultat"),
            ("Nous dénombrons 84 contacts entre la ligne de Kevin MARVEJOL et celle de la victime", "resultat"),
            ("IMEI 35 884210 447129 3 durée 00:01:12 18:19:40", "resultat")]),
    (SEARCH, [("Découvrons dans le placard de la chambre une somme de 2 350 euros en billets de 50 euros",
              "resultat"),
             ("La perquisition débute à 6 h 10 en présence de Kevin MARVEJOL", "resultat")]),
    (REQUEST, [("Requérons la société ORBITEL de nous fournir la facturation détaillée de la ligne pour la période du "
               "1er au 28 février 2026", "resultat")]),
    (WITNESS, [("J'ai vu Kevin MARVEJOL la tenir par le cou contre la porte vers 23 h 15", "declaration")]),
]


def _items() -> list[Item]:
    out = []
    for piece, rows in TEXTS:
        for n, (text, category) in enumerate(rows):
            person = "TALON REMI" if category == "declaration" else ""
            out.append(_item(piece, text, category, n, person))
    return out


def _pages() -> dict[tuple[str, int], str]:
    pages: dict[tuple[str, int], str] = {}
    for piece, rows in TEXTS:
        names = " ".join(d for _, d in piece.heard)
        pages[(piece.cote, 1)] = f"{piece.label}. {names}. " + " ".join(t + "." for t, _ in rows)
    return pages


def test_every_piece_is_heard_before_any_speaks_twice_and_each_gives_what_it_brings():
    from generation.digest import per_piece
    from generation.plans import Selector

    items = _items()
    sel = Selector(400, items)
    chosen = per_piece(sel, items, allowance=60, max_rounds=3)
    by_piece: dict[str, list[str]] = {}
    for it in chosen:
        by_piece.setdefault(it.citation.cote or "", []).append(it.text)
    # within a tight allowance, each telling piece gives what it brings: the medical report's ITT, the phone
    # answer's count, the search's seized amount — never the expert's letterhead, an annex row or the request
    assert {"D3", "D6", "D8"} <= set(by_piece)
    assert any("9 jours" in t for t in by_piece["D3"])
    assert not any("VASSEROT" in t for t in by_piece["D3"])
    assert any("84 contacts" in t for t in by_piece["D6"]) or any("identifiée" in t for t in by_piece["D6"])
    assert any("2 350 euros" in t for t in by_piece["D8"])
    assert "D5" not in by_piece


def test_one_round_hears_each_piece_once_and_a_rejected_clause_gives_way_to_the_next_of_its_piece():
    from generation.digest import per_piece
    from generation.plans import Selector

    items = _items()
    once = per_piece(Selector(800, items), items, allowance=400, max_rounds=1)
    cotes = [it.citation.cote for it in once]
    assert sorted(cotes) == sorted(set(cotes)) and {"D3", "D4", "D6", "D8"} <= set(cotes)
    refused = {id(it) for it in items if "9 jours" in it.text}
    chosen = per_piece(Selector(800, items), items, allowance=400, max_rounds=1, keep=lambda it: id(it) not in refused)
    umj = [it.text for it in chosen if it.citation.cote == "D3"]
    assert len(umj) == 1 and "strangulation" in umj[0]


def test_the_questioner_speaking_to_vous_weighs_less_than_the_answer():
    from generation.digest import salience

    piece = _piece("D9", "garde_a_vue", 13, [ACCUSED])
    question = _item(piece, "Vous avez été vu à 23 h 15 devant chez elle avec votre véhicule", "declaration", 0,
                     "MARVEJOL KEVIN")
    answer = _item(piece, "J'étais chez mon frère jusqu'à 23 h 30, je ne suis pas allé chez elle", "declaration", 1,
                   "MARVEJOL KEVIN", "conteste")
    assert salience(answer) > salience(question)


def test_jld_indices_cite_each_telling_piece_with_its_value_and_are_verified():
    from generation.plans import plan_detention

    analysis = Analysis(pieces=[p for p, _ in TEXTS], items=_items(), warnings=[])
    sections = {s.title: s for s in plan_detention(analysis, 1000, _pages())}
    indices = sections["II. Indices graves ou concordants"].lines
    cited = {c.cote for ln in indices for c in ln.citations}
    assert {"D3", "D6", "D8"} <= cited
    text = " ".join(ln.text for ln in indices)
    assert "9 jours" in text and "2 350 euros" in text
    assert "VASSEROT" not in text and "00:01:12" not in text
