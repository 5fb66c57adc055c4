"""Cote detection: manifest, then file name, then page stamps; never a guess."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from core.models import normalize_cote

_FILENAME = re.compile(r"(?:^|[^A-Za-z0-9])(?:cote[-_ ]?)?([A-Da-d])[-_ ]?0*(\d{1,4})(?=[^0-9]|$)")
_STAMP = re.compile(
    r"\bCot(?:e|ée|ee)\s*:?\s*([A-D])\s*0*(\d{1,4})\b(?:\s*[—–-]\s*(?:page|feuillet|f°|p\.)\s*(\d+)\s*(?:/|sur)\s*(\d+))?"
    r"|\b([A-D])\s?0*(\d{1,4})\s*/\s*(\d{1,3})\b",
    re.IGNORECASE,
)
# The same stamp as OCR reads it: « C0te », « Cotc », letters for digits (l/I/| for 1, O/o for 0, S for 5, B for 8),
# O/0 for D, 8 for B, a doubled letter (« DD12 », « DI18 »).
_OCR_STAMP = re.compile(
    r"\b[CG][o0O][tl][eéc]\s*[:.]?\s*([A-Da-d08O][A-Za-z0-9|!]{0,5})(?:\s*[—–-]\s*pa?ge?\s*([0-9lIO|]+)\s*/\s*"
    r"([0-9lIO|]+))?", re.IGNORECASE)
_LONE_STAMP = re.compile(r"^\W{0,3}([A-D][0-9lI|]{1,4})\W{0,3}$")
_DIGIT_FOR = {"l": "1", "I": "1", "i": "1", "|": "1", "!": "1", "O": "0", "o": "0", "D": "0", "S": "5", "s": "5",
              "B": "8", "Z": "2", "z": "2", "G": "6", "g": "9", "T": "7"}
_LETTER_FOR = {"0": "D", "O": "D", "o": "D", "8": "B", "a": "A", "b": "B", "c": "C", "d": "D"}


def read_manifest(folder: Path) -> dict[str, tuple[str, str]]:
    """manifest.csv (or cotes.csv): filename;cote;title, comma or semicolon separated."""
    for name in ("manifest.csv", "cotes.csv"):
        path = folder / name
        if path.is_file():
            text = path.read_text(encoding="utf-8-sig")
            dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;")
            out: dict[str, tuple[str, str]] = {}
            for row in csv.DictReader(text.splitlines(), dialect=dialect):
                cote = normalize_cote(row.get("cote"))
                if row.get("filename") and cote:
                    out[row["filename"].strip()] = (cote, (row.get("title") or "").strip())
            return out
    return {}


def cote_from_filename(filename: str) -> str | None:
    stem = Path(filename).stem
    m = _FILENAME.search(stem)
    if not m:
        return None
    start = m.start(1)
    if start > 0 and stem[start - 1].isalpha() and "cote" not in stem[max(0, start - 5):start].lower():
        return None
    return normalize_cote(f"{m.group(1)}{m.group(2)}")


def cote_candidates(token: str) -> list[str]:
    """Readings of an OCR'd cote token, most literal first: « Bl » -> [B1]; « DI18 » -> [D118, D18];
    « 012 » -> [D12]; « DD7 » -> [D7]. Empty when the token cannot be a cote."""
    token = token.strip(" .,:;|")
    if not token:
        return []
    letter = _LETTER_FOR.get(token[0], token[0].upper())
    if letter not in "ABCD":
        return []
    rest = token[1:]
    readings = [rest]
    if rest[:1].upper() == letter or rest[:1] in ("I", "l", "|"):
        readings.append(rest[1:])  # a doubled letter or a stray stroke next to it
    out: list[str] = []
    for r in readings:
        digits = "".join(_DIGIT_FOR.get(c, c) for c in r)
        if digits.isdigit() and 0 < len(digits) <= 4 and int(digits) > 0:
            cote = normalize_cote(letter + digits)
            if cote and cote not in out:
                out.append(cote)
    return out


def resolve_candidates(candidates: list[str], known: set[str] | None = None) -> str | None:
    """The reading that fits the dossier's sequence: a gap between known neighbours (D17, ?, D19 -> D18), else one
    next to a known cote, else the most literal reading; never a cote another piece already has when a free
    reading exists."""
    if not candidates:
        return None
    if not known:
        return candidates[0]
    numbers: dict[str, set[int]] = {}
    for c in known:
        numbers.setdefault(c[0], set()).add(int(c[1:]))

    def fit(cote: str) -> tuple[int, int]:
        series, n = numbers.get(cote[0], set()), int(cote[1:])
        taken = cote in known
        gap = (n - 1 in series) + (n + 1 in series)
        near = min((abs(n - m) for m in series), default=n)
        return (taken, -gap if gap else near)

    return min(candidates, key=lambda c: (fit(c), candidates.index(c)))


def _reference(line: str, at: int) -> bool:
    """« (cote D2) », « cf. cote D4 », « … figurant en cote D5 » inside a sentence: the page cites another piece, it
    is not its own stamp (a stamp or footer is a short line: « Cote D1 — p. 1/2 », « Pièce cotée D1 — feuillet 2 »)."""
    before = line[max(0, at - 12):at].lower()
    return bool(re.search(r"\(\s*$|\bcf\.?\s*$|\bvoir\s*$|\ben\s*$", before)) or len(line.strip()) > 90


def stamp_of_page(text: str, known: set[str] | None = None) -> tuple[str | None, int | None]:
    """(cote, page within the cote) from a page's stamp or footer, looking at its last lines first; OCR
    confusions are read with tolerance and checked against the dossier's known cotes."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    edges = list(reversed(lines[-4:] + lines[:3]))
    for line in edges:
        m = _STAMP.search(line)
        if not m or _reference(line, m.start()):
            continue
        if m.group(1):
            return normalize_cote(m.group(1) + m.group(2)), int(m.group(3)) if m.group(3) else None
        return normalize_cote(m.group(5) + m.group(6)), int(m.group(7))
    for line in edges:
        m = _OCR_STAMP.search(line)
        if m:
            cote = resolve_candidates(cote_candidates(m.group(1)), known)
            if cote:
                within = "".join(_DIGIT_FOR.get(c, c) for c in m.group(2) or "")
                return cote, int(within) if within.isdigit() else None
    for line in lines[:4]:
        m = _LONE_STAMP.match(line.strip())
        if m:
            cote = resolve_candidates(cote_candidates(m.group(1)), known)
            if cote:
                return cote, None
    return None, None


