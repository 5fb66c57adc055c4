"""The one module that uses pypdfium2: native PDF text with per-line boxes, the test that routes a page to OCR,
and page rendering (OCR, the page reader's image, the generator's scans)."""
from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from core.errors import UnsupportedDocument
from core.models import BBox, Line
from core.protocols import ParsedPage

if TYPE_CHECKING:
    from PIL.Image import Image


@dataclass
class RawPage:
    number: int
    text: str
    lines: list[Line]
    width: float
    height: float
    needs_ocr: bool


_NEWLINE = re.compile(r"\r\n|\r|\n")


def open_pdf(data: bytes | str) -> pdfium.PdfDocument:
    """Open a PDF or raise UnsupportedDocument with a reason a magistrate can read."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise UnsupportedDocument("PDF protégé par un mot de passe : impossible de le lire.",
                                      code="pdf_chiffre") from exc
        raise UnsupportedDocument("PDF corrompu ou tronqué : il ne peut pas être ouvert.",
                                  code="pdf_corrompu") from exc
    if len(doc) == 0:
        raise UnsupportedDocument("PDF sans aucune page lisible (fichier tronqué ?).", code="pdf_corrompu")
    return doc


def text_is_usable(text: str, min_chars: int) -> bool:
    """A text layer is usable when long enough and mostly letters (not glyph garbage)."""
    stripped = "".join(text.split())
    if len(stripped) < min_chars:
        return False
    letters = sum(1 for c in stripped if c.isalnum())
    weird = sum(1 for c in stripped if 0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd")
    return letters / len(stripped) > 0.6 and weird / len(stripped) < 0.05


def extract_page(doc: pdfium.PdfDocument, index: int, min_chars: int) -> RawPage:
    page = doc[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    raw = textpage.get_text_range()
    lines: list[Line] = []
    parts: list[str] = []
    offset = 0
    cursor = 0
    for m in list(_NEWLINE.finditer(raw)) + [None]:
        end = m.start() if m else len(raw)
        segment = raw[cursor:end]
        if segment.strip():
            boxes = [textpage.get_charbox(i) for i in (cursor, end - 1)]
            x0 = min(b[0] for b in boxes)
            x1 = max(b[2] for b in boxes)
            y_top = max(b[3] for b in boxes)
            y_bottom = min(b[1] for b in boxes)
            lines.append(Line(start=offset, end=offset + len(segment),
                              bbox=BBox(x0=x0, y0=height - y_top, x1=x1, y1=height - y_bottom)))
            parts.append(segment)
            offset += len(segment) + 1
        if m is None:
            break
        cursor = m.end()
    text = "\n".join(parts)
    textpage.close()
    page.close()
    return RawPage(index + 1, text, lines, width, height, not text_is_usable(text, min_chars))


def capped_dpi(width_pt: float, height_pt: float, dpi: float, max_pixels: int) -> float:
    """The requested DPI, lowered so that the bitmap of a huge page stays under `max_pixels`."""
    pixels = (width_pt * dpi / 72) * (height_pt * dpi / 72)
    if pixels <= max_pixels:
        return dpi
    return max(1.0, dpi * math.sqrt(max_pixels / pixels))


def render_page(source: str | bytes, index: int, dpi: float, max_pixels: int, *, mode: str = "RGB"
                ) -> tuple[Image, float]:
    """One page as a PIL image in `mode` ("L" renders in greyscale) and the DPI used (lowered for a huge page).
    The image is converted before the document closes, so it owns its pixels."""
    doc = pdfium.PdfDocument(source)
    try:
        page = doc[index]
        dpi = capped_dpi(*page.get_size(), dpi, max_pixels)
        return page.render(scale=dpi / 72, grayscale=mode == "L").to_pil().convert(mode), dpi
    finally:
        doc.close()


def render_pages(source: str | bytes, dpi: float, *, mode: str = "RGB") -> Iterator[Image]:
    """Every page of a PDF as a PIL image in `mode`, in order."""
    doc = pdfium.PdfDocument(source)
    try:
        for page in doc:
            yield page.render(scale=dpi / 72, grayscale=mode == "L").to_pil().convert(mode)
    finally:
        doc.close()


class NativePdfParser:
    """DocumentParser over the PDF's text layer (what the pipeline runs first on every page)."""

    name = "pdf-natif"

    def __init__(self, min_chars: int = 25) -> None:
        self.min_chars = min_chars

    def parse(self, pdf_path: str) -> list[ParsedPage]:
        doc = open_pdf(pdf_path)
        try:
            raws = [extract_page(doc, i, self.min_chars) for i in range(len(doc))]
        finally:
            doc.close()
        return [ParsedPage(r.number, r.text, r.lines, r.width, r.height) for r in raws]


def page_sizes(pdf_path: str) -> list[tuple[float, float]]:
    """(width, height) in points of every page; UnsupportedDocument when the file cannot be opened."""
    doc = open_pdf(pdf_path)
    try:
        return [tuple(doc[i].get_size()) for i in range(len(doc))]  # type: ignore[misc]
    finally:
        doc.close()


class FakeParser:
    """DocumentParser for unit tests: the pages given per path, one line per text line, lines spread from the top
    margin to the bottom one (the last line of a page sits at its foot)."""

    name = "fake"

    def __init__(self, pages_by_path: dict[str, list[str]], width: float = 595.0, height: float = 842.0) -> None:
        self.pages_by_path, self.width, self.height = pages_by_path, width, height

    def parse(self, pdf_path: str) -> list[ParsedPage]:
        if pdf_path not in self.pages_by_path:
            raise UnsupportedDocument("PDF corrompu ou tronqué : il ne peut pas être ouvert.", code="pdf_corrompu")
        pages = []
        for number, text in enumerate(self.pages_by_path[pdf_path], start=1):
            lines, offset = [], 0
            rows = text.split("\n")
            step = (self.height - 130.0) / max(1, len(rows) - 1)
            for i, line in enumerate(rows):
                top = 60.0 + step * i
                lines.append(Line(start=offset, end=offset + len(line),
                                  bbox=BBox(x0=56.0, y0=top, x1=56.0 + 5.0 * len(line), y1=top + 10.0)))
                offset += len(line) + 1
            pages.append(ParsedPage(number, text, lines, self.width, self.height))
        return pages
