"""Questions about a dossier: a short span plus the cited sentence, or « Le dossier ne permet pas de répondre. »

question -> expected type (generation/question.py) -> top passages and their page neighbours -> candidate sentences
(audition question lines never answer: the line after « R : » does) -> score (retrieval rank, rare question words,
entities, a span of the expected type) -> calibrated abstention -> answer. With a usable LLM the model answers from
the candidates, token by token, and its answer is kept only if the code verifier accepts it.
"""
from __future__ import annotations

import math
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from core.errors import AppError
from core.models import Chunk, Citation, format_citations, normalize_cote
from core.protocols import ChatModel, SearchFilter
from core.sentences import split_sentences
from core.text import normalize_for_match
from core.tokens import tokens
from generation.declarations import DeclarationReader
from generation.evidence import Evidence, number
from generation.pieces import _NOT_NAMES as _PIECE_WORDS
from generation.pieces import DECLARATION_KINDS, LABELS, PieceInfo, analyse_piece
from generation.question import (
    _GENERIC_HEADS,
    _GENERIC_PLACE,
    _NUM,
    _SPEECH,
    HYPONYMS,
    KIND_LABELS,
    ROLES,
    SYNONYMS,
    QuestionFrame,
    dates_in,
    frame,
    inherit,
    issued_by,
    name_keys,
    part_label,
    person_names,
    same_date,
    spans,
    split_compound,
)
from prompts import load_prompt

ANSWER_NONE = "Le dossier ne permet pas de répondre."
EventSink = Callable[[str, dict], None]

_QUESTION_LINE = re.compile(r"^\s*(?:(?:Questions?|Demande|Interrogée?)(?: (?:à|au|aux|de|du|posée)[^:?]{0,40})?"
                            r"\s*[:.\-–—]|(?:Q|D)\s*[:–—-])\s*", re.I)
_ANSWER_LINE = re.compile(r"^\s*(?:(?:Réponses?|Reponses?|Rép)(?: (?:de|du|des|d')[^:?]{0,40})?\s*[:.\-–—]|"
                          r"R\s*[:–—-])\s*", re.I)
_COTE_REF = re.compile(r"\((?:cotes? )?([A-D]\s?\d{1,4})(?:\s*p\.\s*\d+)?\)")
# What kind of piece a page belongs to, read from its title (often a file name) then the top of its page: a
# summary (ordonnance, réquisitoire, rapport de synthèse, avis de fin d'information) restates the facts of the
# source pieces (audition, PV de constatations, perquisition, réponse à réquisition, certificat, rapport).
# At the same position a summary alternative is tried first (« rapport de synthèse » before « rapport »).
_PIECE_KIND = re.compile(
    r"(?P<summary>ordonnance|r[ée]quisitoire|r[ée]quisitions\b|avis de fin|soit[- ]communiqu|rapport de synth|"
    r"proc[èe]s[- ]verbal de synth|\bpv de synth|rapport de fin d|enqu[êe]te de personnalit|"
    r"synth[èe]se|(?<!d')(?<!d’)arr[êe]t\b|jugement)|"
    r"(?P<source>audition|proc[èe]s[- ]verbal|\bpv\b|constatation|perquisition|r[ée]quisition\b|r[ée]ponse|"
    r"certificat|rapport|expertise|plainte|interpellation|exploitation|confrontation|interrogatoire|"
    r"casier|bulletin|fadette|examen m[ée]dical)", re.I)
_FOOTER = re.compile(r"^(?:Cote\s+\S+\s*[—-]\s*)?page\s+\d+\s*/\s*\d+$|^Lecture faite|^Dont acte|^Fait à ", re.I)
# Words that say "these people" in a count (« deux hommes » answers « combien d'individus »).
_PEOPLE = {"homm", "individus", "individu", "person", "suspect", "auteur", "agresseur", "femm", "jeun", "garcon",
           "guetteur", "guetteurs", "vendeur", "vendeurs",
           "fill", "mineur", "complic", "malfaiteur", "cambriol", "voleur"}
# Cheap sparse hints per expected type: they pull in the page that states the value (« joignable au 06 … »).
_HINTS = {"phone": "téléphone joignable ligne portable numéro", "breath": "éthylomètre air expiré mg/l taux",
          "blood": "prise de sang sanguine g/l alcoolémie", "alcohol": "alcoolémie éthylomètre taux air expiré sang",
          "itt": "incapacité totale de travail ITT jours", "plate": "immatriculé immatriculation plaque véhicule",
          "place": "écroué maison d'arrêt domicile demeurant", "age": "âgé ans né le", "speed": "vitesse km/h",
          "penalty": "condamnation emprisonnement amende sursis", "count": "", "amount": "euros somme montant",
          "percent": "teneur taux % pureté", "seal": "scellé n°", "imei": "IMEI"}

# Calibrated on evals/dev (see benchmarks/questions.py): below these the best candidate is not trusted.
MIN_COVERAGE_TYPED = 0.30
MIN_COVERAGE_FREE = 0.50


@dataclass
class Candidate:
    """One sentence that may answer, with what it was scored on."""

    evidence: Evidence
    text: str                    # the sentence without its « Réponse : » prefix
    asked: str | None            # the audition question it answers, when it is an answer line
    rank: float
    context: str                 # title and the rest of the page: who speaks, whose document
    spans: list[str] = field(default_factory=list)
    local: str = ""              # the two sentences before it on the page (a B1 entry, the start of a reply)
    heading: str = ""            # the piece's title and the top of its page (running header, document title)
    coverage: float = 0.0
    score: float = 0.0
    rejected: str | None = None
    kind: str | None = None      # « summary » or « source » piece (see piece_kind)
    piece: PieceInfo | None = None  # the piece's type and the person it hears (dossier index)
    speaker: str | None = None   # who says this sentence when it is part of a declaration (None: nobody's words)
    top: str = ""                # the piece's opening, normalised (who is heard, in which capacity)
    section: str = ""            # the last heading before the sentence on its page (« Conclusions », « Résultats »)
    raw: str = ""                # the sentence as split from its chunk (the dossier index's key)
    header: str = ""             # a table row: the header row naming its columns (« Numéro | Titulaire | … »)
    entries: list = field(default_factory=list)  # the B1's entries a count was tallied from (this one last)
    people: dict[str, dict[str, int]] = field(default_factory=dict)  # the dossier's « voisin » -> person keys
    firsts: dict[str, set[str]] = field(default_factory=dict)  # surname -> the first names the dossier gives it
    surnames: dict[str, set[str]] = field(default_factory=dict)  # first name -> surnames
    heard: set[str] = field(default_factory=set)  # surnames of the persons the dossier's pieces hear or are about
    victims: set[str] = field(default_factory=set)  # surnames of the persons heard as victims


class _Stages:
    """Seconds spent in each stage of one question (what the benchmark reports per stage)."""

    def __init__(self, started: float) -> None:
        self.last = started
        self.cpu_start = time.process_time()  # CPU seconds do not grow with the machine's load, wall ones do
        self.times: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = self.times.get(name, 0.0) + now - self.last
        self.last = now

    def cpu(self) -> float:
        return time.process_time() - self.cpu_start


@dataclass
class DossierIndex:
    """What the answerer reads once per dossier (see Answerer.dossier_index)."""

    key: tuple
    n: int
    counts: dict[str, int]
    pieces: dict[str, PieceInfo] = field(default_factory=dict)        # document id -> type, person heard
    tops: dict[str, str] = field(default_factory=dict)                # document id -> its opening, normalised
    speakers: dict[tuple[str, str], str] = field(default_factory=dict)  # (document id, sentence) -> speaker key
    role_people: dict[str, dict[str, int]] = field(default_factory=dict)  # « voisin » -> person keys named so
    pages: dict[tuple[str, int], list[Chunk]] = field(default_factory=dict)  # a page's chunks (the neighbours)
    firsts: dict[str, set[str]] = field(default_factory=dict)  # surname -> first names (« lamboise » -> sandrine…)
    surnames: dict[str, set[str]] = field(default_factory=dict)  # first name -> surnames (« mickael » -> dorange)
    heard: set[str] = field(default_factory=set)  # surnames of the persons heard (the protagonists)
    victims: set[str] = field(default_factory=set)  # surnames heard in a complaint or a victim's hearing
    repeated: set[str] = field(default_factory=set)  # lines printed on 3 pages or more: running headers


# A sentence that asks for information (a réquisition's request), never one that states it.
_REQUEST = re.compile(r"\brequerons\b|\brequiert\b|de bien vouloir|\bnous communiquer\b|\bveuillez\b")
_HOLDER = re.compile(r"au nom de qui|titulaire|abonne|utilisat|proprietaire|locataire|a qui (?:appartient|est)|"
                     r"enregistree? (?:au nom|chez)|souscrit")
_ENTRY = re.compile(r"^\s*(?:(?:condamnation|mention|entr[ée]e|inscription)\s+)?(?:n[°o]\s*)?(\d{1,2})\s*"
                    r"(?:[|).°]|-\s|\s[-–—:]\s|\s*$)", re.I)


def _entry_tallies(q: QuestionFrame, pool: list[Candidate]) -> dict[int, str]:
    """« Combien de condamnations au B1 ? » when the bulletin lists them (numbered rows of a table, « 1) … 2) … »)
    without stating their number: the count of consecutive entries of one piece, given on its last entry."""
    if q.kind != "count" or not q.count_noun:
        return {}
    m = re.search(r"(?:combien|nombre(?: total)?) (?:de |d')([\wà-ÿ-]+)", q.text, re.I)
    noun = m.group(1) if m else q.count_noun
    by_doc: dict[str, list[tuple[int, Candidate]]] = {}
    for cand in pool:
        e = _ENTRY.match(cand.raw or cand.text)
        if e and len(cand.text) > 15:
            by_doc.setdefault(cand.evidence.citation.document_id or "", []).append((int(e.group(1)), cand))
    out: dict[int, str] = {}
    for entries in by_doc.values():
        numbers = sorted({n for n, _ in entries})
        if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
            continue
        last = max(entries, key=lambda x: (x[0], x[1].evidence.citation.page))[1]
        about = _nfm(f"{last.heading} {last.header} {last.context[:600]}")
        if not _match(q.count_noun, _keys(about), about):
            continue  # entries of another list (seals, calls)
        out[id(last)] = f"{len(numbers)} {noun}"
        last.entries = [c for _, c in sorted(entries, key=lambda x: x[0]) if c is not last]
    return out


def _latest_entry_first(q: QuestionFrame, pool: list[Candidate]) -> None:
    """« La dernière condamnation », « la première mention »: among the dated entries of one list (the B1's rows),
    the latest or the earliest one."""
    question = _nfm(q.text)
    latest = re.search(r"\bderni[e]re?s?\b|plus recente?s?", question)
    earliest = re.search(r"\bpremiere?s? (?:condamnation|mention|inscription|entree)|plus ancienne?s?", question)
    if not (latest or earliest):
        return
    by_doc: dict[str, list[tuple[tuple[int, int, int], Candidate]]] = {}
    for cand in pool:
        if not (_ENTRY.match(cand.raw or cand.text) or cand.header):
            continue
        found = [(y, m, d) for d, m, y in dates_in(cand.text) if y]
        if found:
            by_doc.setdefault(cand.evidence.citation.document_id or "", []).append((max(found), cand))
    for entries in by_doc.values():
        if len(entries) >= 2:
            pick = max(entries, key=lambda e: e[0]) if latest else min(entries, key=lambda e: e[0])
            pick[1].score += 0.8


_ENTRY_HEAD = re.compile(r"^\s*(?:condamnation|mention|inscription|entr[ée]e)\s+n[°o]?\s*\d+", re.I)


def _record_blocks(pool: list[Candidate]) -> dict[int, str]:
    """A bulletin's entry told over several lines (« Condamnation n° 2 » « Date : 19/01/2024 — Juridiction : … »
    « Infraction : recel … »): each line is read with the rest of its entry, so that the date row of the recel
    answers « quand a-t-il été condamné pour recel »."""
    out: dict[int, str] = {}
    block: list[Candidate] = []

    def close() -> None:
        text = " ".join(c.text for c in block)
        for c in block:
            out[id(c)] = text

    for c in pool:
        if c.piece is None or c.piece.kind != "casier":
            continue
        if _ENTRY_HEAD.match(c.text) or (block and (c.evidence.citation.document_id, c.evidence.citation.page) != (
                block[0].evidence.citation.document_id, block[0].evidence.citation.page)):
            if block:
                close()
            block = [c] if _ENTRY_HEAD.match(c.text) else []
        elif block:
            block.append(c)
    if block:
        close()
    return out


def _header_words(header: str) -> str:
    """A table's header row as words that tell its rows apart (« Titulaire »), without the column names every
    table has (« Date », « Numéro »): those are the value's type, not what the row is about."""
    return " ".join(w for w in _nfm(header).split() if (tokens(w) or [""])[0] not in _GENERIC_HEADS)


_CELL = re.compile(r"\s\|\s|\t|\S {3,}\S")


def _sentences(chunk: Chunk) -> list[str]:
    """The chunk's sentences, whitespace joined; a table (an operator's answer, a B1 laid out in columns, often
    scanned) gives one sentence per row, whatever the row's length."""
    out = []
    for s, e in split_sentences(chunk.text):
        raw = chunk.text[s:e].replace("\ufffe", "-")  # a hyphen the PDF's text layer lost (« Montclair-en\ufffeAulnoye »)
        # « … à la fin. »\nQuestion : À quelle heure ? »: a statement and the next audition question are two units
        for part in _TURN.split(raw):
            lines = [line for line in part.split("\n") if line.strip()]
            if len(lines) > 1 and sum(bool(_CELL.search(line)) for line in lines) >= 2:
                out += [" ".join(line.split()) for line in lines]
            elif lines:
                out.append(" ".join(part.split()))
    return out


_TURN = re.compile(r"\n(?=\s*(?:Questions?|Réponses?|Reponses?|Demande|Q|R|D)(?: (?:à|au|aux|de|du|des)[^:\n?]{0,40})?"
                   r"\s*[:–—-])")


def piece_kind(title: str, page_top: str = "") -> str | None:
    """« summary », « source » or None (unknown), from the piece's title first, then the top of its page."""
    for text in (title.replace("_", " "), page_top[:300]):
        m = _PIECE_KIND.search(text)
        if m:
            return "summary" if m.group("summary") else "source"
    return None


def _page_key(chunk: Chunk) -> tuple[str, int]:
    return chunk.document_id, chunk.pdf_page


