"""A document's pages: its bytes as a PDF (converted when it is not one), the PDF checked, each page's text layer
or its OCR, and the warnings a reader of those pages needs (active content, huge, blank, low-confidence pages).
Shared by the one-process pipeline (`read_pdf`) and the staged tasks (page by page)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from core.errors import UnsupportedDocument
from core.models import Page, SourceDocument
from core.settings import IngestionSettings
from ingestion import convert
from ingestion.detect import IMAGES, OFFICE_TEXT
from ingestion.ocr import OcrResult, ocr_page
from ingestion.pdf import extract_page, open_pdf
from ingestion.reports import Progress
from ingestion.safety import Deadline, Limits, check_pdf_streams, check_zip, ensure_free_space

TEXTUAL = {"txt", "html", "eml", "csv", "xlsx"}
ZIPPED = {"docx", "odt", "xlsx"}


def converter_limits(cfg: IngestionSettings) -> Limits:
    return Limits(cfg.converter_timeout_s, cfg.converter_memory_mb, cfg.converter_cpu_s)


def to_pdf(original: Path, kind: str, sha: str, converted: Path, cfg: IngestionSettings) -> Path:
    """The PDF of a file: itself, or its conversion in `converted` (named by the original's hash, kept)."""
    if kind in ZIPPED:
        check_zip(original, cfg.max_unzipped_mb, cfg.max_zip_ratio)
    if kind == "pdf":
        return original
    target = converted / f"{sha}.pdf"
    if target.exists():
        return target
    ensure_free_space(converted, original.stat().st_size * 4, cfg.min_free_mb)
    if kind in OFFICE_TEXT:
        produced = convert.office_to_pdf(original, converted, cfg.libreoffice, kind, converter_limits(cfg))
        return produced.replace(target)
    if kind in IMAGES:
        return convert.image_to_pdf(original, target, cfg.max_image_pixels, cfg.max_pages)
    if kind in TEXTUAL:
        text = convert.text_of(original, kind, cfg.max_text_chars)
        if not text.strip():
            raise UnsupportedDocument("Document texte vide.", code="fichier_vide")
        return convert.text_to_pdf(text, target)
    raise UnsupportedDocument("Type de fichier non pris en charge.", code="type_non_pris_en_charge")


def check_pdf(pdf_path: Path, cfg: IngestionSettings) -> list[str]:
    """Streams within limits (before the PDF engine sees the file); the warning about active content, if any."""
    check_pdf_streams(pdf_path, cfg.max_pdf_stream_mb, cfg.max_image_pixels)
    raw = pdf_path.read_bytes()
    if b"/JavaScript" in raw or b"/EmbeddedFile" in raw:
        return ["Le PDF contient du JavaScript ou des pièces jointes : ignorés, jamais exécutés."]
    return []


def check_page_count(count: int, cfg: IngestionSettings) -> None:
    if count > cfg.max_pages:
        raise UnsupportedDocument(f"Trop de pages ({count} > {cfg.max_pages}).", code="trop_de_pages")


def render_pixels(page: Page, cfg: IngestionSettings) -> int:
    """The largest bitmap rendered to OCR this page (a huge page gets a lower resolution)."""
    pixels = cfg.max_render_pixels
    if max(page.width, page.height) > cfg.max_page_points:
        pixels = min(pixels, 10_000_000)
    return pixels


def apply_ocr(page: Page, res: OcrResult) -> bool:
    """The OCR text replaces the page's (missing) text layer when it read something."""
    if not res.text.strip():
        return False
    page.text, page.lines, page.ocr, page.ocr_confidence = res.text, res.lines, True, res.confidence
    return True


def huge_pages_warning(pages: list[Page], cfg: IngestionSettings) -> str | None:
    huge = [p.number for p in pages if max(p.width, p.height) > cfg.max_page_points]
    if not huge:
        return None
    return (f"Pages de très grand format ({', '.join(map(str, huge[:10]))}) : lues à résolution réduite (au-delà "
            f"de {cfg.max_page_points:.0f} points, réglage ingestion.max_page_points).")


def read_warnings(pages: list[Page]) -> list[str]:
    """Blank pages kept, pages read by an unsure OCR."""
    out = []
    blanks = [p.number for p in pages if p.blank]
    if blanks:
        out.append(f"Pages blanches conservées : {', '.join(map(str, blanks))}.")
    low = [p.number for p in pages if p.ocr and (p.ocr_confidence or 0) < 0.6]
    if low:
        out.append(f"OCR de faible confiance pages {', '.join(map(str, low))} : vérifier la lecture.")
    return out


def read_pdf(doc: SourceDocument, pdf_path: Path, cfg: IngestionSettings, progress: Progress | None = None,
             deadline: Deadline | None = None) -> list[Page]:
    """Every page of a document in one process: text layer, OCR of the pages without one (in parallel)."""
    deadline = deadline or Deadline(cfg.file_time_budget_s)
    doc.warnings += check_pdf(pdf_path, cfg)
    pdf = open_pdf(str(pdf_path))
    try:
        count = len(pdf)
        check_page_count(count, cfg)
        raws = []
        for i in range(count):
            raws.append(extract_page(pdf, i, cfg.min_text_chars))
            if i % 50 == 49:
                deadline.check(f"lecture de la page {i + 1}")
    finally:
        pdf.close()
    doc.page_count = count
    pages = [Page(document_id=doc.id, number=r.number, text=r.text, lines=r.lines, width=r.width,
                  height=r.height) for r in raws]
    huge = huge_pages_warning(pages, cfg)
    if huge:
        doc.warnings.append(huge)
    to_ocr = [r.number for r in raws if r.needs_ocr]
    if to_ocr:
        limits = Limits(min(cfg.converter_timeout_s, deadline.remaining()), cfg.converter_memory_mb,
                        cfg.converter_cpu_s)

        def one(n: int) -> tuple[int, OcrResult]:
            deadline.check(f"OCR de la page {n}")
            return n, ocr_page(str(pdf_path), n - 1, cfg.ocr_language, cfg.ocr_dpi, render_pixels(pages[n - 1], cfg),
                               limits)

        with ThreadPoolExecutor(max(1, cfg.ocr_jobs)) as pool:
            for n, res in pool.map(one, to_ocr):
                apply_ocr(pages[n - 1], res)
                if progress:
                    progress("ocr_page", {"file": doc.filename, "page": n})
    for page in pages:
        page.blank = not page.text.strip()
    doc.warnings += read_warnings(pages)
    return pages
