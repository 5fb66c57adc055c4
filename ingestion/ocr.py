"""French OCR of a PDF page with tesseract: text, per-line boxes in PDF points, mean confidence."""
from __future__ import annotations

import csv
import io
import math
import os
import shutil
import tempfile
from dataclasses import dataclass

import pypdfium2 as pdfium

from core.errors import UpstreamUnavailable
from core.models import BBox, Line
from ingestion.safety import Limits, run_bounded


@dataclass
class OcrResult:
    text: str
    lines: list[Line]
    confidence: float | None
    dpi: float = 300.0


def tesseract_available() -> str | None:
    return shutil.which("tesseract")


def capped_dpi(width_pt: float, height_pt: float, dpi: float, max_pixels: int) -> float:
    """The requested DPI, lowered so that the bitmap of a huge page stays under `max_pixels`."""
    pixels = (width_pt * dpi / 72) * (height_pt * dpi / 72)
    if pixels <= max_pixels:
        return dpi
    return max(1.0, dpi * math.sqrt(max_pixels / pixels))


def render_gray(pdf_path: str, index: int, dpi: float, max_pixels: int = 40_000_000) -> tuple[bytes, float]:
    """Greyscale PGM bytes of one page (PGM: no PNG compression cost, tesseract reads it) and the DPI used."""
    doc = pdfium.PdfDocument(pdf_path)
    try:
        page = doc[index]
        dpi = capped_dpi(*page.get_size(), dpi, max_pixels)
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="PPM")
    return buf.getvalue(), dpi


def ocr_page(pdf_path: str, index: int, language: str = "fra", dpi: int = 300, max_pixels: int = 40_000_000,
             limits: Limits | None = None) -> OcrResult:
    """OCR one page; boxes are converted from pixels back to PDF points so highlights match the page."""
    if not tesseract_available():
        raise UpstreamUnavailable("Tesseract n'est pas installé : les pages scannées ne peuvent pas être lues.",
                                  code="ocr_indisponible")
    image, used_dpi = render_gray(pdf_path, index, dpi, max_pixels)
    with tempfile.NamedTemporaryFile(suffix=".pgm") as tmp:
        tmp.write(image)
        tmp.flush()
        del image
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        proc = run_bounded(["tesseract", tmp.name, "stdout", "-l", language, "--psm", "3", "tsv"],
                           limits or Limits(300, 2048, 300), f"OCR de la page {index + 1}", env=env)
    if proc.returncode != 0:
        raise UpstreamUnavailable(f"Échec de l'OCR : {proc.stderr.decode(errors='ignore')[:200]}",
                                  code="ocr_echec")
    result = parse_tsv(proc.stdout.decode("utf-8", errors="replace"), 72.0 / used_dpi)
    result.dpi = used_dpi
    return result


def parse_tsv(tsv: str, scale: float) -> OcrResult:
    """Group tesseract TSV words into lines (block, paragraph, line) with their union box."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    grouped: dict[tuple[str, str, str], list[dict]] = {}
    for row in rows:
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        grouped.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    parts: list[str] = []
    lines: list[Line] = []
    confs: list[float] = []
    offset = 0
    for words in grouped.values():
        text = " ".join(w["text"].strip() for w in words)
        x0 = min(int(w["left"]) for w in words) * scale
        y0 = min(int(w["top"]) for w in words) * scale
        x1 = max(int(w["left"]) + int(w["width"]) for w in words) * scale
        y1 = max(int(w["top"]) + int(w["height"]) for w in words) * scale
        lines.append(Line(start=offset, end=offset + len(text), bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1)))
        parts.append(text)
        offset += len(text) + 1
        confs += [float(w["conf"]) for w in words if float(w["conf"]) >= 0]
    confidence = round(sum(confs) / len(confs) / 100, 3) if confs else None
    return OcrResult("\n".join(parts), lines, confidence)