_FIRST_LAST = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]{2,}(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\s+([A-ZÀ-Ý]{3}[A-ZÀ-Ý'\-]*)\b")
_LAST_FIRST = re.compile(r"\b([A-ZÀ-Ý]{3}[A-ZÀ-Ý'\-]*)\s+([A-ZÀ-Ý][a-zà-ÿ]{2,}(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\b")
_CIVILITIES = {"monsieur", "madame", "maitre", "mme", "mlle", "docteur", "capitaine", "lieutenant", "brigadier",
               "commandant", "gardien", "juge", "nous", "vu", "le", "la", "les", "et", "de", "du", "des", "pour",
               "contre", "avec", "chez", "selon", "entre", "sur", "dans", "par", "mais"}


class Answerer:
    """Answers one question from the dossier's own sentences; the LLM, when given, only rephrases from them."""

    def __init__(self, catalog, search, llm: ChatModel | None, check: Callable[[str, list[str]], list[str]],
                 k: int = 8) -> None:
        self.catalog, self.search, self.llm, self.check, self.k = catalog, search, llm, check, k
        self.prompt = load_prompt("repondre_question")
        self._index: dict[str, DossierIndex] = {}
        self._local = threading.local()  # per-request stage timings (the API answers in worker threads)

    def dossier_index(self, dossier: str) -> DossierIndex:
        """Read once per dossier (cached until its documents change): the sentence frequency of every stem/prefix
        (a word the dossier uses rarely, « empreinte », weighs more than « procès-verbal »), each piece's type and
        the person it hears, and who says each sentence of a declaration."""
        key = tuple((d.id, d.status) for d in self.catalog.documents(dossier))
        cached = self._index.get(dossier)
        if cached and cached.key == key:
            return cached
        counts: dict[str, int] = {}
        n = 0
        by_doc: dict[str, list[Chunk]] = {}
        for chunk in self.catalog.dossier_chunks(dossier):
            by_doc.setdefault(chunk.document_id, []).append(chunk)
        index = DossierIndex(key, 0, counts)
        lower: set[str] = set()
        for doc_id, chunks in by_doc.items():
            chunks.sort(key=lambda c: (c.pdf_page, c.char_start))
            pages: dict[int, list[str]] = {}
            for c in chunks:
                pages.setdefault(c.pdf_page, []).append(c.text)
                index.pages.setdefault((doc_id, c.pdf_page), []).append(c)
            page_texts = ["\n".join(v) for _, v in sorted(pages.items())]
            piece = analyse_piece(doc_id, chunks[0].cote or "", chunks[0].title or "", page_texts)
            index.pieces[doc_id] = piece
            index.tops[doc_id] = _nfm("\n".join(page_texts)[:5000])
            reader = DeclarationReader(piece)
            for chunk in chunks:
                for sentence in _sentences(chunk):
                    n += 1
                    for k in _keys_of(normalize_for_match(sentence)):
                        counts[k] = counts.get(k, 0) + 1
                    said = reader.read(sentence)
                    if said.declared:
                        index.speakers[(doc_id, sentence)] = said.speaker or "?"
            for chunk in chunks:
                _people_by_role(chunk.text, index.role_people)
                lower |= set(re.findall(r"(?<![\wÀ-ÿ])[a-zà-ÿ]{3,}(?![\wÀ-ÿ])", chunk.text))
                for first, last in _FIRST_LAST.findall(chunk.text) + [(b, a) for a, b in _LAST_FIRST.findall(chunk.text)]:
                    f, sur = _nfm(first), _nfm(last)
                    if f not in _CIVILITIES and last.upper() not in _PIECE_WORDS and len(sur) > 2:
                        index.firsts.setdefault(sur, set()).add(f)
        common = {_nfm(w) for w in lower}  # « Scellé CHAOUI », « Dossier LPS-P »: a word also written in lower case
        index.firsts = {sur: {f for f in fs if f not in common} for sur, fs in index.firsts.items()}
        index.firsts = {sur: fs for sur, fs in index.firsts.items() if fs}
        for sur, fs in index.firsts.items():
            for f in fs:
                index.surnames.setdefault(f, set()).add(sur)
        index.heard = {k.split()[0].lower() for p in index.pieces.values() for k, _ in p.heard if k}
        index.victims = {k.split()[0].lower() for p in index.pieces.values() if p.kind in ("plainte", "audition_victime")
                         for k, _ in p.heard if k}
        index.n = n
        # a line printed on several pages (« Procédure n° 2026/00418 — Affaire : BECQUEREL Yanis / X », a letterhead)
        # is the layout of the dossier, never what it says
        on_pages: dict[str, set[tuple[str, int]]] = {}
        for key_page, chunks in index.pages.items():
            for c in chunks:
                for line in c.text.splitlines():
                    norm = " ".join(_nfm(line).split())
                    if len(norm) >= 15:
                        on_pages.setdefault(norm, set()).add(key_page)
        index.repeated = {line for line, where in on_pages.items() if len(where) >= 3}
        self._index[dossier] = index
        return index

    def dossier_df(self, dossier: str) -> tuple[int, dict[str, int]]:
        index = self.dossier_index(dossier)
        return index.n, index.counts

    # candidates ----------------------------------------------------------------------------------------------
    def candidates(self, q: QuestionFrame, dossier: str, index: DossierIndex | None = None
                   ) -> tuple[list[Candidate], list]:
        # the neighbours on the page come from the dossier index already in memory (one catalog read per dossier,
        # not one per passage and per search)
        ctx = index is None or not index.pages
        flt = SearchFilter(dossier_id=dossier, cotes=sorted(q.cotes) or None)
        passages = self._find(q.text, flt, k=self.k, with_context=ctx)
        if not passages and flt.cotes:  # a cote the dossier does not hold: search the whole dossier
            passages = self._find(q.text, SearchFilter(dossier_id=dossier), k=self.k, with_context=ctx)
        seen = {p.chunk.id for p in passages}
        own = _speaker_cotes(q, index) if index is not None and not q.cotes else []
        if own:  # « en garde à vue, X a-t-il… »: read X's own declarations even when the search ranks others first
            extra = self._find(q.text, SearchFilter(dossier_id=dossier, cotes=own), k=4, mode="sparse",
                                       with_context=ctx)
            passages += [p for p in extra if p.chunk.id not in seen]
            seen |= {p.chunk.id for p in extra}
        hint = _HINTS.get(q.kind, "")
        words = [w for w in q.content if w not in q.role_words]
        # also without « le mis en examen », which every piece says; and, for a question in words (a list, a yes/no),
        # the pieces that share its rare words even when the dense leg ranks them low
        if (hint or len(words) < len(q.content) or q.kind in ("free", "yesno", "person") or len(q.content) <= 3
                or q.event_words) and (hint or words):
            extra = self._find(f"{hint} {' '.join(words)}", SearchFilter(dossier_id=dossier), k=4,
                                       mode="sparse", with_context=ctx)
            passages += [p for p in extra if p.chunk.id not in seen]
            seen |= {p.chunk.id for p in extra}
        # The pieces that establish the fact asked (the detention order for the prison, the operator's answer for
        # a subscriber, the B1 for convictions): read them even when other pages restate the fact in more words.
        facts = _fact_cotes(q, index) if index is not None and not q.cotes else []
        if facts:
            extra = self._find(f"{hint} {' '.join(words)}", SearchFilter(dossier_id=dossier, cotes=facts), k=4,
                               mode="sparse", with_context=ctx)
            passages += [p for p in extra if p.chunk.id not in seen]
            seen |= {p.chunk.id for p in extra}
        # A summary piece (ordonnance, réquisitoire) cites its sources « (D14) »: read the source piece too.
        cited = [c for p in passages[:5] for c in _COTE_REF.findall(p.chunk.text) if c != p.chunk.cote]
        if cited:
            extra = self._find(q.text, SearchFilter(dossier_id=dossier, cotes=sorted(set(cited))[:6]), k=4,
                                       mode="sparse", with_context=ctx)
            passages += [p for p in extra if p.chunk.id not in seen]
            seen |= {p.chunk.id for p in extra}
        pages: dict[tuple[str, int], dict[str, tuple[Chunk, float]]] = {}
        for rank, p in enumerate(passages):
            page = pages.setdefault(_page_key(p.chunk), {})
            page.setdefault(p.chunk.id, (p.chunk, float(rank)))
            neighbours = p.context if ctx or index is None else [
                c for c in index.pages.get(_page_key(p.chunk), []) if c.id != p.chunk.id]
            for c in neighbours:
                page.setdefault(c.id, (c, rank + 0.5))
        # the source piece a summary cites (« Le témoin CORBIN (D3) … décrivait trois hommes ») is read whole: it is
        # short, and the sentence that states the value may share no word with the question but the value's noun
        if cited and index is not None:
            sources = {normalize_cote(c) or c for c in cited[:3]}
            for key_page, chunks in index.pages.items():
                if chunks and chunks[0].cote in sources:
                    page = pages.setdefault(key_page, {})
                    for c in chunks:
                        page.setdefault(c.id, (c, 4.0))
        out: list[Candidate] = []
        for chunks in pages.values():
            ordered = sorted(chunks.values(), key=lambda x: x[0].char_start)
            page_text = " ".join(c.text for c, _ in ordered)
            sentences = [(chunk, rank, s) for chunk, rank in ordered for s in _sentences(chunk)]
            out += _page_candidates(sentences, page_text)
        return out, passages

    # scoring -------------------------------------------------------------------------------------------------
    def score(self, q: QuestionFrame, pool: list[Candidate], df: tuple[int, dict[str, int]] | None = None,
              index: DossierIndex | None = None) -> list[Candidate]:
        """Score every candidate; those that cannot answer are marked with the reason."""
        if index is not None:
            for cand in pool:
                doc = cand.evidence.citation.document_id or ""
                cand.piece = index.pieces.get(doc)
                cand.speaker = index.speakers.get((doc, cand.raw or cand.evidence.text))
                cand.top = index.tops.get(doc, "")
                cand.people = index.role_people
                cand.firsts, cand.surnames, cand.heard = index.firsts, index.surnames, index.heard
                cand.victims = index.victims
        blocks = _record_blocks(pool)
        texts = [_nfm(f"{c.asked or ''} {_header_words(c.header)} {c.text} {blocks.get(id(c), '')}") for c in pool]
        sets = [_keys(t) for t in texts]
        if df is None:  # no dossier statistics: the candidate pool stands for the dossier
            df = (len(pool), {w: sum(_match(w, k, t) for k, t in zip(sets, texts, strict=True)) for w in q.content})
        n, counts = max(1, df[0]), df[1]
        weight = {}
        for w in q.content:
            seen = counts.get(w) or (counts.get(w[:5]) if len(w) >= 5 else None)
            # a word the dossier never uses cannot tell candidates apart; it still counts a little against all
            weight[w] = math.log(1 + n / (1 + seen)) if seen else 0.3 * math.log(1 + n)
            if w in q.role_words:
                weight[w] *= 0.3  # « le mis en cause reconnaît-il les faits » is about « reconnaît »
            if q.dates and (w.isdigit() or w[:5] in _MONTH_STEMS):
                weight[w] *= 0.3  # the date is checked on its own (around the sentence), it must not outweigh the verb
            if w == q.focus:
                weight[w] *= 0.3 if q.speaker and re.fullmatch(_SPEECH, w) else 2.0
        total = sum(weight.values()) or 1.0
        name_tokens = {t for name in q.names for t in tokens(name)}
        asks_summary = bool(_PIECE_KIND.search(q.text) and _PIECE_KIND.search(q.text).group("summary"))
        tallies = _entry_tallies(q, pool)
        for cand, keys, text in zip(pool, sets, texts, strict=True):
            near_text = _nfm(cand.context)
            near = _keys(near_text)
            matched = 0.0
            implied = _implied_words(q, cand)
            for w in q.content:
                if w in implied or _match(w, keys, text):
                    matched += weight[w]
                elif _match(w, _keys(_nfm(cand.heading)), _nfm(cand.heading)) or (
                        cand.section and _match(w, _keys(_nfm(cand.section)), _nfm(cand.section))):
                    matched += weight[w] * 0.7  # « en garde à vue » names the piece, « 1. Compte professionnel »
                    # the part of the page the sentence belongs to, not the sentence
                elif (q.kind == "seal" or (w.isdigit() and q.identifiers)) and _match(w, _keys(_nfm(cand.local)),
                                                                                    _nfm(cand.local)):
                    matched += weight[w] * 0.9  # « … découvrons une bague … » « Plaçons sous scellé n° DEUX »
                elif _match(w, near, near_text):  # said elsewhere on the page: a pronoun in the sentence
                    matched += weight[w] * (0.8 if w in name_tokens else 0.35)
            cand.coverage = matched / total
            cand.spans = self._typed_spans(q, cand)
            if not cand.spans and id(cand) in tallies:
                cand.spans = [tallies[id(cand)]]
            # the rest of a bulletin's entry helps find the line, never stands in for what the line must say
            cand.rejected = self._reject(q, cand, _keys(_nfm(f"{cand.asked or ''} {_header_words(cand.header)} "
                                                              f"{cand.text}")) if id(cand) in blocks else keys)
            names_ok = not q.names or q.names <= (_names(cand.text) | _names(cand.context) | _norm_words(cand.context))
            digits = bool(cand.spans) and any(ch.isdigit() for ch in cand.spans[0])
            roles_ok = all(re.search(rf"\b{r}", near_text) for r in q.roles)
            own_piece = _piece_fit(q, cand)  # an order is the source of what it orders (the prison, the date)
            summary = _is_summary(cand) and not asks_summary and not own_piece
            cand.score = (3.0 * cand.coverage + (1.0 if cand.spans else 0.0) + (0.3 if digits else 0.0)
                          - (0.6 if not roles_ok else 0.0) - (0.7 if summary else 0.0)
                          + 0.6 / (1.0 + cand.rank) + (0.4 if names_ok else -0.6) + (0.2 if cand.asked else 0.0)
                          + (0.5 if q.cotes and cand.evidence.citation.cote in q.cotes else 0.0)
                          + _speaker_fit(q, cand) + _stage_fit(q, cand) + _when_fit(q, cand) + _result_fit(q, cand)
                          + _contrast_fit(q, text) + _contrast_fit(q, _nfm(cand.section)) + _field_fit(q, cand)
                          + _named_piece_fit(q, cand) + _agent_fit(q, cand)
                          + own_piece)
        _latest_entry_first(q, pool)
        ranked = sorted((c for c in pool if not c.rejected), key=lambda c: -c.score)
        return _total_first(q, _fact_piece_first(q, _source_first(q, ranked)), pool)

    def _typed_spans(self, q: QuestionFrame, cand: Candidate) -> list[str]:
        if q.kind in ("yesno", "free"):
            return []
        found = spans(q.kind, cand.text)
        question_norm = normalize_for_match(q.text)
        found = [s for s in found if normalize_for_match(s) not in question_norm]
        if q.kind == "person":  # the person asked about is never one the question already names
            found = [s for s in found if re.search(r"[a-zà-ÿ]", s) and not _named_in_question(s, q)]
            me = _speaker_display(cand) if re.match(r"\s*(?:c'est moi|moi,|moi\.|oui,? moi)\b", _nfm(cand.text)) else None
            if me and not _named_in_question(me, q):  # « Qui a payé ? » « C'est moi, par virement » : the speaker
                return [me]
            if not found:  # « un type qu'on appelle « Doudou » », « C'est Mickaël qui … »: a nickname, a first name
                found = _nicknames(cand.text, q) + (_known_firsts(cand, q) if _known_key(cand.speaker) else [])
            found = [s for s in found if not _ORGANISATION.search(s) and not re.search(
                r"(?:op[ée]rateur|soci[ée]t[ée]|banque|sarl|sas|enseigne)\s*$", cand.text[:max(0, cand.text.find(s))],
                re.I)]  # « opérateur AXIAL Mobile », « la société NOVAPHONE »: a company, not a person
            if q.identifiers:  # « … de la ligne personnelle 06 …, abonnement au nom de X »: another line's holder
                found = [s for s in found if _identifier_before(cand.text, s) in (None, *q.identifiers)]
            if _AGENT.search(question_norm):  # « qui a placé X en détention »: the magistrate who writes « Nous, »
                signer = re.search(r"\bNous,\s+((?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+)?[A-ZÀ-Ý]{2}[A-ZÀ-Ý'-]+)",
                                   cand.text)
                if signer and cand.piece is not None and cand.piece.kind.startswith("ordonnance"):
                    found = [signer.group(1)]
            if cand.piece is not None and _HOLDER.search(question_norm):
                # the holder of a line, an account or a car is never the officer or magistrate writing the piece
                found = [s for s in found if not {k.upper() for k in _names(s)} & cand.piece.officials]
        if q.kind == "amount":  # « 29 billets de 50 euros, soit 1 870 euros »: a denomination is no sum
            found = [s for s in found if not re.search(r"\b(?:billets?|coupures?|pieces?) de(?: [\d ,]+(?: et)?)*\s*$",
                                                       _nfm(cand.text[:max(0, cand.text.find(s))]))]
        if q.kind == "person" and q.identifiers:  # « en contact avec la ligne de Yanis X »: another line's owner
            found = [s for s in found if not re.search(r"\b(?:ligne|celle|celui|numero|telephone|portable) d[eu]\s*$",
                                                       _nfm(cand.text[:max(0, cand.text.find(s))]))]
        if q.kind == "count" and q.count_noun:
            wanted = {q.count_noun} | (_PEOPLE if q.count_noun in _PEOPLE else set()) | _COUNTED_AS.get(q.count_noun, set())
            found = [s for s in found if (set(tokens(s)) & wanted) or normalize_for_match(s) in ("neant", "0")]
            if not found and q.count_noun in _PEOPLE:  # « On était deux, seulement Mickaël et moi. »
                found = [m.group(1) for m in re.finditer(rf"\b(?:on|nous|ils|elles|vous)\s+(?:etait|etions|etaient|"
                                                          rf"sont|etes|est|etiez)\s+({_NUM})\b", _nfm(cand.text))]
            asked = _nfm(cand.asked or "")
            bare = re.match(rf"\s*({_NUM})\b(?! ?(?:euros?|€|h\b|heures?))", _nfm(cand.text))
            if not found and bare and asked and _match(q.count_noun, _keys(asked), asked):
                # « Combien de guetteurs ? » « Deux, des fois trois. »: the reply counts what the question named
                found = [_nfm(cand.text)[:bare.end()].strip()]
        if q.kind == "date" and not re.search(r"naissance|\bnee?s?\b|\bage\b", question_norm):
            births = {_nfm(m.group(0)) for m in _BIRTH.finditer(cand.text)}  # « né le 2 juin 1994 »
            found = [f for f in found if not any(_nfm(f) in b for b in births)]
        if q.kind == "place" and re.search(r"etablissement|penitentiaire|\bdetenue?\b|ecroue|incarcer|maison d'arret|"
                                           r"prison|detention", question_norm):
            found = [f for f in spans("establishment", cand.text)  # the prison, never « au tribunal » or an
                     if not _GENERIC_PLACE.fullmatch(_nfm(f))]     # address, nor « l'établissement pénitentiaire »
        if len(found) > 1:
            found = _by_qualifiers(q, cand.text, found)
        if q.kind == "time" and found and not q.dates:
            day = _day_of(cand)
            if day:
                found = [f"{found[0]}, le {day}"] + found[1:]
        if q.kind in ("date", "time") and q.date_and_time:
            times = spans("time", cand.text) if q.kind == "date" else []
            if found and times:
                found = [f"{found[0]} à {times[0]}"] + found[1:]
            elif not found:
                found = spans("time", cand.text)
                day = _day_of(cand) or _piece_day(cand)  # « à 6 h 10 » in the search report of 3 March
                if found and day and q.kind == "date":
                    found = [f"{found[0]}, le {day}"] + found[1:]
        if q.kind == "place" and not re.search(r"naissance|\bnee?s?\b", question_norm):
            born = [_nfm(m.group(0)) for m in _BIRTH_PLACE.finditer(cand.text)]  # « né le … à Pantin »
            found = [f for f in found if not any(_nfm(f) in b for b in born)]
        return found

    def _reject(self, q: QuestionFrame, cand: Candidate, keys: set[str]) -> str | None:
        if q.kind not in ("yesno", "free") and not cand.spans:
            return f"aucun(e) {KIND_LABELS[q.kind]} dans la phrase"
        if q.owner_terms and not self._owner_ok(q, cand):
            return f"la phrase ne concerne pas « {q.owner} »"
        if q.owner and q.owner not in ROLES and q.owner != "suspect" and cand.victims and cand.spans and \
                not same_person(set(q.owner.split()[-1:]), cand.victims) and _victims_value(cand):
            return "la valeur est celle de la victime, pas de la personne de la question"
        if q.kind in ("amount", "count", "duration") and (left := _left_out(q, cand)):
            return f"la valeur donnée exclut ce que demande la question (« {left} »)"  # « 26 015 € hors réparations »
        if q.kind not in ("yesno", "free") and _NEGATED_EVENT.search(_nfm(cand.text)) and any(
                _match(w, keys, _nfm(cand.text)) for w in q.content if w not in q.role_words and not w.isdigit()):
            return "la phrase dit que le fait demandé n'a pas eu lieu"  # « Aucune trace n'a été relevée le … »
        other = _named_other(q, cand)
        if other:
            return other
        if cand.piece is not None and cand.piece.kind == "casier" and not _ASKS_RECORD.search(_nfm(q.text)):
            return "un bulletin n° 1 dit le passé judiciaire, pas la procédure en cours"
        if q.authority and (issued_by(cand.top) or "") != q.authority:
            return "la décision citée n'émane pas de l'autorité que nomme la question"
        if q.asks_result and q.speaker is None and cand.piece is not None and (
                cand.piece.kind in DECLARATION_KINDS or _PERFORMS.search(_nfm(cand.text))):
            return "la phrase ne donne pas le résultat demandé"  # a hearing, or the act of collecting the trace
        if _contrasted_in(_CONTRASTS[-1], _nfm(q.text), _nfm(f"{cand.text} {cand.section}")):
            return "la phrase porte sur le compte d'un autre titulaire"  # the company's account, not the person's
        for word in _analysed(q) if q.asks_result and q.kind == "free" else []:
            where = _nfm(f"{cand.asked or ''} {cand.local} {cand.text} {cand.section}")
            if not _match(word, _keys(where), where):  # « l'exploitation de la trace de SEMELLE »: that object
                return f"la phrase ne porte pas sur « {word} »"
        for word in _containers(q) if q.kind in ("amount", "weight", "count") else []:
            where = _nfm(f"{cand.asked or ''} {cand.local} {cand.text} {cand.section}")
            if not (word in set(tokens(where)) if word[:5] in _WEAK_PREFIXES else _match(word, _keys(where), where)):
                return f"la phrase ne porte pas sur « {word} »"  # « sur le compte bancaire » is not a safe's content
        for word in q.order:  # « l'ordonnance de règlement »: the sentence or the piece itself must be that order
            said_here = _nfm(f"{cand.asked or ''} {cand.text}")
            if not _match(word, _keys(said_here), said_here) and not re.search(rf"\b{re.escape(word)}", cand.top[:150]):
                return f"la phrase ne porte pas sur l'ordonnance demandée (« {word} »)"
        text = _nfm(f"{cand.asked or ''} {cand.text} {cand.heading}")
        # « qu'a déclaré X »: any sentence of X's declaration says something; the verb need not be in it
        focus = None if q.kind != "free" or (q.speaker and cand.speaker is not None and q.focus and
                                             re.fullmatch(_SPEECH, q.focus)) else q.focus
        head = None if q.kind == "profession" and cand.spans else q.head  # the identity block's job says no « métier »
        for word in (head, *q.things, focus):
            if word and not _match(word, keys | _keys(text), text):
                return f"la phrase ne parle pas de « {word} »"
        said = _nfm(cand.text)
        near = _nfm(f"{cand.asked or ''} {cand.text}")
        for word in q.event_words:  # « prolongée »: a placement, or the act's opening, is another event
            if word == "decouv" and cand.piece is not None and cand.piece.kind == "perquisition":
                continue  # a search report finds what it lists
            where = _INSTITUTIONS.sub(" ", _nfm(f"{cand.asked or ''} {cand.local} {cand.text} {cand.heading}"))
            if not (re.search(rf"\b{word}", where) or _match(word.strip(), _keys(where), where)):
                return f"la phrase ne parle pas de « {word.strip()} »"
        for word in q.event:  # the court or judge the question names, said where the value is (not a page header)
            if not re.search(rf"\b{re.escape(word)}", near):
                return f"la phrase ne porte pas sur « {word} »"
        for ident in q.identifiers:  # the phone number or plate the question names: in the sentence or the
            # audition question it answers (« La ligne 06 … est à votre nom ; l'utilisez-vous ? » « Non, c'est … »)
            if ident not in re.sub(r"[\s.-]", "", f"{cand.asked or ''} {cand.local} {said}"):
                return f"la phrase ne porte pas sur {ident}"
        if q.dates:
            # a table row is dated by its section's title (« 3. Localisation le 14 février 2026 (extrait) »)
            around = dates_in(f"{cand.local} {cand.asked or ''} {cand.text} {cand.section if cand.header else ''}")
            if cand.piece is not None and cand.piece.date is not None:  # « lors de son audition du 16 février »
                around.add((cand.piece.date.day, cand.piece.date.month, cand.piece.date.year))
            if q.speaker is not None and cand.speaker is not None and not all(same_date(d, around) for d in q.dates) \
                    and _speaker_fit(q, cand) > 0:
                # the person asked tells the evening of the facts once, higher in the same statement (« Le 6 février,
                # … Il est rentré vers 21 heures »): no audition question in between
                page = " ".join(cand.context.split())
                at = page.find(" ".join(cand.text.split())[:40])
                said = re.split(r"\b(?:Question|Demande|Q)\s*:", page[:at])[-1] if at > 0 else ""
                around |= dates_in(said)
            if not all(same_date(d, around) for d in q.dates):
                return "la phrase ne porte pas sur la date de la question"
        if q.quoted and not any(_nfm(w) in _nfm(f"{cand.asked or ''} {cand.local} {cand.text} {cand.heading}")
                                for w in q.quoted):
            # the nickname in the sentence, its audition question or the line just before (« TONTON : … »)
            return f"la phrase ne mentionne pas « {sorted(q.quoted)[0]} »"
        if q.kind == "person" and q.quoted:
            cand.spans = [sp for sp in cand.spans if any(_nfm(w) in _nfm(sp) for w in q.quoted)]
            if not cand.spans:
                return "aucun nom de la personne désignée"
        if q.speaker is not None and q.kind not in ("free", "yesno"):  # a value: the words around it must say it
            told = _told_words(q, cand)
            said_here = _nfm(f"{cand.asked or ''} {cand.text}")  # not the page top (« nous entendons »)
            if told and not any(_match(w, keys | _keys(said_here), said_here) for w in told):
                return "la déclaration ne dit rien de ce que la question demande"
        other = _about_someone_else(q, cand)
        if other:
            return other
        if _REQUEST.search(_nfm(cand.text)) and (q.kind not in ("yesno", "free") or not re.search(
                r"requi|requet|demand", _nfm(q.text))):
            return "la phrase demande une information, elle n'en établit aucune"  # « Requérons … le titulaire »
        floor = MIN_COVERAGE_FREE if q.kind in ("yesno", "free") and not q.head else MIN_COVERAGE_TYPED
        if cand.coverage < floor:
            return f"recouvrement insuffisant avec la question ({cand.coverage:.2f})"
        return None

    @staticmethod
    def _owner_ok(q: QuestionFrame, cand: Candidate) -> bool:
        """Whose value is it? The owner named in the sentence or the piece's title passes; a sentence about
        somebody else, or in a piece about another role, does not (the judge's phone is not the insured's)."""
        here = _nfm(f"{cand.asked or ''} {cand.text}")
        title = _nfm(cand.heading)
        subject = _identity_subject(q, cand)
        if subject and q.owner not in ROLES and not any(subject == t or subject in t.split() for t in q.owner_terms):
            return False  # « MERABTI Yanis, né le 14 mars 1997 …, de Malika BENALI »: his birth date, not hers
        if any(t in here for t in q.owner_terms):
            if _owner_near_value(q, cand):
                return True
            # named far from the value in a long sentence: whose it is depends on the piece, read before it
            before = _nfm(cand.heading.split(cand.text[:40])[0])
            return not (_names(cand.text) - set(q.names)) and any(t in before for t in q.owner_terms)
        if _names(cand.text) - set(q.names):
            return False  # the sentence names somebody else: the value is that person's (a witness's phone)
        heard = {k.split()[0].lower() for k, _ in cand.piece.heard} if cand.piece is not None else set()
        if heard and re.search(r"\b(?:je|j'|mon|ma|mes|moi)\b", _nfm(cand.text).replace("’", "'")):
            return bool(heard & set(q.names))  # « je suis joignable au … » in somebody's declaration: theirs
        if any(t in _nfm(cand.local) for t in q.owner_terms):  # the sentence before names the owner
            return True
        if any(t in title for t in q.owner_terms):  # the piece is about that role (a certificate for the victim)
            return True
        if q.owner in _ROLE_OWNERS or _names(cand.text):
            return False  # nothing ties the value to that role
        if any(t in _nfm(f"{cand.header} {cand.asked or ''}") for t in q.owner_terms):
            return True
        if heard and cand.speaker is not None:  # said in somebody's declaration and naming nobody: theirs
            return bool(heard & set(q.names))
        # a name: the person the piece is about (its opening), not any person its page mentions
        return any(t in cand.top[:700] for t in q.owner_terms)

    # answer --------------------------------------------------------------------------------------------------
    def ask(self, dossier: str, question: str, on_event: EventSink | None = None) -> dict:
        """The answer dict: answer, status (answered | abstention), span, expected_type, sentences, passages.
        A compound question (« Quand et où … ? », « Qui … et pour quel montant ? ») is answered part by part."""
        self.catalog.dossier(dossier)
        question = dossier_wording(question, self.dossier_index(dossier))
        parts = split_compound(question)
        if len(parts) >= 2:
            return self._ask_parts(dossier, question, parts, on_event)
        return self._ask(dossier, frame(question), on_event)

    def _ask_parts(self, dossier: str, question: str, parts: list[str], on_event: EventSink | None) -> dict:
        """Each part answered on its own (the parts share the whole question's persons, stage and speaker); a part
        the dossier does not state is said so, and the whole is an abstention only when no part is answered."""
        started = time.perf_counter()
        whole = frame(question)
        results = [self._ask(dossier, inherit(frame(part), whole), None) for part in parts]
        answered = [(part, r) for part, r in zip(parts, results, strict=True) if r["status"] == "answered"]
        timings = {"total_s": round(time.perf_counter() - started, 3)}
        for r in results:
            for k, v in r.get("timings", {}).items():
                if k != "total_s":
                    timings[k] = round(timings.get(k, 0.0) + v, 4)
        if not answered:
            reason = " ; ".join(dict.fromkeys(r.get("reason") or "" for r in results if r.get("reason")))
            result = {"answer": ANSWER_NONE, "status": "abstention", "span": None, "sentences": [],
                      "reason": reason or "Aucune partie de la question n'est traitée par le dossier.",
                      "expected_type": " + ".join(r["expected_type"] for r in results), "passages": results[0]["passages"],
                      "notice": results[0].get("notice"), "parts": results, "timings": timings}
            if on_event:
                on_event("abstention", {"answer": result["answer"], "reason": result["reason"]})
            return result
        lines, sentences, seen = [], [], set()
        for part, r in zip(parts, results, strict=True):
            label = part_label(part)
            if r["status"] != "answered":
                lines.append(f"{label} : le dossier ne le précise pas.")
                continue
            new = [x for x in r["sentences"] if (x["text"], str(x["citations"])) not in seen]
            seen |= {(x["text"], str(x["citations"])) for x in r["sentences"]}
            if not new and r.get("span"):  # the same sentence answers both parts: its value only
                cites = format_citations([Citation(**c) for c in r["sentences"][0]["citations"]])
                lines.append(f"{label} : {r['span']} {cites}")
            else:
                lines.append(f"{label} : {r['answer']}")
            sentences += new
        for x in sentences:
            if on_event:
                on_event("sentence", x)
        spans_found = [r["span"] for _, r in answered if r.get("span")]
        return {"answer": " ".join(lines), "status": "answered", "span": " ; ".join(spans_found) or None,
                "sentences": sentences, "expected_type": " + ".join(r["expected_type"] for r in results),
                "passages": answered[0][1]["passages"], "notice": answered[0][1].get("notice"), "parts": results,
                "timings": timings}

    def _ask(self, dossier: str, q: QuestionFrame, on_event: EventSink | None = None) -> dict:
        started = time.perf_counter()
        clock = _Stages(started)
        self.catalog.dossier(dossier)
        clock.lap("frame_s")
        index = self.dossier_index(dossier)
        clock.lap("index_s")
        searched = self._local.search_s = {"search_hybrid_s": 0.0, "search_sparse_s": 0.0}
        pool, passages = self.candidates(q, dossier, index)
        clock.lap("candidates_s")
        clock.times.update(searched)
        clock.times["candidates_s"] -= sum(searched.values())  # reading the sentences only
        if index.repeated and not re.search(r"numero|reference|\bn°|parquet|cabinet|procedure", _nfm(q.text)):
            # (a question about the procedure's own number or cabinet is answered by the letterhead)
            pool = [c for c in pool if " ".join(_nfm(c.text).split()) not in index.repeated]
        ranked = self.score(q, pool, (index.n, index.counts), index)
        clock.lap("score_s")
        self._local.stages = clock.times
        self._local.clock = clock
        closest = [p.to_dict() for p in passages[:3]]
        base = {"expected_type": KIND_LABELS[q.kind], "passages": closest, "notice": self._indexing_notice(dossier)}
        opening = self._act_opening(q, index)
        missing_act = unsaid_act(q, index) if opening is None else None
        if missing_act:
            result = {"answer": ANSWER_NONE, "status": "abstention", "span": None, "sentences": [],
                      "reason": missing_act}
            return self._finish(result | base, started, on_event)
        if opening is not None:  # the act's own piece dates it; a summary or another act restating it comes after
            ranked = [opening] + [c for c in ranked if c.raw != opening.raw]
        if q.kind not in ("yesno", "free") and q.speaker is not None:
            ranked = _theirs_first(q, ranked, pool)
        unsaid = _absent_piece(q, index) or self._unsaid(q, index, ranked)
        if unsaid:
            ranked = []
        if ranked and q.kind == "yesno" and (q.stages or q.speaker is not None):
            ranked, unsaid = _own_declarations(q, ranked, pool, index)
        if ranked and q.kind == "yesno":
            ranked = _proposition_first(q, ranked, index)
            if q.speaker is None and not q.stages:
                ranked, only_possible = _only_possible(q, ranked, index)
                unsaid = only_possible or unsaid
        if ranked and q.asks_result and (pending := _no_result_yet(ranked[0])):
            unsaid, ranked = pending, []
        if ranked and _asks_list(q.text):
            ranked = _items_first(q, ranked)
        if not ranked and q.kind == "profession" and not unsaid:  # stated in words, not in an identity block
            q.kind = "free"
            return self._ask(dossier, q, on_event)
        if not ranked:
            reason = unsaid or self._abstention_reason(q, pool)
            result = {"answer": ANSWER_NONE, "status": "abstention", "span": None, "sentences": [], "reason": reason}
            return self._finish(result | base, started, on_event)
        best = ranked[0]
        span = best.spans[0] if best.spans else None
        if q.kind == "yesno":
            opened = _reply_before(pool, best, limit=12)  # the reply's first words decide a denial (« C'est pas à moi »)
            span = decide(q, best, opened[0].text if opened else None)
        sentence = {"text": best.text, "citations": [_cite(best.evidence.citation)], "status": "fallback",
                    "asked": best.asked, "span": span}
        listed = _asks_list(q.text)
        items = best.entries[:8] or ((_list_run(pool, best, index) or _gathered(q, best, index)
                                      or _table_rows(pool, best) if listed else [])
                                     or _following(pool, best)
                                     or (_list_run(pool, best, index, limit=6) if q.kind == "yesno" else [])
                                     or (_same_reply(pool, best) if q.kind in ("free", "yesno") else []))
        before = _reply_before(pool, best) if q.kind in ("free", "yesno") and not listed else []
        if self.llm is not None:
            llm_result = self._llm_answer(q, ranked[:4], on_event)
            if llm_result is not None:
                return self._finish(llm_result | base, started, on_event)
        if on_event:
            on_event("sentence", sentence)
        sentences = [sentence] + [{"text": c.text, "citations": [_cite(c.evidence.citation)], "status": "fallback",
                                   "asked": None, "span": None} for c in before + items]
        when = _said_when(best) if q.kind in ("yesno", "free") else ""
        answer = render(span, best, when, [c.text for c in before]) + "".join(
            f" « {c.text} » {format_citations([c.evidence.citation])}" for c in items)
        result = {"answer": answer, "status": "answered", "span": span, "sentences": sentences,
                  "alternatives": [{"text": c.text, "citations": [_cite(c.evidence.citation)]} for c in ranked[1:3]]}
        return self._finish(result | base, started, None)

    def _act_opening(self, q: QuestionFrame, index: DossierIndex) -> Candidate | None:
        """« Quand la perquisition a-t-elle eu lieu ? », « À quelle date X a-t-il été entendu ? »: an act is dated by
        the opening of its own piece (« L'an deux mille vingt-six, le dix-sept mars, à six heures cinq, Nous … »).
        Among the pieces of that kind, the one about the persons the question names and most of its other words;
        None when no such piece states its date (the other candidates then decide)."""
        if not q.act or q.kind not in ("date", "time") or q.speaker is not None:
            return None  # « à quelle heure le voisin dit-il … »: a time told, not the time of the hearing
        from core.text import numbers_in_words_to_digits

        best: tuple[int, str, int] | None = None
        for doc, piece in index.pieces.items():
            if piece.kind not in q.act or piece.date is None:
                continue
            first = min((p for d, p in index.pages if d == doc), default=None)
            if first is None:
                continue
            top = _nfm(" ".join(c.text for c in index.pages[(doc, first)]))
            if q.names and not all(re.search(rf"\b{re.escape(n)}\b", top) for n in q.names):
                continue  # the perquisition at somebody else's home, another person's hearing
            fit = sum(1 for w in q.content if _match(w, _keys(top), top))
            if best is None or fit > best[0]:
                best = (fit, doc, first)
        if best is None:
            return None
        _, doc, first = best
        piece = index.pieces[doc]
        wanted = (piece.date.day, piece.date.month, piece.date.year)  # type: ignore[union-attr]
        chunks = sorted(index.pages[(doc, first)], key=lambda c: c.char_start)
        sentences = [(c, 0.0, s) for c in chunks for s in _sentences(c)]
        for cand in _page_candidates(sentences, " ".join(c.text for c in chunks)):
            if not same_date(wanted, dates_in(numbers_in_words_to_digits(cand.text))):
                continue
            cand.piece, cand.top = piece, index.tops.get(doc, "")
            cand.speaker = index.speakers.get((doc, cand.raw))
            day = f"{'1er' if wanted[0] == 1 else wanted[0]} {_MONTH_NAMES[wanted[1] - 1]} {wanted[2]}"
            times = spans("time", cand.text)
            if q.kind == "time" and not times:
                continue
            # the act's own date, never another date its opening cites (« commission rogatoire du 9 février »)
            cand.spans = [f"{times[0]}, le {day}" if q.kind == "time" else
                          f"{day} à {times[0]}" if times and q.date_and_time else day]
            cand.coverage, cand.score = 1.0, 10.0
            return cand
        return None

    def _llm_answer(self, q: QuestionFrame, top: list[Candidate], on_event: EventSink | None) -> dict | None:
        """The model's answer from the candidates, streamed; None when it fails verification (extract shown)."""
        evidence = number([c.evidence for c in top])
        system, user = self.prompt.render(question=q.text, expected=KIND_LABELS[q.kind], evidence=evidence,
                                          asked={e.id: c.asked for e, c in zip(evidence, top, strict=True)})
        pieces: list[str] = []
        try:
            stream = getattr(self.llm, "stream", None)
            chunks = stream(system, user) if stream else [self.llm.complete(system, user)]  # type: ignore[union-attr]
            for delta in chunks:
                pieces.append(delta)
                if on_event and delta:
                    on_event("token", {"text": delta})
        except AppError as exc:
            if on_event:
                on_event("retract", {"reason": f"{exc.message} Réponse extraite du dossier."})
            return None
        output = "".join(pieces).strip()
        from generation.drafting import parse_cited

        if "ne permet pas de répondre" in output:
            if on_event:
                on_event("retract", {"reason": "Le modèle ne trouve pas la réponse : réponse extraite du dossier."})
            return None
        by_id = {e.id: c for e, c in zip(evidence, top, strict=True)}
        sentences = []
        for text, ids in parse_cited(output):
            cands = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
            cited = [c.evidence for c in cands]
            reasons = _verify_answer(self.check, text, cands, q) if cands else ["aucune source valide citée"]
            if reasons:
                if on_event:
                    on_event("retract", {"reason": "Réponse du modèle non vérifiée ("
                                                   + "; ".join(reasons) + ") : réponse extraite du dossier."})
                return None
            sentences.append({"text": text, "citations": [_cite(e.citation) for e in cited], "status": "supported",
                              "asked": None, "span": None})
        if not sentences:
            return None
        for s in sentences:
            if on_event:
                on_event("sentence", s)
        answer = " ".join(f"{s['text']} {format_citations([Citation(**c) for c in s['citations']])}"
                          for s in sentences)
        spans_found = [sp for c in top for sp in c.spans if normalize_for_match(sp) in normalize_for_match(answer)]
        return {"answer": answer, "status": "answered", "span": spans_found[0] if spans_found else None,
                "sentences": sentences, "model": getattr(self.llm, "model_id", "llm"),
                "prompt": {"name": self.prompt.name, "version": self.prompt.version}}

    def _indexing_notice(self, dossier: str) -> str | None:
        """« Recherche plein texte seulement : … » while some pages of the dossier wait for their dense vector."""
        indexing = getattr(self.search, "indexing", None)
        state = indexing(dossier) if indexing else None
        return state.message if state else None

    @staticmethod
    def _unsaid(q: QuestionFrame, index: DossierIndex, ranked: list[Candidate]) -> str | None:
        """A question about what somebody said (« qu'a déclaré X en garde à vue ») on a false premise: the dossier
        holds no declaration of that person at that stage, or the best sentence is not theirs."""
        if q.speaker is None:
            return None
        if q.kind not in ("free", "yesno"):  # a value: wrong only when another person is the one saying it
            best = ranked[0] if ranked else None
            if best is not None and best.speaker not in (None, "?") and _other_speaker(q, best):
                return "La valeur trouvée est dite par une autre personne que celle que nomme la question."
            return None
        who = " ".join(sorted(q.speaker.names)).upper() or " ".join(sorted(q.speaker.roles))
        names = list(q.speaker.names) or sorted(q.speaker.roles)
        if q.stages and not _speaker_cotes(q, index) and not any(
                p.kind in q.stages and any(n in index.tops.get(d, "") for n in names) for d, p in index.pieces.items()):
            return f"Le dossier ne contient aucune déclaration de « {who} » à ce stade de la procédure."
        best = ranked[0] if ranked else None
        if best is not None and best.speaker != "?" and _other_speaker(q, best):
            return f"Aucune déclaration de « {who} » ne traite de cette question dans le dossier."
        return None

    def _abstention_reason(self, q: QuestionFrame, pool: list[Candidate]) -> str:
        rejected = sorted((c for c in pool if c.rejected), key=lambda c: -c.coverage)
        if q.kind not in ("yesno", "free") and not any(c.spans for c in pool):
            return f"Aucun(e) {KIND_LABELS[q.kind]} dans les passages les plus proches de la question."
        if rejected and rejected[0].spans and q.owner:
            return (f"Les passages proches donnent un(e) {KIND_LABELS[q.kind]}, mais pas celui ou celle de "
                    f"« {q.owner} ».")
        return "Aucun passage du dossier ne traite précisément de cette question."

    def _find(self, query: str, flt: SearchFilter, **kw) -> list:
        """The search service, timed per mode (the hybrid search embeds the question; sparse ones do not)."""
        t = time.perf_counter()
        try:
            return self.search.search(query, flt, **kw)
        finally:
            key = "search_sparse_s" if kw.get("mode") == "sparse" else "search_hybrid_s"
            searched = getattr(self._local, "search_s", None)
            if searched is not None:
                searched[key] = searched.get(key, 0.0) + time.perf_counter() - t

    def _finish(self, result: dict, started: float, on_event: EventSink | None) -> dict:
        stages = getattr(self._local, "stages", {})
        clock = getattr(self._local, "clock", None)
        if clock is not None:
            stages = stages | {"cpu_s": clock.cpu()}
        self._local.stages, self._local.clock = {}, None
        result["timings"] = {"total_s": round(time.perf_counter() - started, 3)} | {
            k: round(v, 4) for k, v in stages.items()}
        if on_event and result["status"] == "abstention":
            on_event("abstention", {"answer": result["answer"], "reason": result.get("reason")})
        return result


# Abbreviations a magistrate writes in a question, in the words the pieces use (« en GAV », « le CJ », « compte pro »).
_ABBREVIATIONS = ((re.compile(r"\bGAV\b"), "garde à vue"), (re.compile(r"\bCJ\b"), "contrôle judiciaire"),
                  (re.compile(r"\bIPC\b"), "interrogatoire de première comparution"),
                  (re.compile(r"\bJI\b"), "juge d'instruction"),
                  (re.compile(r"\b(compte|comptes) pros?\b", re.I), r"\1 professionnel"))
_TITLE_WORD = re.compile(r"(?<![\wÀ-ÿ'-])[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)*(?![\wÀ-ÿ-])")


def dossier_wording(question: str, index: DossierIndex) -> str:
    """The question in the dossier's own writing: a surname typed in lower case (« chez Berthollet »,
    « Mme Quesnoy-Briand ») that the dossier writes in capitals is written so (every person check reads capitals),
    and the usual abbreviations are spelt out (« en GAV » -> « en garde à vue »)."""
    known = set(index.firsts) | set(index.heard)
    quoted = {_nfm(w) for w in re.findall(r"«\s*([^»]{1,40}?)\s*»", question)}  # « Tonton » stays a nickname
    out = _TITLE_WORD.sub(lambda m: m.group(0).upper() if _nfm(m.group(0)) in known - quoted else m.group(0),
                          question)
    for pattern, words in _ABBREVIATIONS:
        out = pattern.sub(words, out)
    return out


# Pieces about one person's legal situation: their order, bulletin n° 1, personality or psychiatric report. A value
# read there is that person's (the other mis en examen's cautionnement, a sum found at another person's home).
_PERSONAL_KINDS = {"ordonnance_cj", "ordonnance_detention", "casier", "personnalite", "expertise_psy", "perquisition",
                   "expertise_medicale"}
_FIRST_PERSON = re.compile(r"\b(?:je|j'|moi|mon|ma|mes|m'|nous|notre|nos)\b")


def same_person(keys: set[str], names: set[str]) -> bool:
    """Two sets of surname keys share a person, allowing the letter or two a scan misreads (« BERTH0LLET »,
    « MERABTl »): a bulletin read by OCR is still its subject's, and never becomes another person's."""
    if keys & names:
        return True
    from difflib import SequenceMatcher

    return any(len(a) >= 5 and len(b) >= 5 and abs(len(a) - len(b)) <= 2 and
               SequenceMatcher(None, a, b).ratio() >= 0.8 for a in keys for b in names)


_OCR_DIGITS = str.maketrans("0185", "olbs")


def _identity_keys(piece: PieceInfo | None, top: str) -> set[str]:
    """The surname on a bulletin's « Identité : » line, read through a scan's digit-for-letter errors
    (« LAM0TTE » -> lamotte): whose record it is even when the piece reader found nobody."""
    if piece is None or piece.kind != "casier":
        return set()
    m = re.search(r"\bidentite\s*:\s*([a-z0-9][a-z0-9'-]{2,})", top[:1500])
    return {m.group(1).translate(_OCR_DIGITS)} if m else set()


def _subject_keys(piece: PieceInfo | None) -> set[str]:
    return {k.split()[0].lower() for k, _ in piece.heard} if piece is not None else set()


# What a question about a person's record says (the bulletin n° 1 answers only those).
_ASKS_RECORD = re.compile(r"casier|condamn|antecedent|\bb1\b|bulletin|peine|sursis|recidive|amende|"
                          r"emprisonnement|jours-amende|prononce|infraction|delit|antecedents")


# A sentence saying the event did not happen (« Aucune trace exploitable n'a été relevée le 14 janvier ») never dates,
# places or counts it.
_NEGATED_EVENT = re.compile(r"^(?:aucune?|nul(?:le)?|pas d[e'])\b|\bn'(?:a|ont|avait|avaient|est|etait)\s+(?:pas |jamais |"
                            r"rien |pu )?(?:ete|eu|lieu)\b|\bne (?:sont|furent|fut|peut|peuvent) (?:pas|jamais)\b|"
                            r"\bn'(?:a|ont) (?:pas|jamais) (?:ete|pu)\b")
_PERSON_FORM = re.compile(r"(?:\b(?:M\.|Mme|Mlle|Me|Maître|Monsieur|Madame)\s)|^[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
                          r"\s+[A-ZÀ-Ý]{2}|^[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+\s+[A-ZÀ-Ý][a-zà-ÿ]+")


def _victims_value(cand: Candidate, reach: int = 80) -> bool:
    """« la victime présentait … une ITT définitive de douze jours »: the sentence gives the value as the victim's."""
    text = _nfm(cand.text)
    at = text.find(_nfm(cand.spans[0]))
    if at < 0:
        return False
    return bool(re.search(r"\b(?:la victime|de la victime|partie civile|plaignante?)\b", text[max(0, at - reach):at]))


def _named_other(q: QuestionFrame, cand: Candidate) -> str | None:
    """The value is another person's: the sentence names a person (first name or civility with the surname) who is
    not the one of the question, and not the asked person (« la garde à vue de Yanis BERTHOLLET a été levée » does
    not date Mickaël DORANGE's); or it names the asked surname without the asked first name while the dossier
    knows another person of that name (« Mme LAMBOISE » is not « Josiane LAMBOISE »)."""
    names = {n for n in q.names if len(n) > 2}
    if not names or q.kind in ("yesno", "free", "person"):
        return None
    said = f"{cand.asked or ''} {cand.text}"
    officials = {o.lower() for o in cand.piece.officials} if cand.piece is not None else set()
    persons = {k for raw in person_names(said) if _PERSON_FORM.search(raw) for k in name_keys(raw)} - officials
    owned = _owners_in(q, said) - officials  # « la garde à vue de Jordan PRIVAT » when « de Kevin LAMOTTE » is asked
    if cand.heard:  # another protagonist (a co-accused), not the owner of a house the sentence locates
        persons &= cand.heard
    speaker = (cand.speaker or "").split()[0].lower() if cand.speaker not in (None, "?", "") else ""
    mine = names & (_names(said) | _norm_words(said)) or speaker in names
    if (persons and not mine) or (owned and not owned & names):
        return "la phrase porte sur une autre personne que celle de la question"
    words = _norm_words(said)
    for first, last in re.findall(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\s+([A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+)", q.text):
        f, sur = _nfm(first), _nfm(last)
        if f in ("monsieur", "madame", "maitre", "mme", "mlle", "me") or sur not in words or f in words:
            continue
        others = cand.firsts.get(sur, set()) - {f}
        if others & words:  # « Mme Henriette VASSAL » when « Colette VASSAL » is asked
            return "la phrase nomme un homonyme de la personne de la question"
        if others and f not in _norm_words(cand.local) and f not in _norm_words(cand.context):
            return "la phrase nomme un homonyme de la personne de la question"
    return None


def _owners_in(q: QuestionFrame, said: str) -> set[str]:
    """Whose thing the sentence names when the question asks « la garde à vue / le téléphone / le domicile de X »:
    the surnames after the same noun in the sentence (« la garde à vue de Jordan PRIVAT »)."""
    m = re.search(r"\b((?:[a-zà-ÿ'-]+ ){0,2}[a-zà-ÿ'-]{3,}) (?:de|du|d')\s?(?:M\.|Mme|Monsieur|Madame)?\s*"
                  r"(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+)?[A-ZÀ-Ý]{2}[A-ZÀ-Ý'-]+", q.text)
    if not m:
        return set()
    words = m.group(1).split()
    noun = words[-1] if len(words[-1]) >= 4 or len(words) < 3 else " ".join(words[-3:])  # « garde à vue »
    if noun in ("numéro", "nom", "date", "montant", "somme", "heure", "lieu", "adresse", "durée"):
        return set()  # « le numéro de X » names no thing of X's the sentence would repeat
    out = set()
    for m2 in re.finditer(rf"\b{re.escape(noun)}s? (?:de|du|d')\s?((?:M\.|Mme|Monsieur|Madame)?\s*(?:[A-ZÀ-Ý][a-zà-ÿ]+"
                          r"(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+)?[A-ZÀ-Ý]{2}[A-ZÀ-Ý'-]+)", said, re.I):
        out |= name_keys(m2.group(1))
    return out


def _about_someone_else(q: QuestionFrame, cand: Candidate) -> str | None:
    """The question names a person and the value belongs to another one: a piece about another person's situation,
    or a first-person statement by another speaker (« il y a 2 000 euros à moi » said by X answers nothing about
    Y). A sentence naming the question's person is kept."""
    names = {n for n in q.names if len(n) > 2}
    if not names or q.kind in ("person",):
        return None
    said = _names(cand.text) | _names(cand.asked or "") | _norm_words(f"{cand.asked or ''} {cand.text}")
    if names & said:
        return None
    piece = cand.piece
    subject = _subject_keys(piece) | _identity_keys(piece, cand.top)
    if piece is not None and piece.kind in _PERSONAL_KINDS and subject and not same_person(subject, names):
        return "la pièce concerne une autre personne que celle de la question"
    speaker = (cand.speaker or "").split()[0].lower() if cand.speaker not in (None, "?", "") else ""
    if any(part.upper() in _PIECE_WORDS for part in re.split(r"[-' ]", speaker)):
        speaker = ""  # a heading misread as the speaker (« PROCÈS-VERBAL »): nobody known speaks
    if speaker and speaker not in names and not subject & names and _FIRST_PERSON.search(
            _nfm(cand.text).replace("’", "'")):
        return "la valeur est celle de la personne qui parle, pas de la personne de la question"
    return None


def unsaid_act(q: QuestionFrame, index: DossierIndex) -> str | None:
    """« À quelle date X a-t-il été confronté à Noah Y ? »: the dossier holds acts of that kind, none with every
    person the question names (a confrontation with somebody else is no answer)."""
    names = {n for n in q.names if len(n) > 2}
    if not q.act or q.kind not in ("date", "time") or len(names) < 2 or q.speaker is not None:
        return None
    held = [d for d, p in index.pieces.items() if p.kind in q.act]
    if not held or any(all(re.search(rf"\b{re.escape(n)}\b", index.tops.get(d, "")) for n in names) for d in held):
        return None
    return "Le dossier ne contient aucun acte de ce type réunissant les personnes que nomme la question."


def _absent_piece(q: QuestionFrame, index: DossierIndex) -> str | None:
    """« Les conclusions de l'expertise psychiatrique de X », « le casier de Y »: the question names a kind of piece
    the dossier does not hold, or holds only about other persons."""
    names = {n for n in q.names if len(n) > 2}
    searched = [d for d, p in index.pieces.items() if p.kind == "perquisition"]
    subjects = {k.split()[0].lower() for d in searched for k, _ in index.pieces[d].heard if k}
    if names and searched and subjects and not subjects & names and re.search(r"\bperquisition", _nfm(q.text)) \
            and not any(re.search(rf"\b{re.escape(n)}\b", index.tops.get(d, "")) for d in searched for n in names):
        return "Le dossier ne contient aucune perquisition concernant la personne de la question."
    if not q.pieces:
        return None
    held = [(d, p) for d, p in index.pieces.items() if p.kind in q.pieces]
    if not held:
        return "Le dossier ne contient aucune pièce de ce type (" + ", ".join(
            sorted(LABELS.get(k, k) for k in q.pieces)) + ")."
    names = {n for n in q.names if len(n) > 2}
    if not names or not q.pieces & _ABOUT_ONE_PERSON:  # the écoutes or an ADN report are about no one person
        return None
    for doc, piece in held:
        subject = _subject_keys(piece) | _identity_keys(piece, index.tops.get(doc, ""))
        top = index.tops.get(doc, "")[:900]
        if same_person(subject, names) or (not subject and any(re.search(rf"\b{re.escape(n)}\b", top) for n in names)):
            return None  # a report on X that names Y among its sources is still X's
    return "Les pièces de ce type au dossier concernent une autre personne que celle de la question."


# Qualifiers that set apart values of the same type in one file: the subscriber of a line and its user, the gross
# and the net weight, the provisional and the final ITT, what was seized / weighed / declared, a rate per day and
# per week. A candidate that shows another member of the group, and not the one the question names, is about
# another value.
CONTRASTS: tuple[tuple[str, ...], ...] = (
    (r"titulaire|abonne|souscri|au nom de|facturation", r"utilis|se sert|se servait|sert de|servait de"),
    (r"\bbrut", r"\bnet(?:te)?\b"),
    (r"provisoire|initiale?", r"definiti"),
    (r"par jour|quotidien|chaque jour|/ ?jour", r"par semaine|hebdomadaire|chaque semaine|/ ?semaine",
     r"par mois|mensuel|chaque mois|/ ?mois", r"par an\b|annuel|chaque annee|/ ?an\b"),
    (r"saisi|decouv|trouv", r"pese|pesee|analys|laboratoire", r"declar|reconn|avou|selon lui|selon elle"),
    # a company's account and a person's own (« compte professionnel de la SARL » / « compte de dépôt de Mme X »)
    (r"professionnel|\bde la (?:sarl|sas|societe)\b|entreprise", r"\bpersonnel|particulier|compte de depot|livret"),
)
_CONTRASTS = tuple(tuple(re.compile(m) for m in group) for group in CONTRASTS)


def _contrasted(question: str, text: str) -> bool:
    """The text shows a qualifier of a group the question names, and not the question's own: another value."""
    return any(_contrasted_in(group, question, text) for group in _CONTRASTS)


def _contrasted_in(group: tuple[re.Pattern, ...], question: str, text: str) -> bool:
    asked = [i for i, m in enumerate(group) if m.search(question)]
    if len(asked) != 1:
        return False
    return not group[asked[0]].search(text) and any(m.search(text) for i, m in enumerate(group) if i != asked[0])


def _clauses(text: str, span: str) -> tuple[str, str]:
    """The clause of a sentence that holds a span (between commas, semicolons, colons) and the one before it:
    « Dans le coffre, sous le tapis, nous découvrons une somme de 4 350 euros » — the place is one clause up."""
    norm, target = _nfm(text), _nfm(span)
    at = norm.find(target)
    if at < 0:
        return norm, ""
    cuts = [0] + [m.end() for m in re.finditer(r"[,;:|]\s|\s—\s", norm)] + [len(norm) + 1]
    for i in range(len(cuts) - 1):
        if cuts[i] <= at < cuts[i + 1]:
            return norm[cuts[i]:cuts[i + 1]], norm[cuts[i - 1]:cuts[i]] if i else ""
    return norm, ""


def _by_qualifiers(q: QuestionFrame, text: str, found: list[str]) -> list[str]:
    """Several values of the type in one sentence (« 40 grammes par jour, … 250 grammes par semaine »): the one whose
    clause carries the question's qualifiers first; a value whose clause names another qualifier of a contrast
    group (per day when the question says per week) goes last."""
    names = {t for n in q.names for t in tokens(n)}
    narrowing = set(_qualifier_words(q))
    weights = {w: 4 if w in narrowing else 1 for w in q.content
               if w not in _GENERIC_HEADS and not w.isdigit() and w not in names and w not in ("mme", "m", "monsieur",
                                                                                               "madam", "maitr")}
    question = _nfm(q.text)

    def rank(item: tuple[int, str]) -> tuple[int, int, int]:
        i, span = item
        own, previous = _clauses(text, span)
        contrasted = _contrasted(question, own)
        near = sum(v for w, v in weights.items() if _match(w, _keys(own), own)) * 2 + sum(
            v for w, v in weights.items() if _match(w, _keys(previous), previous))
        # two values in one clause (« 38 650 euros de versements … et dans le coffre la somme de 8 600 euros »): the
        # words just before a value describe it
        at = norm.find(_nfm(span))
        window = norm[max(0, at - 70):at + len(_nfm(span)) + 25] if at >= 0 else own
        close = sum(v for w, v in weights.items() if _match(w, _keys(window), window))
        return (1 if contrasted else 0, -near, -close, i)

    norm = _nfm(text)

    return [span for _, span in sorted(enumerate(found), key=rank)]


# The pieces that establish a fact (the order names the prison, the operator's answer the subscriber, the B1 the
# convictions): a value read there is preferred to the same value restated elsewhere (an enquête de personnalité).
_FACT_PIECES: tuple[tuple[re.Pattern, frozenset[str]], ...] = tuple((re.compile(p), frozenset(k)) for p, k in (
    (r"\bdetenue?s?\b|ecroue?|incarcer|placee? en detention|detention provisoire|mandat de depot|"
     r"etablissement penitentiaire|maison d'arret", {"ordonnance_detention"}),
    (r"controle judiciaire", {"ordonnance_cj"}),
    (r"condamn|antecedent|casier|bulletin n|\bb1\b", {"casier"}),
    (r"titulaire|abonne|utilisateur|\bligne\b|operateur", {"reponse_requisition", "exploitation_telephonie",
                                                          "requisition"}),
    (r"\bitt\b|incapacite totale", {"expertise_medicale"}),
    (r"empreinte|trace papillaire|\bfaed\b", {"faed"}),
    (r"\badn\b|genetique|fnaeg", {"expertise_adn"}),
    (r"\bsaisie?s?\b|perquisition|scelle|decouv", {"perquisition"}),
))


def _fact_cotes(q: QuestionFrame, index: DossierIndex) -> list[str]:
    question = _nfm(q.text)
    kinds = {k for p, ks in _FACT_PIECES if p.search(question) for k in ks} | set(q.pieces)
    return sorted({p.cote for p in index.pieces.values() if p.kind in kinds and p.cote})[:6] if kinds else []


def _fact_piece_first(q: QuestionFrame, ranked: list[Candidate]) -> list[Candidate]:
    """A value the piece that establishes it states (the detention order for the prison, the search report for the
    sum found, the order for the obligations) is cited before a hearing or another order restating it, when it
    answers nearly as well."""
    if q.kind in ("yesno", "free") or not ranked or _piece_fit(q, ranked[0]) > 0 or re.search(
            r"\bselon\b|\bd'apres\b", _nfm(q.text)):
        return ranked  # « selon le laboratoire »: the source the question names decides
    best = ranked[0]
    for cand in ranked[1:8]:
        if cand.spans and _piece_fit(q, cand) > 0 and cand.coverage >= 0.5 * best.coverage and not _contrasted(
                _nfm(q.text), _nfm(f"{cand.header} {cand.text}")):  # the subscriber's row is not the user asked
            return [cand] + [c for c in ranked if c is not cand]
    return ranked


# Nouns a count is written with in the pieces (« combien de versements » : « 23 dépôts »)
_COUNTED_AS = {"vers": {"depot", "depots", "versement"}, "depot": {"vers", "versement"}, "virement": {"vir"},
               "contact": {"appel", "sms", "communic"}, "communic": {"appel", "contact", "sms"}}
_POLICE_ROLES = {"enqueteur", "policier", "gendarme"}
_POLICE_KINDS = {"constatations", "perquisition", "notification_gav", "video", "exploitation_telephonie", "synthese"}
# A sentence telling that an act is carried out (« Elle effectue des prélèvements … ») gives no result of it.
_PERFORMS = re.compile(r"^(?:(?:il|elle|nous|on|l'expert|le technicien|la technicienne)\s+)?(?:effectu|procede|proced|"
                       r"realis|prelev)\w*\b")


def _agent_fit(q: QuestionFrame, cand: Candidate) -> float:
    """« Qui a placé X en détention ? »: the order's own opening (« Nous, Anne ROUX, juge des libertés … »)."""
    if q.kind != "person" or not _AGENT.search(_nfm(q.text)) or cand.piece is None:
        return 0.0
    return 1.0 if cand.piece.kind.startswith("ordonnance") and re.search(r"\bNous,\s+\S", cand.text) else 0.0


def _named_piece_fit(q: QuestionFrame, cand: Candidate) -> float:
    """« Selon les écoutes », « qu'a donné l'analyse ADN »: the piece the question names is the source; another
    piece restating it (an order, a réquisitoire) comes after."""
    if not q.pieces or cand.piece is None:
        return 0.0
    return 0.8 if cand.piece.kind in q.pieces else -0.4


def _piece_fit(q: QuestionFrame, cand: Candidate) -> float:
    if cand.piece is None:
        return 0.0
    question = _nfm(q.text)
    return 0.5 if any(p.search(question) and cand.piece.kind in kinds for p, kinds in _FACT_PIECES) else 0.0


_LABEL = re.compile(r"^\s*([A-Za-zÀ-ÿ' .-]{3,40}?)\s*:\s*\S")


def _field_fit(q: QuestionFrame, cand: Candidate) -> float:
    """A form or a table names what a value is (« Titulaire : … », a « Titulaire » column): when that label is a
    word of the question, the value is the one asked (the subscriber, not a person who speaks of the line)."""
    m = _LABEL.match(cand.text)
    label = _header_words(cand.header) + " " + (_header_words(m.group(1)) if m else "")
    if not label.strip():
        return 0.0
    words = [w for w in q.content if w not in _GENERIC_HEADS and not w.isdigit()]
    return 0.6 if any(w in _keys(label) or (len(w) >= 5 and w[:5] in _keys(label)) for w in words) else 0.0


def _contrast_fit(q: QuestionFrame, text: str) -> float:
    return -1.0 if _contrasted(_nfm(q.text), text) else 0.0


def _owner_near_value(q: QuestionFrame, cand: Candidate, reach: int = 60) -> bool:
    """In a long sentence the owner must be near the value: « la victime présentait une ITT de douze jours …,
    faits commis en présence de l'enfant Noah » gives the victim's ITT, not the child's."""
    text = _nfm(cand.text)
    if len(text) <= 3 * reach or not cand.spans:
        return True
    at = text.find(_nfm(cand.spans[0]))
    if at < 0:
        return True
    end = at + len(_nfm(cand.spans[0]))
    return any(at - reach <= m.start() <= end + reach for t in q.owner_terms
               for m in re.finditer(re.escape(t), text)) or \
        any(t in _nfm(cand.asked or "") for t in q.owner_terms) or _identity_owner(q, cand)


# Institutions whose name holds an event word (« juge des libertés » says nothing of a release)
_INSTITUTIONS = re.compile(r"\bjuge des libertes(?: et de la detention)?|\bliberte surveillee\b|\bdes libertes\b")
_ABOUT_ONE_PERSON = {"casier", "personnalite", "expertise_psy", "expertise_medicale", "interrogatoire",
                     "interrogatoire_premiere"}
_ORGANISATION = re.compile(r"\b(?:Mobile|T[ée]l[ée]com|SA|SAS|SARL|Bank|Banque|Group|Groupe|Assurances?)$|^Pour\b")
_SURNAME = re.compile(r"(?<![\wÀ-ÿ])[A-ZÀ-Ý]{3,}(?:[-'][A-ZÀ-Ý]{2,})*(?![\wÀ-ÿ])")


def _identity_owner(q: QuestionFrame, cand: Candidate) -> bool:
    """An identity block (« TIXIER Bernard, né le …, demeurant …, téléphone 06 … »): the value belongs to the last
    person named before it in the sentence, however long the block is."""
    at = cand.text.find(cand.spans[0]) if cand.spans else -1
    if at < 0:
        return False
    if q.kind not in ("phone", "age", "date", "place", "profession"):
        return False
    before = [m for m in _SURNAME.finditer(cand.text[:at]) if m.group(0) not in _PIECE_WORDS]
    if not before or not re.search(r"\bn[ée]e? (?:le|en|à)\b|\bdemeurant\b|\bdomicili", cand.text[before[-1].end():at]):
        return False
    return any(_nfm(before[-1].group(0)) == t or _nfm(before[-1].group(0)) in t.split() for t in q.owner_terms)


_AGENT = re.compile(r"^qui (?:l'|les? |la )?(?:a|ont) (?:place|ordonne|decide|decerne|prononce|signe|rendu|"
                    r"mis en examen|condamne|remis|libere|rejete)")
_PHONE_IN = re.compile(r"(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")


def _speaker_display(cand: Candidate) -> str | None:
    """The speaker of a declaration as the piece names them (« Inès CHAOUI »), None when nobody known speaks."""
    if not _known_key(cand.speaker) or cand.piece is None:
        return None
    key = cand.speaker or ""
    for k, display in cand.piece.heard:
        if k == key and re.search(r"[A-ZÀ-Ý]{2}", display) and not re.match(r"(?:Monsieur|Madame|M\.|Mme)\b", display):
            return display
    parts = key.split()
    return f"{parts[1].title()} {parts[0]}" if len(parts) > 1 else parts[0] if parts else None


def _identifier_before(text: str, span: str) -> str | None:
    """The last phone number written before a name in the sentence (digits only), None when there is none."""
    at = text.find(span)
    found = _PHONE_IN.findall(text[:at]) if at > 0 else []
    return re.sub(r"\D", "", found[-1]) if found else None


def _identity_subject(q: QuestionFrame, cand: Candidate) -> str | None:
    """The person an identity block gives the value of: the last surname before « né le / demeurant » and the value."""
    if q.kind not in ("phone", "age", "date", "place", "profession") or not cand.spans:
        return None
    at = cand.text.find(cand.spans[0])
    if at < 0:
        return None
    before = [m for m in _SURNAME.finditer(cand.text[:at]) if m.group(0) not in _PIECE_WORDS]
    if not before or not re.search(r"\bn[ée]e? (?:le|en|à)\b|\bdemeurant\b|\bdomicili", cand.text[before[-1].end():at]):
        return None
    return _nfm(before[-1].group(0))


def _lacks_words(q: QuestionFrame, best: Candidate, other: Candidate) -> bool:
    """The other sentence misses a name of the question the best one says (« SAS CITYLOC »), or the qualifier the
    question asks (« mensuel » when a salary per month is asked): it counts another thing, however larger."""
    said, there = _nfm(f"{best.asked or ''} {best.text}"), _nfm(f"{other.asked or ''} {other.text}")
    people = set(best.firsts) | best.heard  # a person is often named elsewhere on the page: only a company's,
    names = ({_nfm(w) for w in re.findall(r"\b[A-ZÀ-Ý]{3,}[A-ZÀ-Ý'-]*\b", q.text)} | set(q.names)) - people
    if any(re.search(rf"\b{re.escape(n)}\b", said) and not re.search(rf"\b{re.escape(n)}\b", there) for n in names):
        return True
    question = _nfm(q.text)
    for group in _CONTRASTS:
        asked = [m for m in group if m.search(question)]
        if len(asked) == 1 and asked[0].search(said) and not asked[0].search(there):
            return True
    return False


_EXPERT_KINDS = {"expertise_psy", "expertise", "expertise_medicale", "expertise_adn", "faed"}
_SUSPECT_KINDS = {"garde_a_vue", "interrogatoire", "interrogatoire_premiere", "confrontation"}
_EXPERT_ROLES = {"expert", "psychiatre", "psychologue", "medecin"}


_ROLE_FORMS = {"frere": "frere", "soeur": "soeur|sœur", "mere": "mere", "pere": "pere", "voisin": "voisin",
               "voisine": "voisine", "enfant": "enfant", "fils": "fils", "fille": "fille", "compagne": "compagne",
               "compagnon": "compagnon", "concubine": "concubine", "concubin": "concubin", "epouse": "epouse",
               "mari": "mari", "employeur": "employeur", "amie": "amie", "ami": "ami", "gardien": "gardien"}
_ROLE_RE = re.compile(r"\b(" + "|".join(_ROLE_FORMS.values()) + r")s?\b")


def _people_by_role(text: str, out: dict[str, dict[str, int]]) -> None:
    """« M. POUILLARD Gérard, voisin de palier », « Anthony, son frère »: who the dossier calls by a relationship
    (the person named closest to the word), counted over every piece."""
    from core.text import strip_accents

    folded = strip_accents(text).lower()
    if len(folded) != len(text):
        return
    for m in _ROLE_RE.finditer(folded):
        role = m.group(1).replace("sœur", "soeur")
        lo, hi = max(0, m.start() - 70), min(len(text), m.end() + 70)
        named = [(abs((lo + pm.start()) - m.start()), key) for key, pm in _persons_at(text[lo:hi])]
        if named:
            key = min(named)[1]
            out.setdefault(role, {})[key] = out.get(role, {}).get(key, 0) + 1


def _persons_at(text: str) -> list[tuple[str, re.Match]]:
    from generation.pieces import PERSON, persons_in

    found = []
    for pm in PERSON.finditer(text):
        keys = persons_in(pm.group(0), skip_headings=False)
        if keys:
            found.append((keys[0][0], pm))
    return found


def _described_as(role: str, key: str, cand: Candidate, people: dict[str, dict[str, int]]) -> bool:
    """The person heard is the one the dossier calls « voisin » / « frère », or describes themself so."""
    surname = key.split()[0] if key else ""
    named = people.get(role, {})
    if key in named or (surname and any(k == surname or k.startswith(surname + " ") and " " not in key
                                        for k in named)):
        return True
    at = cand.top.find(surname.lower()) if surname else -1
    window = cand.top[at:at + 320] if at >= 0 else ""
    return bool(re.search(rf"\b{_ROLE_FORMS.get(role, role)}s?\b", window)) or bool(
        re.search(rf"\bje suis (?:le |la |son |sa )?(?:petit |grand |petite |grande )?{role}\b", cand.top))


def _speaker_fit(q: QuestionFrame, cand: Candidate) -> float:
    """« Selon son frère », « le témoin TIXIER a-t-il vu », « que dit X »: the answer is in that person's own
    declaration. Another person's words, or a police report restating them, weigh against."""
    sp, piece = q.speaker, cand.piece
    if sp is None or piece is None:
        return 0.0
    if sp.roles & _EXPERT_ROLES and not sp.names:
        return 1.0 if piece.kind in _EXPERT_KINDS else -0.6
    if sp.roles & _POLICE_ROLES and not sp.names:  # « les enquêteurs voient-ils … »: their report, nobody's words
        return 1.0 if piece.kind in _POLICE_KINDS and cand.speaker is None else -0.8
    if cand.speaker is None:
        return -0.6
    key = cand.speaker if cand.speaker != "?" else (piece.heard[0][0] if piece.heard else "")
    if sp.names:
        parts = key.lower().split()
        if not parts or parts[0] not in sp.names:
            return -0.8
        first = sp.names[parts[0]]
        return -0.8 if first and len(parts) > 1 and parts[1] != first else 1.2
    heard = key.lower().split()[0] if key else ""
    if sp.first_names and len(key.split()) > 1:
        return 1.2 if key.lower().split()[1] in sp.first_names else -0.8
    for role in sp.roles:
        if role in ("victime", "plaignant", "plaignante"):
            ok = piece.kind in ("plainte", "audition_victime") or any(
                v.split()[0].lower() == heard for r, v in piece.roles.items() if r in ("victime", "partie civile",
                                                                                       "plaignant"))
        elif role in ("mis en examen", "mise en examen", "mis en cause"):
            ok = piece.kind in _SUSPECT_KINDS
        elif role == "temoin":
            ok = piece.kind == "audition_temoin"
        else:  # « le voisin », « son frère »: the person heard is described so, in their piece or elsewhere
            ok = piece.kind in ("audition_temoin", "audition_victime") and _described_as(role, key, cand,
                                                                                         cand.people)
        if ok:
            return 1.2
    return -0.8


# Verbs that only say somebody spoke (« reconnaît », « nie » carry the answer and must be in the sentence).
_NEUTRAL_SPEECH = re.compile(r"dit|dir|disent|declar\w*|racont\w*|expliqu\w*|indiqu\w*|precis\w*|relat\w*|relev\w*|"
                             r"not[eé]\w*|selon|propr\w*")
_STAGE_WORDS = {"gard", "vu", "jug", "magistrat", "interrogatoir", "confront", "plaint", "comparu", "premi", "dev"}


def _implied_words(q: QuestionFrame, cand: Candidate) -> set[str]:
    """Question words a sentence need not repeat: in X's own declaration, X's name and the verb of saying
    (« qu'a déclaré X »); in a piece of the stage asked, the stage (« en garde à vue »)."""
    out: set[str] = set()
    if q.speaker is not None and cand.speaker is not None and _speaker_fit(q, cand) > 0:
        names = set(q.speaker.names) | {f for f in q.speaker.names.values() if f} | q.speaker.roles
        out |= {w for w in q.content if _NEUTRAL_SPEECH.fullmatch(w) or any(w in tokens(n) for n in names)}
    if q.stages and cand.piece is not None and cand.piece.kind in q.stages:
        out |= {w for w in q.content if w in _STAGE_WORDS}
    return out


def _other_speaker(q: QuestionFrame, cand: Candidate) -> bool:
    """The sentence is somebody else's words: it does not fit the speaker, and a named speaker is not even named at
    the top of its piece (the person heard may be misread; the piece naming them is given the benefit of doubt)."""
    if _speaker_fit(q, cand) > 0:
        return False
    sp = q.speaker
    named = list(sp.names) or [r for r in sp.roles if r not in ("temoin",)] if sp else []
    return not any(re.search(rf"\b{re.escape(n)}", cand.top[:1500]) for n in named)


def _told_words(q: QuestionFrame, cand: Candidate) -> list[str]:
    """What the person must be telling (« entendu », « vitre », « brisée »): the question's words once the speaker,
    the verb of saying, the stage, the roles and the date are set aside."""
    implied = _implied_words(q, cand)
    sp = q.speaker
    who = set(sp.names) | {f for f in sp.names.values() if f} | sp.roles | sp.first_names if sp else set()
    who_tokens = {t for w in who for t in tokens(w)} | {w[:5] for w in who}
    kind_words = set(tokens(_HINTS.get(q.kind, ""))) | {t[:5] for t in tokens(_HINTS.get(q.kind, ""))}
    return [w for w in q.content if w not in implied and w not in who_tokens and w[:5] not in who_tokens
            and w not in kind_words and w[:5] not in kind_words
            and w not in q.role_words and w not in _STAGE_WORDS and not _NEUTRAL_SPEECH.fullmatch(w)
            and not w.isdigit() and w[:5] not in _MONTH_STEMS and w not in ("heur", "avoir", "etre", "fait")]


def _speaker_cotes(q: QuestionFrame, index: DossierIndex) -> list[str]:
    """Cotes of the pieces where the person or role the question names speaks, at the stage it names."""
    if q.speaker is None and not q.stages:
        return []
    out = set()
    for doc, piece in index.pieces.items():
        if not piece.cote or piece.kind not in DECLARATION_KINDS | _EXPERT_KINDS:
            continue
        if q.stages and piece.kind not in q.stages:
            continue
        if q.speaker is not None:
            probe = Candidate(Evidence("", "", Citation(cote=piece.cote, page=1, document_id=doc), ""), "", None,
                              0.0, "", piece=piece, speaker="?", top=index.tops.get(doc, ""),
                              people=index.role_people)
            if _speaker_fit(q, probe) <= 0:
                continue
        out.add(piece.cote)
    return sorted(out)[:6]


def _stage_fit(q: QuestionFrame, cand: Candidate) -> float:
    """« En garde à vue », « devant la juge »: a declaration of that stage, not of another."""
    if not q.stages or cand.piece is None:
        return 0.0
    if cand.piece.kind in q.stages:
        return 0.8
    return -0.8 if cand.piece.kind in DECLARATION_KINDS else -0.2


# The formula that opens an act (« L'an deux mille vingt-six, le sept février, à quatorze heures trente, Nous… »),
# and the procedural times of an act (rights notified, lawyer present, closing, signature): the time of the act,
# never the time of the facts unless the question asks about the act itself.
_OPENING = re.compile(r"^(?:l'an\b|le \w+ \w+ (?:deux mille|20\d\d)\b.{0,60}\bnous\b)", re.I)
_PROCEDURAL = re.compile(r"garde a vue|notifi|\bdroits?\b|avocat|\bclos\b|cloture|signe|persiste|entretenu|"
                         r"debut de (?:l'audition|la mesure)|fin de (?:l'audition|la mesure)|presente? depuis|"
                         r"placee? (?:en|sous)|avis(?:e|ons)|requis|saisi(?:e|s)? par|convoqu")


def _when_fit(q: QuestionFrame, cand: Candidate) -> float:
    if q.kind not in ("time", "date"):
        return 0.0
    text = _nfm(cand.text)
    asked = _nfm(q.text)
    procedural = [m.group(0) for m in _PROCEDURAL.finditer(text)]
    if procedural and not any(_nfm(p)[:6] in asked for p in procedural):
        return -0.9
    if _OPENING.search(text) and not re.search(r"audition|entendu|perquisition|interpell|interrog|confront|acte|"
                                                r"proces-verbal|pv\b|examen|transport", asked):
        return -0.6
    return 0.0


_RESULT_SECTION = re.compile(r"\b(?:conclusions?|resultats?|discussion|synthese|en conclusion|avis)\b")
_MISSION = re.compile(r"^(?:rechercher|etablir|comparer|dire si|decrire|determiner|examiner|proceder|preciser|"
                      r"fournir|donner|faire|indiquer|mission)\b")


def _result_fit(q: QuestionFrame, cand: Candidate) -> float:
    """« Quel est le résultat de l'analyse », « qu'a conclu l'expert »: the findings under « Conclusions » or
    « Résultats », not the mission the expert was given."""
    if not q.asks_result:
        return 0.0
    text = _nfm(cand.text)
    if _MISSION.match(text):
        return -0.8
    return 0.6 if _RESULT_SECTION.search(_nfm(cand.section)) else 0.0


def _number_value(span: str) -> float | None:
    from core.text import numbers_in_words_to_digits

    m = re.search(r"\d+(?:[ \u202f\xa0.]\d{3})*(?:,\d+)?", numbers_in_words_to_digits(span))
    if not m:
        return None
    try:
        return float(re.sub(r"[ \u202f\xa0.]", "", m.group(0)).replace(",", "."))
    except ValueError:
        return None


# « sur la période examinée », « dans la journée »: a time frame, not a place that narrows the count
_TIME_FRAMES = {"perio", "durer", "journ", "soire", "nuit", "semai", "mois", "annee", "matin", "week", "epoqu",
                "momen", "temps", "total", "ensem"}


def _qualifier_words(q: QuestionFrame) -> list[str]:
    """The place, container or moment the question narrows a value to (« dans la chambre », « au domicile de »,
    « sous le siège », « après sa sortie »), a time frame of the whole examination excepted."""
    return [t for m in re.finditer(r"\b(?:dans|sur|sous|chez|au|aux|devant|derriere|a l'interieur d[eu]|apres|avant|"
                                   r"pendant|durant|lors d[eu]|depuis)\s+(?:l'|le |la |les |un |une |son |sa |ses |leur |"
                                   r"leurs )?([a-z][a-z-]{2,})", _nfm(q.text))
            for t in tokens(m.group(1))[:1] if t not in _GENERIC_HEADS and t[:5] not in _TIME_FRAMES]


_ANALYSIS_WORDS = {"analys", "exploit", "recherch", "examen", "expertis", "compar", "resultat", "conclus", "rapport"}


def _analysed(q: QuestionFrame) -> list[str]:
    """What an analysis the question asks the result of was made on (« l'exploitation de la trace de semelle »,
    « l'analyse ADN du gant »): the object the findings must be about."""
    m = re.search(r"\b(?:exploitation|analyse|recherche|examen|expertise|comparaison)s?(?: [a-z]+)? (?:de la |de l'|du |"
                  r"des |de |d')([a-z-]+(?: (?:de la |de l'|du |des |de |d')[a-z-]+)?)", _nfm(q.text))
    if not m:
        return []
    return [t for t in tokens(m.group(1)) if t not in _ANALYSIS_WORDS and t not in _GENERIC_HEADS and len(t) > 2]


def _containers(q: QuestionFrame) -> list[str]:
    """What a value asked was found in or on (« sur le compte bancaire », « dans le coffre »): the sentence or the
    lines just before it must name it (« Comptage » is no « compte »)."""
    return [t for m in re.finditer(r"\b(?:dans|sur|sous)\s+(?:l'|le |la |les |un |une |son |sa |ses |leur )?"
                                   r"([a-z][a-z-]{2,})", _nfm(q.text))
            for t in tokens(m.group(1))[:1] if t not in _GENERIC_HEADS and t[:5] not in _TIME_FRAMES]


def _total_first(q: QuestionFrame, ranked: list[Candidate], pool: list[Candidate] | None = None) -> list[Candidate]:
    """A count or amount broken down on its page (« 147 appels … dont 58 aboutis », « 130 appels pendant la période
    où … ») : the parts never exceed the whole. Among close candidates of the same page counting the same thing,
    the largest value is the total the question asks for, unless the question narrows it (a word only the part's
    sentence has already decided the coverage)."""
    if q.kind not in ("count", "amount") or len(ranked) < 2 or not ranked[0].spans:
        return ranked
    best = ranked[0]
    page = (best.evidence.citation.document_id, best.evidence.citation.page)
    value = _number_value(best.spans[0])
    if value is None:
        return ranked
    unit = (tokens(_nfm(best.spans[0])) or [""])[-1]
    words = _qualifier_words(q)

    def qualifiers(c: Candidate) -> set[str]:
        said = _nfm(f"{c.asked or ''} {c.text}")
        return {w for w in words if _match(w, _keys(said), said)}

    top = best
    # a total line may be terse (« — 312 SMS sortants ; ») and miss the coverage floor: only that refusal is lifted
    terse = [c for c in pool or [] if c.rejected and c.rejected.startswith("recouvrement") and c not in ranked]
    for cand in ranked[1:6] + terse:
        if (cand.evidence.citation.document_id, cand.evidence.citation.page) != page or not cand.spans:
            continue
        if cand.coverage < best.coverage - 0.35 or cand.score < best.score - 1.5:
            continue
        if qualifiers(best) - qualifiers(cand) or _lacks_words(q, best, cand):
            continue  # the best names a qualifier of the question the larger one lacks (« dans la chambre »)
        v = _number_value(cand.spans[0])
        if v is not None and v > value and (tokens(_nfm(cand.spans[0])) or [""])[-1] == unit:
            top, value = cand, v
    return ranked if top is best else [top] + [c for c in ranked if c is not top]


_MONTH_STEMS = {"janvi", "fevri", "mars", "avril", "mai", "juin", "juil", "aout", "septe", "octob", "novem", "decem"}
_MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre"]


# « Le 5 mars 2025 à 10h15, nous entendons … »: the day of the hearing, not of the facts it tells
_ACT_OPENING = re.compile(r"(?:L'an\b|\bLe \S+ \S+ (?:deux mille|20\d\d)\b)[^.]{0,160}?\b[Nn]ous\b[^.:]*[.:]?")
_BIRTH = re.compile(r"\bn[ée]e?s? le [^,;]{4,40}?(?=,|;| à |$)", re.I)
_BIRTH_PLACE = re.compile(r"\bn[ée]e?s? (?:le [^,;]{4,40}? )?à [A-ZÀ-Ý][\wà-ÿ' -]+(?: \(\d+\))?", re.I)
_DAY_KINDS = {"perquisition", "constatations", "notification_gav", "interpellation", "garde_a_vue", "audition_temoin",
              "audition_victime", "plainte", "confrontation", "interrogatoire", "interrogatoire_premiere"}


def _piece_day(cand: Candidate) -> str | None:
    """The day of the act the piece records (a search report, a hearing): what a time stated in it belongs to."""
    piece = cand.piece
    if piece is None or piece.date is None or piece.kind not in _DAY_KINDS or cand.speaker is not None:
        return None  # a time somebody tells is not on the day they tell it
    d = piece.date
    return f"{'1er' if d.day == 1 else d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


def _nicknames(text: str, q: QuestionFrame) -> list[str]:
    """« un type qu'on appelle « Doudou » », « surnommé « Tonton » »: a person known by a nickname."""
    out = []
    for m in re.finditer(r"«\s*([A-ZÀ-Ý][\wà-ÿ'-]{1,20}(?: [A-ZÀ-Ý][\wà-ÿ'-]{1,20})?)\s*»", text):
        before = _nfm(text[max(0, m.start() - 40):m.start()])
        if re.search(r"\bappel(?:le|e|ait|aient|lent)s?\b|surnom|dit\b|nomme|prenomme|connu sous|alias|pseudo", before) and \
                _nfm(m.group(1)) not in {_nfm(x) for x in q.quoted}:
            out.append(f"« {m.group(1)} »")
    return out


def _known_firsts(cand: Candidate, q: QuestionFrame) -> list[str]:
    """A first name alone (« C'est Mickaël qui l'a poussée ») that the dossier gives one surname: that person."""
    out = []
    surnames = cand.surnames
    for m in re.finditer(r"\b([A-ZÀ-Ý][a-zà-ÿ]{2,}(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\b(?!\s+[A-ZÀ-Ý]{2})", cand.text):
        f = _nfm(m.group(1))
        if m.start() == 0 and f in _CIVILITIES:
            continue
        known = surnames.get(f, set())
        if len(known) == 1 and not known & q.names:
            out.append(f"{m.group(1)} ({next(iter(known)).upper()})")
    return list(dict.fromkeys(out))


def _day_of(cand: Candidate) -> str | None:
    """The day a time belongs to: the sentence's own date, else the one just before it (« Hier, vendredi 6 février
    … Il était vers 18 h 45 »), the year completed from the piece's opening; None when nothing says it."""
    from core.text import numbers_in_words_to_digits

    for text in (cand.text, cand.asked or "", _ACT_OPENING.sub(" ", cand.local)):
        text = _BIRTH.sub(" ", numbers_in_words_to_digits(text))  # « née le 3 mai 1950 » is not the day of the facts
        found = [(text.rfind(str(d[0])), d) for d in dates_in(text)]
        if found:
            d, m, y = max(found, key=lambda f: f[0])[1]  # the date said last before the time
            if y is None:
                years = re.findall(r"\b(20\d\d|19\d\d)\b", numbers_in_words_to_digits(f"{cand.local} {cand.top[:600]}"))
                y = int(years[0]) if years else None
            day = "1er" if d == 1 else str(d)
            return f"{day} {_MONTH_NAMES[m - 1]}" + (f" {y}" if y else "")
    return None


def _following(pool: list[Candidate], best: Candidate, limit: int = 5) -> list[Candidate]:
    """The sentences a heading or a colon announces (« Conclusions : » then the findings), up to the next heading."""
    if not (best.raw or best.text).rstrip().endswith(":"):
        return []
    same = [c for c in pool if c.evidence.citation.document_id == best.evidence.citation.document_id
            and c.evidence.citation.page == best.evidence.citation.page]
    if best not in same:
        return []
    out = []
    for c in same[same.index(best) + 1:]:
        if len(out) >= limit or (_is_heading(c.text) and not _LIST_ITEM.match(c.evidence.text)):
            break
        if c.text not in best.text:  # the first one may already be joined to the announcing sentence
            out.append(c)
    return out


def _same_reply(pool: list[Candidate], best: Candidate, limit: int = 3) -> list[Candidate]:
    """The rest of the reply the chosen sentence belongs to (« J'étais chez moi … » « On a mangé, … »): what the
    person said in answer to one audition question, not one sentence of it."""
    if not best.asked or best.speaker is None:
        return []
    same = [c for c in pool if c.evidence.citation.document_id == best.evidence.citation.document_id
            and c.evidence.citation.page == best.evidence.citation.page]
    if best not in same:
        return []
    at = same.index(best)
    out = []
    for c in same[at + 1:]:
        if c.asked != best.asked or len(out) >= limit:
            break
        if c.text not in best.text:
            out.append(c)
    return out


# Piece types (generation/pieces.py) that restate facts established by other acts.
_RESTATING_TYPES = {"synthese", "personnalite", "requisitoire_introductif"}


def _is_summary(c: Candidate) -> bool:
    return (c.kind == "summary" or bool(_COTE_REF.search(c.text))
            or (c.piece is not None and c.piece.kind in _RESTATING_TYPES))


def _span_key(span: str) -> str:
    """A value compared across pieces: « 1 450 euros » and « 1450 € » are the same sum, « AB-123-CD » one plate."""
    folded = re.sub(r"[^0-9a-z]", "", _nfm(span))
    digits = re.sub(r"\D", "", folded)
    return digits if digits and len(digits) >= 2 else folded


def _source_first(q: QuestionFrame, ranked: list[Candidate]) -> list[Candidate]:
    """A summary piece restates the facts, sometimes with another value: when a source piece states a value of the
    expected type about the same subject (it passed the same checks and covers the question nearly as well), it
    is cited instead of the summary."""
    asked = _PIECE_KIND.search(q.text)
    if q.kind in ("yesno", "free") or not ranked or not _is_summary(ranked[0]) or (asked and asked.group("summary")):
        return ranked
    best = ranked[0]
    for cand in ranked[1:]:
        if cand.kind == "source" and not _is_summary(cand) and cand.spans and cand.coverage >= 0.75 * best.coverage:
            return [cand] + [c for c in ranked if c is not cand]
    # The act that established the value the summary restates (the PV de perquisition for the seized sum, the
    # certificate for the ITT): same value, passed the same checks, even if it repeats fewer of the question's words.
    if not best.spans or _piece_fit(q, best) > 0:
        return ranked
    value = _span_key(best.spans[0])
    for cand in ranked[1:]:
        if cand.kind != "summary" and not _is_summary(cand) and value and value in {_span_key(s) for s in cand.spans}:
            return [cand] + [c for c in ranked if c is not cand]
    return ranked


_ROLE_OWNERS = {"suspect", "juge", "avocat", "victime", "temoin", "expert", "enqueteur", "greffier", "procureur", "complice",
                "mere", "pere", "compagne", "compagnon", "conducteur", "medecin"}


# what a line ending with « ? » must hold to be an audition question (an OCR'd stray « ? » after a running header,
# « … Affaire : BECQUEREL Yanis / X ? », would otherwise swallow the whole statement up to the first « R : »)
_ASKING = re.compile(r"(?i)(?<![\wà-ÿ])(?:vous|votre|vos|quel\w*|comment|pourquoi|combien|quand|est-ce|qui|que|qu'|quoi|où|"
                     r"avez|êtes|etes|pouvez|savez|connaissez|reconnaissez|confirmez|maintenez|expliquez)(?![\wà-ÿ])|"
                     r"-(?:t-)?(?:il|elle|ils|elles|vous|on|je|tu)\b")


def _page_candidates(sentences: list[tuple[Chunk, float, str]], page_text: str) -> list[Candidate]:
    """Candidate sentences of one page in reading order. An audition question (« Question : … », « Question au mis
    en examen : … », or a line ending with « ? ») is never a candidate: it runs until the reply (« Réponse : »,
    « R : », « Réponse de M. X : ») and is kept as what the reply answers."""
    replies_marked = any(_ANSWER_LINE.match(s) for _, _, s in sentences)
    out: list[Candidate] = []
    asked: str | None = None
    in_question = False
    left = 0
    before: list[str] = []
    section = ""
    header = ""
    numbered = False  # the previous unit was a part's number alone (« 2. » split from « Compte de dépôt … »)
    in_row = False  # the previous unit was a table row
    for chunk, rank, sentence in sentences:
        is_reply = bool(_ANSWER_LINE.match(sentence))
        if _QUESTION_LINE.match(sentence) or (sentence.endswith("?") and not is_reply and _ASKING.search(sentence)):
            asked, in_question, left = _QUESTION_LINE.sub("", sentence), True, 3
            continue
        if in_question and replies_marked and not is_reply:
            asked = f"{asked} {sentence}"  # the interrogator is still speaking
            continue
        in_question = False
        text = _ANSWER_LINE.sub("", sentence)
        if is_reply:
            left = max(left, 1)
        row = bool(_CELL.search(sentence))
        if in_row and not row and len(text.split()) <= 4 and not re.search(r"[.:;!?»]\s*$", text):
            continue  # the end of a wide cell wrapped to the next line (« … impasse des » « Vergers »): not a heading
        in_row = row
        if _is_heading(text) or _NUMBERED_PART.match(text) or numbered:
            section = text  # « Conclusions : », « 2. Compte de dépôt n° … — Mme X »: what the lines below are about
        numbered = bool(re.fullmatch(r"\s*\d{1,2}[.)]\s*", text))
        if row:  # a table row: its header row (no digits) names what each cell is
            if not re.search(r"\d", sentence):
                header = text
        else:
            header = ""
        if len(text) < 3 or _FOOTER.match(text) or (text.isupper() and len(text) > 12):
            asked, left = None, 0
            continue
        citation = Citation(cote=chunk.cote, page=chunk.page, chunk_id=chunk.id, quote=sentence,
                            document_id=chunk.document_id)
        cand = Candidate(Evidence("", sentence, citation, chunk.title), text, asked if left > 0 else None, rank,
                         f"{chunk.title}. {page_text}")
        cand.local = " ".join(before[-2:])
        cand.heading = f"{chunk.title}. {page_text[:200]}"  # file names can be « piece_25037 »: read the page top
        cand.kind = piece_kind(chunk.title, page_text)
        cand.section = section
        cand.raw = sentence
        cand.header = header if header is not text else ""
        previous = out[-1] if out else None
        if previous is not None and previous.text.rstrip().endswith(":") and not _LIST_ITEM.match(sentence) \
                and not _is_heading(text) and previous.evidence.citation.chunk_id == chunk.id:
            # « … identifiée avec l'empreinte de l'index droit de : » « BERTHOLLET Yanis, né le … »: one statement
            previous.text = f"{previous.text} {text}"
            previous.evidence = Evidence("", f"{previous.evidence.text} {sentence}",
                                         previous.evidence.citation.model_copy(
                                             update={"quote": f"{previous.evidence.citation.quote} {sentence}"}),
                                         previous.evidence.title)
        out.append(cand)
        before.append(text)
        left -= 1
    return out


_NUMBERED_PART = re.compile(r"^\s*\d{1,2}[.)]\s+[A-ZÀ-Ý]")


def _is_heading(text: str) -> bool:
    """A section title on the page (« CONCLUSIONS », « 2. Résultats », « Discussion : »): short, no sentence end."""
    words = text.split()
    return 0 < len(words) <= 7 and not text.rstrip().endswith((".", "?", "!", "»")) and (
        text.isupper() or text.rstrip().endswith(":") or text[:1].isupper() or text[:1].isdigit())


_OCR_FIRST = re.compile(r"\b(?:ler|ier)(?= (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|"
                        r"novembre|decembre)\b)")


@lru_cache(maxsize=65536)
def _nfm(text: str) -> str:
    return _OCR_FIRST.sub("1er", normalize_for_match(text))  # a scan's « ler septembre » is the 1st


@lru_cache(maxsize=65536)
def _names(text: str) -> frozenset[str]:
    return frozenset(name_keys(text))


@lru_cache(maxsize=65536)
def _keys(text: str) -> frozenset[str]:
    return _keys_of(text)


def _keys_of(text: str) -> frozenset[str]:
    """Stems and 5-letter prefixes of a normalised text (« découvert » meets « découvrons »)."""
    out = set()
    for t in tokens(text):
        out.add(t)
        if len(t) >= 5 and not t[0].isdigit():
            out.add(t[:5])
    return frozenset(out)


@lru_cache(maxsize=4096)
def _alternatives(word: str) -> re.Pattern | None:
    """One pattern for the synonyms of a question word and the words of the category it names."""
    alts: list[str] = []
    for group in SYNONYMS:
        if any(word.startswith(g) or g.startswith(word) for g in group if len(g) >= 3):
            alts += group
    for key, words in HYPONYMS.items():
        if word.startswith(key):
            alts += words
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(set(alts))) + ")") if alts else None


# Five-letter prefixes many unrelated words share (« interpellé » / « interrogatoire », « contrôle » / « contrat »):
# a question word with one of them must meet its own stem.
_WEAK_PREFIXES = {"inter", "contr", "trans", "super", "proce", "parti", "compt", "consi", "conce", "comme", "respo",
                  "repre", "prese", "press", "prote", "confi", "condu", "const", "conte", "conve", "corre", "deter",
                  "dispo", "infor", "reche"}


def _match(word: str, keys: frozenset[str] | set[str], text: str) -> bool:
    """A question word is in a sentence: same stem or prefix, a synonym, or a word of the category it names."""
    if word in keys or (len(word) >= 5 and word[:5] in keys and (word[:5] not in _WEAK_PREFIXES or len(word) == 5)):
        return True
    if len(word) >= 4 and word in (_prefixes(keys) if isinstance(keys, frozenset) else _prefixes_of(keys)):
        return True  # « giflé » -> gifl, « giflée » -> gifle
    alternatives = _alternatives(word)
    return bool(alternatives and alternatives.search(text))


@lru_cache(maxsize=65536)
def _prefixes(keys: frozenset[str]) -> frozenset[str]:
    return _prefixes_of(keys)


def _prefixes_of(keys) -> frozenset[str]:
    """The stems shortened by one or two letters (a question's stem may be a sentence's minus its ending)."""
    return frozenset(k[:n] for k in keys if not k[:1].isdigit() for n in range(max(4, len(k) - 2), len(k)))


@lru_cache(maxsize=4096)
def _norm_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z][a-z'\-]+", _nfm(text)))


def _verify_answer(check: Callable[[str, list[str]], list[str]], text: str, cands: list[Candidate],
                   q: QuestionFrame) -> list[str]:
    """An audition answer is read with its question for the words (« J'en ai tiré 800 euros » answers « combien
    avez-vous retiré »), but numbers must come from what the person said, never from the audition question; the
    names may also be those of the magistrate's question when the cited page names them (who is speaking)."""
    from generation.verifier import verify

    speakers = " ".join(n for n in sorted(q.names) if any(n in _nfm(c.context) for c in cands))
    reasons = check(text, [f"{c.asked or ''} {c.text} {speakers}".strip() for c in cands])
    said = verify(text, [f"{c.text} {speakers}" for c in cands]).reasons
    return reasons + [r for r in said if r.startswith(("nombres", "noms")) and r not in reasons]


def _cite(c: Citation) -> dict:
    return {"cote": c.cote, "page": c.page, "chunk_id": c.chunk_id}


_NEGATIVE = re.compile(r"\b(?:non|jamais|nie|nié|niée|conteste|contesté|aucun|aucune|rien|personne|néant|neant)\b|"
                       r"\bn[e']\s?\w+(?:\s\w+)?\s(?:pas|plus|jamais|rien|aucun)\b|\bn'(?:ai|a|avons|avez|ont|est|étais|était)\b",
                       re.I)
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•*]|\d+\s?[°).]|[a-z]\)|scellé|sous scellé)", re.I)


