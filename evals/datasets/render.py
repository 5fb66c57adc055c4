"""Render a piece (title + paragraphs) to PDF pages, optionally as noisy scans, tracking page text."""
from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from ingestion.pdf import render_pages

WIDTH, HEIGHT = A4
MARGIN = 56
FONT, FONT_SIZE, LEADING = "Helvetica", 10.5, 14


@dataclass
class Piece:
    """One procedure document: cote, title, running header, paragraphs; scanned or native."""

    cote: str | None
    title: str
    header: str
    paragraphs: list[str]
    filename: str
    scanned: bool = False
    stamp_cote: bool = True
    pages_text: list[str] = field(default_factory=list)

    def page_of(self, needle: str) -> int:
        """1-based page whose text holds `needle` (the generator's gold comes from here)."""
        flat = [" ".join(text.split()) for text in self.pages_text]
        joined = " ".join(flat)
        at = joined.find(" ".join(needle.split()))
        if at < 0:
            raise ValueError(f"{needle!r} not rendered in {self.filename}")
        end = 0
        for number, text in enumerate(flat, start=1):
            end += len(text) + 1
            if at < end:
                return number
        return len(flat)


def _layout(piece: Piece) -> list[list[tuple[str, bool]]]:
    pages: list[list[tuple[str, bool]]] = [[]]
    capacity = int((HEIGHT - 2 * MARGIN - 60) // LEADING)
    blocks = [(piece.title.upper(), True)] + [(p, False) for p in piece.paragraphs]
    for text, bold in blocks:
        lines = simpleSplit(text, "Helvetica-Bold" if bold else FONT, FONT_SIZE, WIDTH - 2 * MARGIN) or [""]
        for line in lines:
            if len(pages[-1]) >= capacity:
                pages.append([])
            pages[-1].append((line, bold))
        if len(pages[-1]) < capacity:
            pages[-1].append(("", False))
    return pages


def render_pdf(piece: Piece, rng: random.Random) -> bytes:
    """Native PDF of the piece; scanned pieces are rasterised, rotated and noised page by page."""
    pages = _layout(piece)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(piece.title)
    total = len(pages)
    piece.pages_text = []
    for number, lines in enumerate(pages, start=1):
        c.setFont(FONT, 8)
        c.drawString(MARGIN, HEIGHT - 30, piece.header)
        y = HEIGHT - MARGIN - 10
        for line, bold in lines:
            c.setFont("Helvetica-Bold" if bold else FONT, FONT_SIZE)
            c.drawString(MARGIN, y, line)
            y -= LEADING
        footer = f"Cote {piece.cote} — page {number}/{total}" if piece.cote and piece.stamp_cote else \
            f"Page {number}/{total}"
        c.setFont(FONT, 8)
        c.drawString(MARGIN, 28, footer)
        piece.pages_text.append("\n".join([piece.header] + [line for line, _ in lines] + [footer]))
        c.showPage()
    c.save()
    data = buf.getvalue()
    return scan(data, rng) if piece.scanned else data


def scan(pdf_bytes: bytes, rng: random.Random, dpi: int = 200) -> bytes:
    """Image-only copy of a PDF: greyscale, slight rotation, speckle noise, JPEG-compressed."""
    images = []
    for img in render_pages(pdf_bytes, dpi, mode="L"):
        img = img.rotate(rng.uniform(-1.0, 1.0), resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = Image.blend(img, Image.effect_noise(img.size, 40), 0.08)
        img = img.filter(ImageFilter.SMOOTH)
        images.append(img)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=55)
    return out.getvalue()
