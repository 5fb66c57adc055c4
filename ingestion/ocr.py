"""The one module that runs tesseract: French OCR of a PDF page (text, per-line boxes in PDF points, mean
confidence), sparse words of a band (boxed cote stamps) and the installed languages (doctor)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import UpstreamUnavailable
from core.models import BBox, Line
from core.protocols import ParsedPage
from ingestion.pdf import page_sizes, render_page
from ingestion.safety import Limits, run_bounded

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage


@dataclass
class OcrResult:
    text: str
    lines: list[Line]
    confidence: float | None
    dpi: float = 300.0


def tesseract_available() -> str | None:
    return shutil.which("tesseract")


def tesseract_languages() -> list[str]:
    """Languages tesseract can read (empty when it is not installed)."""
    if not tesseract_available():
        return []
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60).stdout
    return [line.strip() for line in out.splitlines()[1:] if line.strip()]  # the first line is a title


def sparse_words(image: PILImage) -> str:
    """Words scattered on an image (page segmentation 11: no layout), one line each: a stamp alone in a band."""
    with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
        image.save(tmp.name)
        proc = subprocess.run(["tesseract", tmp.name, "stdout", "--psm", "11"], capture_output=True, text=True,
                              timeout=60, env={"OMP_THREAD_LIMIT": "1", "PATH": os.environ["PATH"]})
    return proc.stdout


def render_gray(pdf_path: str, index: int, dpi: float, max_pixels: int = 40_000_000) -> tuple[bytes, float]:
    """Greyscale PGM bytes of one page (PGM: no PNG compression cost, tesseract reads it) and the DPI used."""
    image, dpi = render_page(pdf_path, index, dpi, max_pixels, mode="L")
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


class OcrPdfParser:
    """DocumentParser that reads every page's image with tesseract (what the pipeline runs on scanned pages)."""

    name = "ocr-tesseract"

    def __init__(self, language: str = "fra", dpi: int = 300, limits: Limits | None = None) -> None:
        self.language, self.dpi, self.limits = language, dpi, limits

    def parse(self, pdf_path: str) -> list[ParsedPage]:
        pages = []
        for index, (width, height) in enumerate(page_sizes(pdf_path)):
            result = ocr_page(pdf_path, index, self.language, self.dpi, limits=self.limits)
            pages.append(ParsedPage(index + 1, result.text, result.lines, width, height, result.confidence))
        return pages
