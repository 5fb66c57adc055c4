"""Everything becomes a PDF first, so that every citation points at a real page."""
from __future__ import annotations

import email
import io
import os
import shutil
import subprocess
import tempfile
from email import policy
from pathlib import Path

from PIL import Image, ImageSequence
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from core.errors import UnsupportedDocument, UpstreamUnavailable


def office_to_pdf(src: Path, out_dir: Path, binary: str = "soffice", ext: str = "docx") -> Path:
    """DOCX/ODT/RTF/DOC -> PDF with headless LibreOffice (keeps the real page breaks)."""
    exe = shutil.which(binary) or shutil.which("libreoffice")
    if not exe:
        raise UpstreamUnavailable("LibreOffice n'est pas installé : conversion des documents bureautiques impossible.",
                                  code="libreoffice_indisponible")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / f"input.{ext}"
        shutil.copy(src, work)
        proc = subprocess.run([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                               "pdf", "--outdir", tmp, str(work)], capture_output=True, timeout=180, check=False)
        produced = Path(tmp) / (work.stem + ".pdf")
        if proc.returncode != 0 or not produced.exists():
            raise UnsupportedDocument("Le document bureautique n'a pas pu être converti en PDF (fichier corrompu ?).",
                                      code="conversion_echec")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{os.getpid()}-{src.stem}.pdf"
        shutil.move(produced, target)
        return target


def image_to_pdf(src: Path, target: Path) -> Path:
    """JPEG/PNG/TIFF (multi-page too) wrapped into an image-only PDF, OCR'd afterwards."""
    try:
        with Image.open(src) as img:
            frames = [f.convert("L") for f in ImageSequence.Iterator(img)]
    except OSError as exc:
        raise UnsupportedDocument("Image illisible ou corrompue.", code="image_corrompue") from exc
    dpi = 300
    frames[0].save(target, format="PDF", save_all=True, append_images=frames[1:], resolution=dpi)
    return target


def text_of(src: Path, kind: str) -> str:
    """Text of an e-mail, HTML page, plain text, CSV or XLSX table (unstructured for the prose formats)."""
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
        out = []
        for ws in wb.worksheets:
            out.append(f"Feuille : {ws.title}")
            out += [" | ".join("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True)]
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
    target.write_bytes(buf.getvalue())
    return target
