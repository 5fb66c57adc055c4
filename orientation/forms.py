"""Tick boxes of printed forms (PV de notification, fiche de renseignements, gendarmerie and police forms), as
they come out of a PDF text layer or of OCR: « ☒ Oui ☐ Non », « [x] Refus », « (X) accepte », « X Non ».

A form prints every option; only the ticked one is a statement. So the text the rules read keeps a ticked
option without its mark and blanks an unticked option (the officer did not state it): an unticked « ☐ Refus de
se soumettre » is not a refusal. Blanking replaces characters by spaces, so offsets stay those of the page text.
"""
from __future__ import annotations

import re

# marks as they print and as OCR reads them (« [x] », « [X] », « (x) », « ☒ », « ■ »; an empty box « ☐ », « [ ] »,
# « [_] », « ( ) », « □ »)
TICKED = r"[☒☑✔✓✗✘■▣◼⊠⊗]|\[\s?[xX✓✔/]\s?\]|\(\s?[xX]\s?\)"
UNTICKED = r"[☐□❑❒◻▢○◯]|\[\s{0,2}\]|\[_\]|\(\s{0,2}\)"
STRONG = re.compile(rf"(?P<t>{TICKED})|(?P<u>{UNTICKED})")
# a bare « X » written in front of an option (at the start of a line, after a colon or between options) is the
# usual handwritten or typed tick; it only counts on a line that has at least one real box
BARE_X = re.compile(r"(?:^|(?<=[:\s]))[xX](?=\s+[A-Za-zÀ-ÿ])")


def _marks(line: str) -> list[tuple[int, int, bool]]:
    marks = [(m.start(), m.end(), m.group("t") is not None) for m in STRONG.finditer(line)]
    if marks:
        taken = [(a, b) for a, b, _ in marks]
        marks += [(m.start(), m.end(), True) for m in BARE_X.finditer(line)
                  if not any(a <= m.start() < b for a, b in taken)]
    return sorted(marks)


def apply_ticks(f: str) -> str:
    """`f` with every mark blanked and the options of unticked boxes blanked (same length, same offsets).

    An option runs from its mark to the next mark or the end of the line; a box with no option text after it
    (« Refus : ☐ ») stays for the field reader, which reads it as « non » (see `tick_value`)."""
    if not STRONG.search(f):
        return f
    out = list(f)
    pos = 0
    for line in f.split("\n"):
        marks = _marks(line)
        for i, (a, b, ticked) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(line)
            option = line[b:end]
            if not option.strip():
                continue  # a lone box after a label: its value
            for k in range(pos + a, pos + b):
                out[k] = " "
            if not ticked:
                for k in range(pos + b, pos + end):
                    if out[k] != "\n":
                        out[k] = " "
        pos += len(line) + 1
    return "".join(out)


def tick_value(value: str) -> str:
    """A field value that is a lone box: « ☒ » / « [x] » -> « oui », « ☐ » / « [ ] » -> « non »; « QUI » / « 0UI » (OCR
    of « OUI » at the start of a value) -> « oui »; else unchanged."""
    value = re.sub(r"^(?:qui|0ui|ou1|oul)\b", "oui", value.strip())
    v = value
    if re.fullmatch(TICKED, v):
        return "oui"
    if re.fullmatch(UNTICKED, v):
        return "non"
    return value


def both_options(value: str) -> bool:
    """« oui / non », « OUI - NON (rayer la mention inutile) »: an unfilled form field states nothing."""
    return bool(re.search(r"\boui\b", value) and re.search(r"\bnon\b", value))