def yes_or_no(sentence: str) -> str:
    """« Oui » or « Non » as the deciding sentence says it (« Je reconnais que j'étais là » -> Oui; « Je n'ai
    jamais serré son cou », « Il le nie » -> Non)."""
    return "Non" if _NEGATIVE.search(sentence) else "Oui"


def _asks_list(question: str) -> bool:
    """« Quels objets ont été saisis ? », « Quelles sont les obligations… » ask for every item, not one."""
    return bool(re.match(r"\s*(?:(?:pour|de|dans|sur|à|avec|par|en)\s+)?(?:quels|quelles)\b|"
                         r"\s*(?:qu'est-ce qui a été|qu'a-t-on) (?:saisi|découvert|trouvé)",
                         question, re.I))


def _list_items(pool: list[Candidate], best: Candidate, limit: int = 8) -> list[Candidate]:
    """The items that follow the chosen sentence on its page when it opens an enumeration (ends with « : ») or is
    itself an item: « Sont saisis : » « - un couteau… » « - un téléphone… »."""
    same = [c for c in pool if c.evidence.citation.document_id == best.evidence.citation.document_id
            and c.evidence.citation.page == best.evidence.citation.page]
    if best not in same:
        return []
    after = same[same.index(best) + 1:]
    opens = best.text.rstrip().endswith(":") or re.search(r":\s*(?:[-–—•*]|\d+\s?[°).])", best.text)
    if not (opens or _LIST_ITEM.match(best.evidence.text)):
        return []
    out = []
    for c in after:
        if not _LIST_ITEM.match(c.evidence.text) or len(out) >= limit:
            break
        out.append(c)
    return out