def stamp_from_scan(pdf_path: str, index: int, dpi: int = 300, known: set[str] | None = None) -> str | None:
    """A cote stamped in a box (« D1 » in a frame, top of the page) that page OCR drops with the frame: the top and
    bottom bands are read alone, frames erased first."""
    import subprocess

    from PIL import Image

    from ingestion.ocr import render_gray, tesseract_available

    if not tesseract_available():
        return None
    try:
        rendered = render_gray(pdf_path, index, dpi)
        data = rendered[0] if isinstance(rendered, tuple) else rendered
        image = Image.open(__import__("io").BytesIO(data)).convert("L")
        return _boxed_stamp(image, known)
    except (OSError, ValueError, TypeError, subprocess.SubprocessError):
        return None  # reading a stamp is a bonus: it never costs a file


def _boxed_stamp(image, known: set[str] | None) -> str | None:
    """Top and bottom bands of the page, frame lines erased, read by tesseract word by word."""
    import numpy as np
    from PIL import Image, ImageFilter

    from ingestion.ocr import sparse_words

    width, height = image.size
    for box in ((0, 0, width, int(height * 0.16)), (0, int(height * 0.9), width, height)):
        band = np.asarray(image.crop(box), dtype=np.uint8)
        dark = band < 150
        frames = _long_runs(dark, 80) | _long_runs(dark.T, 80).T
        mask = np.asarray(Image.fromarray((frames * 255).astype(np.uint8)).filter(ImageFilter.MaxFilter(7))) > 0
        clean = Image.fromarray(np.where(mask, 255, band).astype(np.uint8))
        words = sparse_words(clean)
        cote, _ = stamp_of_page(words, known)
        if cote:
            return cote
        for line in words.splitlines():
            m = _LONE_STAMP.match(line.strip())
            if m:
                cote = resolve_candidates(cote_candidates(m.group(1)), known)
                if cote:
                    return cote
    return None


def _long_runs(mask, length: int):
    """Pixels belonging to horizontal runs of at least `length` dark pixels (frame lines, rules)."""
    import numpy as np

    out = np.zeros_like(mask)
    for i, row in enumerate(mask):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            if end - start >= length:
                out[i, start:end] = True
    return out


def majority(cotes: list[str | None]) -> str | None:
    found = [c for c in cotes if c]
    if not found:
        return None
    cote, count = Counter(found).most_common(1)[0]
    return cote if count * 2 > len(found) else None
