"""French sentence-aware chunking inside one page; running headers and footers kept apart."""
from __future__ import annotations

import re

from core.ids import chunk_id
from core.models import BBox, Chunk, Line, Page
from core.sentences import line_shape, split_sentences

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
        return (line_shape(line) in running or bool(_STAMP_LINE.match(line)) or not line.strip()
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