def _table_rows(pool: list[Candidate], best: Candidate, limit: int = 12) -> list[Candidate]:
    """« Pour quels faits a-t-il été condamné ? » answered by the B1's identity line or one of its rows: every row
    of the table on that page (under the header row), the one chosen excepted."""
    page = (best.evidence.citation.document_id, best.evidence.citation.page)
    rows = [c for c in pool if c.header and (c.evidence.citation.document_id, c.evidence.citation.page) == page
            and c is not best and (not best.header or c.header == best.header)]
    return rows[:limit]


def _named_in_question(span: str, q: QuestionFrame) -> bool:
    """« chez Mme RIVAL » names Mme Odette RIVAL; « Sofia BROUILLAC » does not name Nora BROUILLAC."""
    keys = _names(span)
    if not keys & q.names:
        return False
    firsts = {_nfm(f) for f in re.findall(r"\b([A-ZÀ-Ý][a-zà-ÿ]+)\s+[A-ZÀ-Ý]{2}", q.text)} - {"mme", "m", "monsieur",
                                                                                             "madame", "maitre"}
    mine = {_nfm(f) for f in re.findall(r"\b([A-ZÀ-Ý][a-zà-ÿ]+)(?=\s+[A-ZÀ-Ý]{2})", span)} - {"mme", "monsieur",
                                                                                           "madame", "maitre"}
    return not (firsts and mine and not firsts & mine)


