"""French sentences and running page lines (headers, footers): shared by chunking, drafting and answering."""
from __future__ import annotations

import re

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


def line_shape(line: str) -> str:
    """A line with its digits masked, so that « page 3 » and « page 4 » have one shape."""
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
            seen.setdefault(line_shape(ln), []).append((index, ln))
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
