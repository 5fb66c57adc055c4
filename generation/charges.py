"""Who the drafts of the parquet are about, and what he is charged with: the persons mis en examen (a minor whose
case went to the juge des enfants, a witness heard in garde à vue, are not), whether one is under contrôle
judiciaire or detained, and the chefs of each as the page writes them, read from the interrogatoire de première
comparution (else the ordonnance or the réquisitoire introductif naming him), inline or as a list after « des chefs
de : ». Shared by the réquisitions JLD and the réquisitoire définitif.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.models import Citation
from generation.evidence import Analysis
from generation.pieces import PieceInfo, dates_in
from generation.plans import Line
from generation.salience import fold
from generation.verifier import verify

_MIS = re.compile(r"mis(?:e)? en examen|mettons en examen|met en examen")
_CHEFS_AT = re.compile(r"(?:des|du|aux|les) chefs? (?:suivants?\s*|d(?:e|'|u)\s*)|des infractions suivantes\s*"
                       r"|pour (?:des faits de|les faits de|des faits qualifies de)\s*"
                       r"|(?:mis|mise|mettons|met|le mettons|la mettons) en examen pour\s+|d'avoir\s*:?\s*",
                       re.IGNORECASE)
_ITEM_START = re.compile(r"^\s*(?:[—–\-•*·]|\d{1,2}\s*(?:°\s*\)?|\)|\.(?!\d))|[a-h]\))\s*")
_MINOR = re.compile(r"\bmineure?s?\b|\bage(?:e)? de (?:1[0-7]|[0-9]) ans\b|juge des enfants|tribunal pour enfants"
                    r"|\bcollegien|\blyceen")


@dataclass
class Accused:
    """A person mis en examen: how the dossier names him, his chefs (text and the page stating them), and what the
    decisions say of him."""
    key: str
    display: str
    chefs: list[tuple[str, Citation]] = field(default_factory=list)
    minor: bool = False
    under_cj: bool = False
    detained: bool = False
    heard_in: list[str] = field(default_factory=list)  # cotes of the pieces hearing him or about him

    @property
    def surname(self) -> str:
        return self.key.split()[0] if self.key else ""


def _same(key: str, other: str) -> bool:
    """« MERABTI YANIS » and « MERABTI » are one person when the first names do not disagree."""
    a, b = key.split(), other.split()
    return bool(a and b) and a[0] == b[0] and (len(a) == 1 or len(b) == 1 or a[1] == b[1])


def _piece_text(piece: PieceInfo, pages: dict[tuple[str, int], str]) -> list[tuple[int, str]]:
    return sorted((n, t) for (c, n), t in pages.items() if c == piece.cote)


def _born(surname: str, text: str) -> date | None:
    """The birth date written after the person's name (« TESSIER Noah, né le 2 septembre 2010 »)."""
    folded = fold(text)
    for m in re.finditer(re.escape(surname.lower()), folded):
        window = folded[m.end():m.end() + 90]
        born = re.search(r"\bnee? le ([^,;()]{6,30})", window)
        if born:
            found = dates_in(born.group(1))
            if found:
                return found[0]
    return None


def is_minor(key: str, analysis: Analysis, pages: dict[tuple[str, int], str]) -> bool:
    """A minor at the time of the acts: under eighteen by his birth date, or named as « mineur » (« audition de
    mineur gardé à vue », « le mineur Noah TESSIER ») in a piece hearing him."""
    surname = key.split()[0]
    for piece in analysis.pieces:
        if not any(_same(key, k) for k, _ in piece.heard):
            continue
        text = "\n".join(t for _, t in _piece_text(piece, pages))
        born = _born(surname, text)
        if born and piece.date and (piece.date.year - born.year - ((piece.date.month, piece.date.day)
                                                                     < (born.month, born.day))) < 18:
            return True
        if _MINOR.search(fold(piece.heading)) or re.search(r"\bmineure?\b", fold(text[:600])):
            return True
    return False