def _said_when(cand: Candidate) -> str:
    """« en confrontation, le 12 mai 2026 »: the stage and day of the declaration an answer quotes."""
    piece = cand.piece
    if piece is None or cand.speaker is None or piece.kind not in DECLARATION_KINDS:
        return ""
    from generation.declarations import stage_label

    stage = stage_label(piece)
    day = f"le {'1er' if piece.date.day == 1 else piece.date.day} {_MONTH_NAMES[piece.date.month - 1]} " \
          f"{piece.date.year}" if piece.date else ""
    said = ", ".join(x for x in (stage[:1].lower() + stage[1:] if stage else "", day) if x)
    return said


def render(span: str | None, cand: Candidate, when: str = "", before: list[str] | None = None) -> str:
    """« 3 individus — « … a vu trois individus … » (D7 p.1) »; an audition answer keeps its question; a
    declaration says when and at which stage it was made (« Oui (en confrontation, le 12 mai 2026) — … »). The
    sentences of the same reply before the chosen one are quoted with it."""
    said = " ".join([*(before or []), cand.text])
    if said.endswith("»") and said.count("»") > said.count("«"):
        said = said[:-1].rstrip()  # the closing quote of a statement the sentence ends
    if said.startswith("«") and said.count("«") > said.count("»"):
        said = said[1:].lstrip()
    quote = f"« {said} »"
    if cand.asked and (span is None or len(said) < 60 or before):
        quote = f"« {cand.asked} » — « {said} »"
    if when:
        span = f"{span} ({when})" if span else when[:1].upper() + when[1:]
    head = f"{span} — " if span else ""
    return f"{head}{quote} {format_citations([cand.evidence.citation])}"


