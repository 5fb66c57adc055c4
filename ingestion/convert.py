"""Everything becomes a PDF first, so that every citation points at a real page."""
from __future__ import annotations

import email
import io
import os
import shutil
import tempfile
import warnings
from email import policy
from pathlib import Path

from PIL import Image, ImageSequence
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from core.errors import UnsupportedDocument, UpstreamUnavailable
from ingestion.safety import LimitExceeded, Limits, atomic_write, grouped, run_bounded


def office_to_pdf(src: Path, out_dir: Path, binary: str = "soffice", ext: str = "docx",
                  limits: Limits | None = None) -> Path:
    """DOCX/ODT/RTF/DOC -> PDF with headless LibreOffice (keeps the real page breaks), memory/CPU/time bounded."""
    exe = shutil.which(binary) or shutil.which("libreoffice")
    if not exe:
        raise UpstreamUnavailable("LibreOffice n'est pas installé : conversion des documents bureautiques impossible.",
                                  code="libreoffice_indisponible")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / f"input.{ext}"
        shutil.copy(src, work)
        proc = run_bounded([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                            "pdf", "--outdir", tmp, str(work)], limits or Limits(180, 2048, 300),
                           "Conversion LibreOffice", cwd=tmp)
        produced = Path(tmp) / (work.stem + ".pdf")
        if proc.returncode != 0 or not produced.exists():
            raise UnsupportedDocument("Le document bureautique n'a pas pu être converti en PDF (fichier corrompu ?).",
                                      code="conversion_echec")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f".{os.getpid()}-{src.stem}.pdf.tmp"  # renamed by the caller; a leftover is swept
        try:
            shutil.move(produced, target)
        except OSError:
            target.unlink(missing_ok=True)
            raise
        return target


def image_to_pdf(src: Path, target: Path, max_pixels: int = 120_000_000, max_frames: int = 5000) -> Path:
    """JPEG/PNG/TIFF (multi-page too) wrapped into an image-only PDF, OCR'd afterwards; sizes are checked from
    the header before any pixel is decoded."""
    limit = f"(limite {grouped(max_pixels)} pixels, réglage ingestion.max_image_pixels)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(src) as img:
                frames = []
                for i, frame in enumerate(ImageSequence.Iterator(img)):
                    if i >= max_frames:
                        raise LimitExceeded(f"Image de plus de {max_frames} pages (réglage ingestion.max_pages).")
                    w, h = frame.size
                    if w * h > max_pixels:
                        raise LimitExceeded(f"Image trop grande : {w} × {h} pixels {limit}.")
                    frames.append(frame.convert("L"))
    except Image.DecompressionBombError as exc:
        raise LimitExceeded(f"Image trop grande (bombe de décompression) {limit}.") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedDocument("Image illisible ou corrompue.", code="image_corrompue") from exc
    dpi = 300
    buf = io.BytesIO()
    frames[0].save(buf, format="PDF", save_all=True, append_images=frames[1:], resolution=dpi)
    return atomic_write(target, buf.getvalue())


def text_of(src: Path, kind: str, max_chars: int = 5_000_000) -> str:
    """Text of an e-mail, HTML page, plain text, CSV or XLSX table (unstructured for the prose formats); more
    than `max_chars` characters is refused (read stops there)."""
    text = _text_of(src, kind, max_chars)
    if len(text) > max_chars:
        raise LimitExceeded(f"Texte extrait trop long (plus de {grouped(max_chars)} caractères, réglage "
                            "ingestion.max_text_chars) : découpez le fichier.")
    return text


def _text_of(src: Path, kind: str, max_chars: int) -> str:
    from ingestion.unstructured_adapter import partition_text

    if kind == "eml":
        msg = email.message_from_bytes(src.read_bytes(), policy=policy.default)
        head = "\n".join(f"{k} : {msg[k]}" for k in ("From", "To", "Date", "Subject") if msg[k])
        body = msg.get_body(preferencelist=("plain", "html"))
        content = partition_text(text=body.get_content(), content_type=body.get_content_type()) if body else ""
        attachments = [a.get_filename() for a in msg.iter_attachments() if a.get_filename()]
        note = f"\n[Pièces jointes non analysées : {', '.join(attachments)}]" if attachments else ""
        return head + "\n\n" + content + note
    if kind == "csv":
        raw = src.read_bytes()
        text = raw.decode("utf-8", errors="replace") if raw[:3] != b"\xef\xbb\xbf" else raw[3:].decode("utf-8")
        return text.replace(";", " | ")
    if kind == "xlsx":
        from openpyxl import load_workbook

        with open(src, "rb") as fh:
            wb = load_workbook(io.BytesIO(fh.read()), read_only=True, data_only=True)
        out, size = [], 0
        for ws in wb.worksheets:
            out.append(f"Feuille : {ws.title}")
            for row in ws.iter_rows(values_only=True):
                line = " | ".join("" if v is None else str(v) for v in row)
                out.append(line)
                size += len(line) + 1
                if size > max_chars:
                    return "\n".join(out)
        return "\n".join(out)
    return partition_text(src, content_type={"html": "text/html"}.get(kind, "text/plain"))


def text_to_pdf(text: str, target: Path) -> Path:
    """Paginate plain text onto A4 pages (the page numbers cited are these pages)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    width, height = A4
    y = height - 56
    c.setFont("Helvetica", 10)
    for para in text.replace("\r\n", "\n").split("\n"):
        for line in simpleSplit(para, "Helvetica", 10, width - 112) or [""]:
            if y < 56:
                c.showPage()
                c.setFont("Helvetica", 10)
                y = height - 56
            c.drawString(56, y, line.encode("cp1252", errors="replace").decode("cp1252"))
            y -= 13
    c.save()
    return atomic_write(target, buf.getvalue())
