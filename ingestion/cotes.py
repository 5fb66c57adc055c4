"""Cote detection: manifest, then file name, then page stamps; never a guess."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from core.models import normalize_cote

_FILENAME = re.compile(r"(?:^|[^A-Za-z0-9])(?:cote[-_ ]?)?([A-Da-d])[-_ ]?0*(\d{1,4})(?=[^0-9]|$)")
_STAMP = re.compile(
    r"\bCote\s*:?\s*([A-D])\s*0*(\d{1,4})\b(?:\s*[—–-]\s*page\s*(\d+)\s*/\s*(\d+))?"
    r"|\b([A-D])\s?0*(\d{1,4})\s*/\s*(\d{1,3})\b",
    re.IGNORECASE,
)


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


def stamp_of_page(text: str) -> tuple[str | None, int | None]:
    """(cote, page within the cote) from a page's stamp or footer, looking at its last lines first."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines[-4:] + lines[:3]):
        m = _STAMP.search(line)
        if not m:
            continue
        if m.group(1):
            return normalize_cote(m.group(1) + m.group(2)), int(m.group(3)) if m.group(3) else None
        return normalize_cote(m.group(5) + m.group(6)), int(m.group(7))
    return None, None


def majority(cotes: list[str | None]) -> str | None:
    found = [c for c in cotes if c]
    if not found:
        return None
    cote, count = Counter(found).most_common(1)[0]
    return cote if count * 2 > len(found) else None