def answer_events(ask: Callable[[EventSink], dict]) -> Iterator[tuple[str, dict]]:
    """Run `ask(sink)` in a worker thread and yield its events as they happen, then ("done", result), or
    ("error", {code, message}) in French: what a server-sent-events route streams."""
    events: queue.Queue = queue.Queue()

    def work() -> None:
        try:
            events.put(("done", ask(lambda name, data: events.put((name, data)))))
        except AppError as exc:
            events.put(("error", {"code": exc.code, "message": exc.message}))
        except Exception:  # never a silent hang of the stream
            events.put(("error", {"code": "erreur_interne",
                                  "message": "Erreur interne : la question n'a pas pu être traitée."}))
        finally:
            events.put(None)

    threading.Thread(target=work, daemon=True, name="ask").start()
    while (item := events.get()) is not None:
        yield item


# Yes/no questions, lists and named speakers --------------------------------------------------------------------
# Words of a yes/no question that only say who speaks, when, or that somebody spoke: the rest is the proposition
# the deciding sentence must be about (« a-t-il reconnu avoir GIFLÉ sa CONCUBINE »).
_NOT_PROPOSITION = re.compile(r"(?:reconn|admet|admis|avou|maint|confirm|ni|nie|contest|dit|dis|declar|affirm|soutien|"
                              r"precis|indiqu|expliqu|pretend|reit|persist|revien|toujour|deja|avoir|etre|ete|lor|"
                              r"selon|mme|m|monsieur|madam|gard|vu|confront|interrogatoir|premi|comparu|fond|dev|"
                              r"juge|magistrat|audit|plaint|son|sa|ses|mis|examen|caus)")


