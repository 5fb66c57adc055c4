"""French sentence-aware chunking inside one page; running headers and footers kept apart."""
from __future__ import annotations

import re

from core.ids import chunk_id
from core.models import BBox, Chunk, Line, Page

ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "me", "dr", "pr", "art", "arts", "n", "no", "cf", "p", "pp",
                 "al", "etc", "av", "bd", "st", "ste", "c", "cass", "crim", "civ", "ord", "réf", "ref", "vol",
                 "ex", "env", "min", "max", "tél", "tel", "approx", "éd", "fig", "chap", "l", "r", "d"}
_BOUNDARY = re.compile(r"([.!?…]+[»\")]*)(\s+)(?=[«\"(]?[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ0-9])")
_DIGITS = re.compile(r"\d+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of French sentences; 'M. Dupont', 'art. 144', 'n° 12' do not split."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start:m.start(1)]
        word = re.findall(r"([\wÀ-ÿ°]+)$", before)
        token = word[0].lower() if word else ""
        if m.group(1) == "." and (token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())):
            continue
        end = m.end(1)
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end(2)
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        cursor = s
        for nl in re.finditer(r"\n(?=\S)", text[s:e]):
            cut = s + nl.start()
            previous_line = text[text.rfind("\n", 0, cut) + 1:cut].rstrip()
            # A short line is a list item or a label (ticket, B1); a long one merely wraps.
            if len(previous_line) >= 70 or previous_line.endswith((",", "-", "'")):
                continue
            if text[cursor:cut].strip():
                out.append((cursor, cut))
            cursor = s + nl.end()
        if text[cursor:e].strip():
            out.append((cursor, e))
    return [_trim(text, s, e) for s, e in out if text[s:e].strip()]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _shape(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


_PLATE = re.compile(r"\b[A-HJ-NP-TV-Z]{2}[- ]\d{3}[- ][A-HJ-NP-TV-Z]{2}\b")


def detect_running_lines(pages: list[str], min_share: float = 0.5) -> set[str]:
    """Line shapes (digits masked) found in the first/last two lines of at least half the pages. A line holding
    an identifier is never a running line: a registration plate, or numbers that change from page to page other
    than as a page counter (a photo board repeats its template around a different plate or exhibit number)."""
    if len(pages) < 2:
        return set()
    seen: dict[str, list[tuple[int, str]]] = {}
    for index, text in enumerate(pages):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        for ln in dict.fromkeys(lines[:2] + lines[-2:]):
            seen.setdefault(_shape(ln), []).append((index, ln))
    running = set()
    for shape, occurrences in seen.items():
        if len({i for i, _ in occurrences}) < max(2, min_share * len(pages)):
            continue
        if any(_PLATE.search(ln) for _, ln in occurrences) or not _page_like_numbers(occurrences):
            continue
        running.add(shape)
    return running


def _page_like_numbers(occurrences: list[tuple[int, str]]) -> bool:
    """Each number of the line is the same everywhere, or moves with the page (a page counter)."""
    values = [(i, [int(d) for d in _DIGITS.findall(ln)]) for i, ln in occurrences]
    width = min(len(v) for _, v in values)
    for j in range(width):
        column = {v[j] for _, v in values}
        offsets = {v[j] - i for i, v in values}
        if len(column) > 1 and len(offsets) > 1:
            return False
    return True


_STAMP_LINE = re.compile(r"^\s*(Cote\s*:?\s*[A-D]\s*\d+.*|Page\s+\d+\s*/\s*\d+|[A-D]\s?\d{1,4}\s*/\s*\d{1,3})\s*$",
                         re.IGNORECASE)


def looks_like_letterhead(line: str) -> bool:
    """An upper-case service line with a separator or a number ('POLICE NATIONALE — ... n° 12')."""
    return bool(re.match(r"^[A-ZÀ-Ý'’\- ]{6,}\s[—–-]\s", line)) and ("—" in line or "n°" in line.lower())


def body_range(page: Page, running: set[str]) -> tuple[int, int, str, str]:
    """Offsets of the page body, without running header/footer lines and stamps; also header, footer."""
    lines = page.text.split("\n")
    offsets, pos = [], 0
    for ln in lines:
        offsets.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    first, last = 0, len(lines) - 1

    def is_running(i: int) -> bool:
        line = lines[i]
        return (_shape(line) in running or bool(_STAMP_LINE.match(line)) or not line.strip()
                or (i == 0 and looks_like_letterhead(line)))

    while first <= last and first < 2 + (1 if not lines[first].strip() else 0) and is_running(first):
        first += 1
    while last >= first and last > len(lines) - 4 and is_running(last):
        last -= 1
    if first > last:
        # Never remove a page's only content: a page made only of template-like lines keeps them all.
        kept = [i for i, ln in enumerate(lines) if ln.strip() and not _STAMP_LINE.match(ln)]
        if not kept:
            return 0, 0, "", ""
        first, last = kept[0], kept[-1]
    header = "\n".join(lines[:first]).strip()
    footer = "\n".join(lines[last + 1:]).strip()
    return offsets[first][0], offsets[last][1], header, footer


def chunk_page(page: Page, *, dossier_id: str, juridiction: str, cote: str | None, cite_page: int,
               kind: str, title: str, target: int, overlap: int, running: set[str]) -> list[Chunk]:
    """Pack whole sentences of one page's body into chunks of about `target` characters."""
    start, end, header, footer = body_range(page, running)
    page.header, page.footer = header, footer
    if end <= start:
        return []
    body = page.text[start:end]
    sentences = [(start + s, start + e) for s, e in split_sentences(body)]
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = i
        while j + 1 < len(sentences) and sentences[j + 1][1] - sentences[i][0] <= target:
            j += 1
        c_start, c_end = sentences[i][0], sentences[j][1]
        chunks.append(Chunk(
            id=chunk_id(page.document_id, page.number, len(chunks)), dossier_id=dossier_id,
            juridiction=juridiction, document_id=page.document_id, cote=cote, page=cite_page,
            pdf_page=page.number, text=page.text[c_start:c_end], char_start=c_start, char_end=c_end,
            bboxes=boxes_for(page.lines, c_start, c_end), ocr=page.ocr, kind=kind, title=title,
        ))
        if j + 1 >= len(sentences):
            break
        k = j + 1
        while k - 1 > i and sentences[j][1] - sentences[k - 1][0] < overlap:
            k -= 1
        i = k if k > i else j + 1
    return chunks


def boxes_for(lines: list[Line], start: int, end: int) -> list[BBox]:
    return [ln.bbox for ln in lines if ln.start < end and ln.end > start]