def mis_en_examen(analysis: Analysis, pages: dict[tuple[str, int], str]) -> list[Accused]:
    """The persons mis en examen, in the order the dossier first hears them: heard at a première comparution, or
    named « mis en examen » by a decision; with their chefs, their minority, contrôle judiciaire and detention."""
    found: dict[str, Accused] = {}

    def add(key: str, display: str) -> Accused:
        home = next((a for k, a in found.items() if _same(k, key)), None)
        if home is None:
            home = found.setdefault(key, Accused(key, display))
        if len(display) > len(home.display):
            home.display = display
        return home

    for piece in sorted(analysis.pieces, key=lambda p: (p.date or date.max, p.cote)):
        if not piece.heard:
            continue
        key, display = piece.heard[0]
        text = fold("\n".join(t for _, t in _piece_text(piece, pages)))
        named_mis = any(_same(key, k) for r, k in piece.roles.items() if r == "mis en examen")
        if piece.kind == "interrogatoire_premiere" and (_MIS.search(text) or named_mis):
            add(key, display)
        elif piece.kind in ("ordonnance_detention", "ordonnance_cj", "interrogatoire") and (named_mis or _MIS.search(
                text)):
            add(key, display)
        else:
            continue
    for accused in found.values():
        for piece in analysis.pieces:
            if not any(_same(accused.key, k) for k, _ in piece.heard[:1]):
                continue
            accused.heard_in.append(piece.cote)
            if piece.kind == "ordonnance_cj":
                accused.under_cj = True
            if piece.kind == "ordonnance_detention":
                accused.detained = True
        accused.minor = is_minor(accused.key, analysis, pages)
        accused.chefs = chefs_of(accused, analysis, pages)
    return list(found.values())


def _sentence_end(text: str, start: int) -> int:
    """Where the sentence starting at `start` ends: a full stop (not « art. », « n° », « C. pén. ») or a « ; »."""
    for m in re.finditer(r"[.;](?=\s|$)", text[start:]):
        before = text[start:start + m.start()]
        if re.search(r"\b(?:art|arts|al|n|c|pen|proc|cf|ss|m|mme|me|dr)$", fold(before[-6:]).split(" ")[-1]):
            continue
        return start + m.end()
    return len(text)


def _listed(lines: list[str]) -> list[str]:
    """The items of a list of chefs (« — vol en réunion … ; », « 1°) recel … »), each joined across its lines; the
    list ends at the first line that is neither an item nor its continuation."""
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if items:
                break
            continue
        if _ITEM_START.match(stripped):
            items.append(_ITEM_START.sub("", stripped, count=1))
        elif items and not items[-1].rstrip().endswith((";", ".")) and stripped[:1].islower():
            items[-1] += " " + stripped
        elif items and not items[-1].rstrip().endswith((";", ".")) and not re.match(
                r"^(question|reponse|nous|lecture|fait|dont|le |la |les )", fold(stripped)):
            items[-1] += " " + stripped
        else:
            break
    return [i.strip().rstrip(" ;.,") for i in items if len(i.split()) >= 2]


def chefs_in(text: str) -> list[str]:
    """The chefs a decision states, as the page writes them: a list after « des chefs de : » (one chef per item),
    else the words after « des chefs de » to the sentence's end, cut at each chef (« vol par effraction et recel »)."""
    out: list[str] = []
    for m in _CHEFS_AT.finditer(text):
        rest = text[m.end():]
        head = rest.split("\n", 1)[0].strip()
        if head in ("", ":") or head.startswith(":") and not head[1:].strip():
            found = _listed(rest.split("\n", 1)[1].split("\n") if "\n" in rest else [])
        elif re.match(r"^[—–\-•]\s", head) or re.match(r"^:\s*[—–\-•]", head):
            found = _listed([head.lstrip(": ")] + rest.split("\n")[1:])
        else:
            end = _sentence_end(text, m.end())
            found = _inline(" ".join(text[m.end():end].split()))
        out += [" ".join(f.split()) for f in found]
        if out:
            break
    return out


def _inline(span: str) -> list[str]:
    """« vol en réunion, dans un local d'habitation, … (articles 311-1 et 311-5 du code pénal), et de recel » is two
    chefs: a chef starts where an offence is named after a comma or « et (de) », never at any comma."""
    from generation.requisitoire import _OFFENCE_HEAD

    span = re.split(r",\s*(?:faits|commis|prevus|punis|et places?|et decernons)\b|\s[—–]\s|;\s*", span)[0]
    head = _OFFENCE_HEAD.pattern.lstrip("^").replace("(?:de |d'|du |des )?", "").replace("(vol|", "(?:vol|", 1)
    parts = re.split(r"(?:,\s*(?:et\s+)?|\s+et\s+)(?:pour\s+)?(?:de |d'|du |des )?(?=" + head + r")", fold(span))
    out, at = [], 0
    folded = fold(span)
    for part in parts:
        start = folded.find(part, at)
        original = span[start:start + len(part)] if start >= 0 else part
        at = start + len(part) if start >= 0 else at
        original = re.sub(r"^(?:pour\s+)?(?:de |d'|du )", "", original.strip(" ,.;:"))
        if _OFFENCE_HEAD.search(fold(original)):
            out.append(original)
    return out