def _proposition_words(q: QuestionFrame) -> list[str]:
    sp = q.speaker
    who = set(q.names) | (set(sp.names) | {f for f in sp.names.values() if f} | sp.roles | sp.first_names if sp else set())
    who_tokens = {t for w in who for t in tokens(w)}
    return [w for w in q.content if w not in who_tokens and w not in q.role_words and not w.isdigit()
            and w[:5] not in _MONTH_STEMS and not _NOT_PROPOSITION.fullmatch(w) and w[:5] not in _SPEECH_PREFIXES]


_SPEECH_PREFIXES = {"recon", "maint", "decla", "affir", "conte", "preci", "indiq", "expli", "preten", "reite", "persi",
                    "admet", "avoue"}


def _fits_declaration(q: QuestionFrame, c: Candidate) -> bool:
    stage_ok = not q.stages or (c.piece is not None and c.piece.kind in q.stages)
    if q.speaker is None or (_known_key(c.speaker) and _speaker_fit(q, c) > 0):
        return stage_ok
    said = _nfm(c.text)
    if stage_ok and c.speaker is None and (set(q.speaker.names) & _names(c.text) or any(
            re.search(rf"\b{r}s?\b", said) for r in q.speaker.roles)):
        return True  # « La victime reconnaît la veste » in the confrontation's record
    # nobody known speaks (the reader misread a heading as the speaker): a reply in a piece that hears nobody else
    heard = [k for k, _ in c.piece.heard if _known_key(k)] if c.piece is not None else []
    return stage_ok and not _known_key(c.speaker) and bool(c.asked) and (
        not heard or (len(heard) == 1 and heard[0].split()[0].lower() in q.speaker.names))


def _known_key(key: str | None) -> bool:
    """A person key, not a heading read as one (« PROCES-VERBAL »)."""
    return bool(key) and key != "?" and not any(
        part.upper() in _PIECE_WORDS for part in re.split(r"[-' ]", key or "") if part)


