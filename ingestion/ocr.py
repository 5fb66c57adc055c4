"""French OCR of a PDF page with tesseract: text, per-line boxes in PDF points, mean confidence."""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

import pypdfium2 as pdfium

from core.errors import UpstreamUnavailable
from core.models import BBox, Line


@dataclass
class OcrResult:
    text: str
    lines: list[Line]
    confidence: float | None


def tesseract_available() -> str | None:
    return shutil.which("tesseract")


def render_gray(pdf_path: str, index: int, dpi: int) -> bytes:
    """Greyscale PGM bytes of one page (PGM: no PNG compression cost, tesseract reads it)."""
    doc = pdfium.PdfDocument(pdf_path)
    try:
        image = doc[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="PPM")
    return buf.getvalue()


def ocr_page(pdf_path: str, index: int, language: str = "fra", dpi: int = 300) -> OcrResult:
    """OCR one page; boxes are converted from pixels back to PDF points so highlights match the page."""
    if not tesseract_available():
        raise UpstreamUnavailable("Tesseract n'est pas installé : les pages scannées ne peuvent pas être lues.",
                                  code="ocr_indisponible")
    image = render_gray(pdf_path, index, dpi)
    with tempfile.NamedTemporaryFile(suffix=".pgm") as tmp:
        tmp.write(image)
        tmp.flush()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        proc = subprocess.run(["tesseract", tmp.name, "stdout", "-l", language, "--psm", "3", "tsv"],
                              capture_output=True, env=env, timeout=300, check=False)
    if proc.returncode != 0:
        raise UpstreamUnavailable(f"Échec de l'OCR : {proc.stderr.decode(errors='ignore')[:200]}",
                                  code="ocr_echec")
    return parse_tsv(proc.stdout.decode("utf-8", errors="replace"), 72.0 / dpi)


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