def chefs_of(accused: Accused, analysis: Analysis, pages: dict[tuple[str, int], str]) -> list[tuple[str, Citation]]:
    """His chefs, from the act that states them for him: his interrogatoire de première comparution, else an
    ordonnance about him, else the réquisitoire introductif naming him; each verified on its page."""
    rank = {"interrogatoire_premiere": 0, "ordonnance_detention": 1, "ordonnance_cj": 1, "interrogatoire": 2,
            "requisitoire_introductif": 3}
    pieces = [p for p in analysis.pieces if p.kind in rank and (
        any(_same(accused.key, k) for k, _ in p.heard[:1]) or (p.kind == "requisitoire_introductif"))]
    for piece in sorted(pieces, key=lambda p: (rank[p.kind], p.date or date.max)):
        numbered = _piece_text(piece, pages)
        if piece.kind == "requisitoire_introductif" and not any(accused.surname in t.upper() for _, t in numbered):
            continue
        whole = "\n".join(t for _, t in numbered)
        found = chefs_in(whole)
        out = []
        for chef in found:
            page = next((n for n, t in numbered if verify(chef, [t], 0.6).status == "supported"), None)
            if page is not None:
                out.append((chef, Citation(cote=piece.cote, page=page, document_id=piece.document_id)))
        if out:
            return out
    return []


def chefs_line(person: Accused, pages: dict[tuple[str, int], str]) -> Line | None:
    """« Yanis MERABTI est mis en examen des chefs de : … ; … », verified on the pages stating the chefs."""
    cites = list({(c.cote, c.page): c for _, c in person.chefs}.values())
    said = fold(" ".join(pages.get((c.cote, c.page), "") for c in cites))
    made = "mise" if re.search(r"\bmise en examen|informee|\bnee le|\bmme\b", said) and not re.search(
        r"\bmis en examen\b|\binforme\b(?!e)", said) else "mis"
    for text in (f"{person.display} est {made} en examen des chefs de : " + " ; ".join(c for c, _ in person.chefs) + ".",
                 "Mise en examen des chefs de : " + " ; ".join(c for c, _ in person.chefs) + "."):
        if verify(text, [pages.get((c.cote, c.page), "") for c in cites], 0.5).status == "supported":
            return Line(text, cites)
    return None


def short_chef(chef: str, words: int = 9) -> str:
    """The chef's first words, for a heading (« acquisition, détention, transport, offre ou cession … »)."""
    cut = re.split(r"\s*\((?:art|articles?)\b|,\s*(?:le|entre|courant|depuis|du)\s+\d|,\s*(?:faits|commis)\b", chef)[0]
    parts = cut.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# What the evidence of each kind of chef speaks of, beyond the chef's own words: the objects, acts and results a
# sentence must tell to bear on it (« 1 243,6 grammes de résine » bears on the drugs chef, « 23 dépôts d'espèces »
# on the laundering one).
_FAMILIES = [
    (r"stupefiant|cannabis|cocaine|heroine|trafic", "résine cannabis cocaïne héroïne herbe shit plaquettes pochons "
     "sachets barrettes grammes vente vendu vendais vendeur clients guetteur point deal stock marchandise cave balance "
     "teneur narcotest plaques blanche"),
    (r"association de malfaiteurs", "fournisseur approvisionnement réseau rôle organisation chef commande livraison "
     "ravitaillais gérant équipe"),
    (r"mineur", "mineur guetteur guet payé payait journée petit"),
    (r"non-justification|ressources", "argent espèces numéraire ressources revenus euros économies train vie liasse "
     "billets intérim"),
    (r"blanchiment", "dépôts dépôt versements espèces compte snack caisse recette virement bijouterie tracfin banque"),
    (r"\bvol\b|soustrait|cambriol", "volé pris sac bijoux porte-monnaie montre effraction porte-fenêtre tournevis "
     "cambriolage fouillé trace papillaire empreinte"),
    (r"violence|coups", "coups frappé poussée poussé gifle gifles itt lésions fracture blessure étranglement "
     "strangulation serré cou poing ecchymoses"),
    (r"recel", "recel revendu vendus receleur bijoux bague revente"),
    (r"menace", "menace menacée couteau crever tuer lame"),
    (r"harcelement", "appels sms messages harcèlement nuit séparation"),
    (r"conduite|alcool|etat alcoolique", "alcool éthylomètre mg conduite volant véhicule bières bu interpellé "
     "zigzaguait"),
]


def chef_words(chef: str) -> set[str]:
    """The stems a sentence bearing on this chef would use: the chef's own content words and its family's."""
    from generation.salience import content_tokens

    words = content_tokens(chef)
    folded = fold(chef)
    for rule, vocabulary in _FAMILIES:
        if re.search(rule, folded):
            words |= content_tokens(vocabulary)
    return words - content_tokens("avec ayant entraîné personne dans les des une sur par pour sans autorisation "
                                  "commis fait faits article articles code pénal")