def _own_declarations(q: QuestionFrame, ranked: list[Candidate], pool: list[Candidate], index: DossierIndex
                      ) -> tuple[list[Candidate], str | None]:
    """« En garde à vue, X a-t-il reconnu … ? », « Lors de la confrontation, Y maintient-elle … ? »: only X's own
    words at that stage decide; another person's, or X's at another stage, never do. When X's declarations at that
    stage exist but none treats the question, or X made none there: an abstention."""
    own = [c for c in ranked if _fits_declaration(q, c)]
    if own:
        return own, None
    props = _proposition_words(q)
    weak = sorted((c for c in pool if c.rejected and c.rejected.startswith(("recouvrement", "la phrase ne porte pas sur la "
                                                                              "date")) and c.coverage >= 0.3
                   and _fits_declaration(q, c) and any(_match(w, _keys(_nfm(c.text)), _nfm(c.text)) for w in props)),
                  key=lambda c: -c.coverage)
    if weak:
        return weak, None
    if q.speaker is not None and (q.stages or q.speaker.names or q.speaker.first_names):
        who = " ".join(sorted(q.speaker.names)).upper() or " ".join(sorted(q.speaker.first_names | q.speaker.roles))
        return [], f"Aucune déclaration de « {who} »" + (" à ce stade de la procédure" if q.stages else "") + \
            " ne traite de cette question."
    return ranked, None


def _proposition_first(q: QuestionFrame, ranked: list[Candidate], index: DossierIndex) -> list[Candidate]:
    """Among close candidates, the sentence that itself states the proposition asked (« Je n'ai jamais donné de coup
    de poing »), not a neighbour of the same reply that only shares its page."""
    props = _proposition_words(q)
    if not props:
        return ranked
    n = max(1, index.n)
    weight = {w: math.log(1 + n / (1 + (index.counts.get(w) or index.counts.get(w[:5], 0)))) for w in props}
    total = sum(weight.values()) or 1.0

    def own(c: Candidate) -> float:  # the word itself counts fully, a synonym (« vol » for « cambriolage ») half
        text = _nfm(c.text)
        keys = _keys(text)
        return sum(v * (1.0 if _match(w, keys, "") else 0.5) for w, v in weight.items()
                   if _match(w, keys, text)) / total

    def decisive(c: Candidate) -> float:  # « Je le reconnais », « Je n'ai jamais … »: a sentence that decides
        return 0.5 if _DECISIVE.search(_nfm(c.text)) else 0.0

    best = max(ranked[:15], key=lambda c: c.score + 3.0 * own(c) + decisive(c))
    return [best] + [c for c in ranked if c is not best]


# What a piece provides for, allows or asks, not what happened: « dispose d'un délai de dix jours pour en interjeter
# appel », « payable en deux versements, le premier avant le 15 avril », « Ordonnons que la procédure soit communiquée
# … pour ses réquisitions : — sur la demande de mise en liberté », « placé en fourrière aux fins d'examen ».
_POSSIBLE = re.compile(r"\bdelai (?:de \w+ (?:\w+ )?)?(?:jours|mois) pour|\bdispose d'un delai|\bfaculte d[e']|"
                       r"\bpossibilite d[e']|\bpeu(?:t|vent) |\bpourr(?:a|ont|ait) |\bdoi(?:t|vent) |\bdevr(?:a|ont) |"
                       r"\bpayable|\ba verser|\ba payer|\bsur (?:la|sa) demande d[e']|\baux fins d[e']|\ben vue d[e']|"
                       r"\bafin d[e']|\bde bien vouloir|\brequerons\b|\bpour (?:ses|vos) requisitions|\bsera statue|"
                       r"\bil (?:conviendra|y aura lieu)|^\W*\d+\s*°\s*|\b(?:a|de) (?:fournir|effectuer|realiser|verser)\b")
_HAPPENED = re.compile(r"\b(?:a|ont|avait|avaient) (?:ete |bien )?\w+(?:e|i|u|is|it)s?\b|"
                       r"\b(?:est|sont) (?:intervenue?|devenue?)s?\b|"
                       r"\beffectue\w* le \d|\bverse\w* le \d|\ben date du \d")


def _told_as_possible(text: str, words: list[str]) -> bool | None:
    """True when an occurrence of the words is told as provided for or asked (see _POSSIBLE), False when they are
    there but never so, None when they are not there."""
    seen = False
    for w in words:
        for m in re.finditer(rf"\b{re.escape(w[:5])}", text):
            seen = True
            clause = re.split(r"[.;!?]", text[:m.start()])[-1][-120:]
            marks = list(_POSSIBLE.finditer(clause))
            if marks and len(clause) - marks[-1].end() <= 70 and not _HAPPENED.search(clause[marks[-1].end():]):
                return True
    return False if seen else None


# A result asked (« qu'a révélé l'examen », « quel est le résultat de l'analyse ») where the best sentence says the act
# was not done, is pending or is only its purpose (« n'a pas fait l'objet d'analyses à ce stade », « placé en fourrière
# aux fins d'examen », « transmis au laboratoire, résultats en attente »): the dossier holds no result.
_NO_RESULT = re.compile(r"\bn'(?:a|ont) pas (?:encore )?(?:fait l'objet d'|ete (?:analyse|examine|exploite|expertise)\w*)|"
                        r"\b(?:aucune?|pas d'|sans) (?:analyse|examen|expertise|exploitation|resultat)s?\b|"
                        r"\ben attente (?:de|des|du)\b|\b(?:resultats?|conclusions?) (?:sont |est )?(?:attendue?s?|en attente)|"
                        r"\baux fins d'(?:examen|analyse|expertise|exploitation)|\ben vue d'(?:examen|analyse|expertise)|"
                        r"\bsera (?:analyse|examine|expertise|exploite)\w*|\best transmise? (?:au|a l')(?:laboratoire|"
                        r"expert|ircgn|inps)")


def _no_result_yet(best: Candidate) -> str | None:
    text = _nfm(best.text)
    if not _NO_RESULT.search(text) or re.search(r"\b(?:revele|met en evidence|conclu\w*|identifi\w*|correspond\w*|"
                                                 r"resultat (?:est|positif|negatif))\b", text):
        return None
    return ("Le dossier ne contient pas ce résultat : « " + best.text[:180].rstrip() + ("…" if len(best.text) > 180
            else "") + f" » ({best.evidence.citation.cote or 'pièce sans cote'} p.{best.evidence.citation.page}).")


_LEFT_OUT = re.compile(r"\b(?:hors|a l'exclusion d[eu']s?|non compris|sans compter|exclusion faite d[eu']s?|excluant)\s+"
                       r"(?:les? |la |l'|des? |du )?([^.;,)]{3,60})")


def _left_out(q: QuestionFrame, cand: Candidate) -> str | None:
    """The question's own subject told as left out of the sentence's total (« Le préjudice total s'élève à 26 015
    euros, hors réparation des serrures » for « le coût de réparation des serrures »): the value is not its answer."""
    text = _nfm(cand.text)
    words = [w for w in q.content if w not in q.role_words and not w.isdigit() and len(w) >= 4]
    for m in _LEFT_OUT.finditer(text):
        excluded = m.group(1)
        hit = [w for w in words if _match(w, _keys(excluded), excluded)]
        rest = text[:m.start()] + text[m.end():]
        if len(hit) >= 2 and not any(_match(w, _keys(rest), rest) for w in hit):
            return excluded.strip()
    return None


def _only_possible(q: QuestionFrame, ranked: list[Candidate], index: DossierIndex) -> tuple[list[Candidate], str | None]:
    """A yes/no question about an act (« a-t-il interjeté appel », « a-t-il effectué le premier versement », « le JLD
    a-t-il fait droit à la demande ») whose best sentence only provides for it, allows it or asks for it: another
    close sentence that tells it done answers; else the dossier does not say whether it happened."""
    props = _proposition_words(q)
    best = ranked[0]
    text = _nfm(best.text)
    n = max(1, index.n)
    rare = sorted((w for w in props if _match(w, _keys(text), text)),
                  key=lambda w: index.counts.get(w) or index.counts.get(w[:5], 0) or n)[:2]
    if not rare or not _told_as_possible(text, rare):
        return ranked, None
    for other in ranked[1:6]:
        if _told_as_possible(_nfm(other.text), rare) is False and _HAPPENED.search(_nfm(other.text)):
            return [other] + [c for c in ranked if c is not other], None
    return [], ("Le dossier prévoit ou évoque cet acte sans dire s'il a eu lieu : « "
                f"{best.text[:160].rstrip()}{'…' if len(best.text) > 160 else ''} » "
                f"({best.evidence.citation.cote or 'pièce sans cote'} p.{best.evidence.citation.page}).")


_DECISIVE = re.compile(r"\b(?:je|il|elle) (?:le |l')?(?:reconnai[st]|admets?|avoue|maintiens?|confirme|conteste|nie)\b|"
                       r"^(?:oui|non)\b|\bc'est (?:vrai|faux)\b|\bjamais\b")


_NEG_CLAUSE = re.compile(r"\b(?:non|jamais|aucun|aucune|rien|nie|conteste|faux)\b|"
                         r"\b(?:c'est|c'etait|j'ai|j'avais|je sais|je suis|j'etais|il est|elle est|ca) pas\b|"
                         r"\bn(?:e\b|')[^.;,]{0,25}?\b(?:pas|plus|"
                         r"jamais|rien|aucun|aucune|personne)\b|\bn'(?:ai|a|avons|avez|ont|est|etais|etait)\b")
_NEGATED_QUESTION = re.compile(r"\bne (?:pas|plus|jamais) (?:avoir|etre)\b|\bn'(?:avoir|etre)\b|\bne \w+ (?:pas|plus|"
                               r"jamais) (?:avoir|etre)\b")


_DENIAL = re.compile(r"\s*(?:c'est|c'etait|ce n'est|ce n'etait) pas (?:a )?moi\b")


def decide(q: QuestionFrame, cand: Candidate, reply_opening: str | None = None) -> str:
    """« Oui », « Non » or « Partiellement », from the clause of the deciding sentence that states the proposition
    asked (« J'ai dit « je vais te crever », mais je ne l'aurais jamais fait » admits the words); a bare « Non. »
    answers the audition question, read against the user's (« Maintenez-vous ne pas avoir été présent ? » « Non. »
    means he now admits it)."""
    norm = _nfm(cand.text).replace("’", "'")
    props = _proposition_words(q)
    clauses = [c for c in re.split(r"[.;!?]|\s[-–—]\s|,\s*(?=mais\b|sauf\b|pourtant\b|cependant\b)|\bmais\b", norm)
               if c.strip()]
    scored = [(sum(1 for w in props if _match(w, _keys(c), c)), c) for c in clauses]
    best_n = max((n for n, _ in scored), default=0)
    question_negated = bool(_NEGATED_QUESTION.search(_nfm(q.text)))
    opening = re.match(r"\s*(oui|non)\b", norm)
    if cand.asked and (_DENIAL.match(norm) or (reply_opening and _DENIAL.match(_nfm(reply_opening).replace("’", "'")))):
        # « C'est pas à moi. C'est à Bilal … »: the reply opens by denying
        return "Oui" if question_negated else "Non"
    if best_n > 0:
        clause = next(c for n, c in scored if n == best_n)
        positive = not _NEG_CLAUSE.search(clause)
        doer = re.search(r"\bc'est (?:a )?([a-z-]+) qui\b", clause)
        asked = set(q.names) | ({f for f in q.speaker.names.values() if f} | q.speaker.first_names if q.speaker else set())
        # in the person's own words « c'est lui qui … » is somebody else; in a report it may be the person asked
        pronouns = set() if cand.speaker is not None else {"lui", "elle"}
        if doer and doer.group(1) not in {"moi", "nous", "bien", "vrai", "ca", "la"} | pronouns | asked:
            positive = False  # « C'est Mickaël qui l'a poussée et qui lui a mis un coup »: somebody else did it
        if re.search(r"\ben partie\b|\bpartiellement\b|\bune partie\b|\bpas tout\b", clause):
            return "Partiellement"
    elif opening:
        positive = opening.group(1) == "oui"
        if cand.asked and bool(_NEGATED_QUESTION.search(_nfm(cand.asked)) or re.search(
                r"\bne (?:pas|plus) ", _nfm(cand.asked))) != question_negated:
            positive = not positive  # the audition asked the opposite of the user's question
        return "Oui" if positive else "Non"
    else:
        positive = not _NEGATIVE.search(cand.text)
    if question_negated:
        positive = not positive
    return "Oui" if positive else "Non"


def _theirs_first(q: QuestionFrame, ranked: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """« Quelle immatriculation Mme X a-t-elle relevée ? »: X's own words first; when X states the value in other
    words (« je n'ai vu que le début, FK-3 »), that sentence rather than a report's full value."""
    if ranked and _speaker_fit(q, ranked[0]) > 0 and ranked[0].speaker is not None and (
            not q.stages or (ranked[0].piece is not None and ranked[0].piece.kind in q.stages)):
        return ranked
    theirs = [c for c in ranked if c.speaker is not None and _speaker_fit(q, c) > 0]
    staged = [c for c in theirs if c.piece is not None and c.piece.kind in q.stages]
    theirs = staged + [c for c in theirs if c not in staged] if q.stages else theirs
    if theirs:
        return [theirs[0]] + [c for c in ranked if c is not theirs[0]]
    asked = [w for w in _proposition_words(q) if w not in ("releve", "vu", "vus", "entendu", "chez", "lui", "elle")
             and w not in _GENERIC_HEADS and w[:4] not in ("heur", "date")]

    def told(c: Candidate) -> int:  # the thing asked, in the sentence itself (« la plaque »)
        text = _nfm(c.text)
        return sum(1 for w in asked if _match(w, _keys(text), text))

    said = sorted((c for c in pool if c.rejected and c.rejected.startswith("aucun") and c.speaker is not None
                   and _speaker_fit(q, c) > 0 and c.coverage >= 0.5 and not _OPENING.search(_nfm(c.text))
                   and told(c)), key=lambda c: (-told(c), -c.coverage))
    if said:
        said[0].spans = []
        return [said[0]] + ranked
    return ranked


_SEIZED = re.compile(r"\bdecouvr\w*|\bsaisiss\w*|\bplacons sous scelle|\b(?:avons|sont|est|ont ete|a ete) saisie?s?\b|"
                     r"\bsaisie d(?:e |'|u |es )|\bretrouv\w+|\btrouvons\b")
_NEGATIVE_LINE = re.compile(r"^(?:aucune?|rien|neant)\b|\b(?:sont|est) demeurees? vaines?|\bne sont pas retrouves?|"
                            r"\bn'(?:est|a ete) (?:pas )?(?:decouvert|saisi|retrouve)")


def _asks_seized(q: QuestionFrame) -> bool:
    return bool(re.search(r"\b(?:saisi|decouv|trouv|retrouv|scelle)", _nfm(q.text)))


def _opens_list(c: Candidate) -> bool:
    return bool(c.text.rstrip().endswith(":") or re.search(r":\s*(?:[-–—•*]|\d+\s?[°).])", c.text))


def _listy(c: Candidate) -> bool:
    text = _nfm(c.text)
    return bool(_opens_list(c) or _LIST_ITEM.match(c.evidence.text) or _SEIZED.search(text)) and \
        not _NEGATIVE_LINE.search(text)


def _items_first(q: QuestionFrame, ranked: list[Candidate]) -> list[Candidate]:
    """« Quels objets ont été saisis ? »: a sentence that opens or belongs to the enumeration, not « Aucun autre
    objet n'est découvert »."""
    top = ranked[0]
    if _listy(top):
        return ranked
    for c in ranked[1:6]:
        if _listy(c) and c.score >= top.score - 1.5:
            return [c] + [x for x in ranked if x is not c]
    return ranked


def _doc_candidates(index: DossierIndex | None, doc: str) -> list[Candidate]:
    if index is None:
        return []
    out: list[Candidate] = []
    for key in sorted(k for k in index.pages if k[0] == doc):
        chunks = sorted(index.pages[key], key=lambda c: c.char_start)
        sentences = [(c, 0.0, s) for c in chunks for s in _sentences(c)]
        out += _page_candidates(sentences, " ".join(c.text for c in chunks))
    return out


def _list_run(pool: list[Candidate], best: Candidate, index: DossierIndex | None, limit: int = 12) -> list[Candidate]:
    """The whole enumeration the chosen sentence opens or belongs to (« 1° … » to « 8° … », « — … »), across the
    piece's pages, before and after it."""
    doc = best.evidence.citation.document_id or ""
    sentences = _doc_candidates(index, doc) or [c for c in pool if c.evidence.citation.document_id == doc]
    at = next((i for i, c in enumerate(sentences) if c.raw == best.raw and c.evidence.citation.page ==
               best.evidence.citation.page), None)
    if at is None:
        return _list_items(pool, best)
    opens = _opens_list(best)
    is_item = bool(_LIST_ITEM.match(best.evidence.text))
    if not (opens or is_item):
        return []
    start = at
    while is_item and start > 0 and _LIST_ITEM.match(sentences[start - 1].evidence.text):
        start -= 1
    end = at + 1
    while end < len(sentences) and _LIST_ITEM.match(sentences[end].evidence.text) and end - start < limit + 1:
        end += 1
    return [c for c in sentences[start:end] if c.raw != best.raw]


def _gathered(q: QuestionFrame, best: Candidate, index: DossierIndex | None, limit: int = 10) -> list[Candidate]:
    """« Quels objets ont été saisis ? » answered in prose (« Dans la chambre, découvrons … Plaçons sous scellé
    n° UN »): every sentence of the piece that finds or seizes something, on the chosen page, else in the piece."""
    if not _asks_seized(q):
        return []
    doc = best.evidence.citation.document_id or ""
    found = [c for c in _doc_candidates(index, doc) if c.raw != best.raw and len(c.text) > 20
             and _SEIZED.search(_nfm(c.text)) and not _NEGATIVE_LINE.search(_nfm(c.text))]
    page = [c for c in found if c.evidence.citation.page == best.evidence.citation.page]
    return (page if len(page) >= 2 else found)[:limit]


def _reply_before(pool: list[Candidate], best: Candidate, limit: int = 2) -> list[Candidate]:
    """The sentences of the same reply before the chosen one (« Le match s'est terminé vers 21 h 20, il est parti
    dix minutes après » before « Il n'est pas resté jusqu'à 23 heures »)."""
    if not best.asked:
        return []
    same = [c for c in pool if c.evidence.citation.document_id == best.evidence.citation.document_id
            and c.evidence.citation.page == best.evidence.citation.page]
    if best not in same:
        return []
    out: list[Candidate] = []
    for c in reversed(same[:same.index(best)]):
        if c.asked != best.asked or len(out) >= limit:
            break
        if c.text not in best.text:
            out.insert(0, c)
    return out
