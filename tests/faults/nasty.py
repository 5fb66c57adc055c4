"""Builders of hostile files, each small on disk and huge (or endless) once read naively."""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 '2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                 'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'wordprocessingml.document.main+xml"/></Types>')


def docx_bomb(path: Path, inflated_mb: int = 400) -> Path:
    """A DOCX whose document.xml inflates to `inflated_mb` MB (a few hundred KB on disk)."""
    para = "<w:p><w:r><w:t>" + "Procès-verbal " * 64 + "</w:t></w:r></w:p>"
    block = (para * ((1 << 20) // len(para) + 1)).encode()[: 1 << 20]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                     b'wordprocessingml/2006/main"><w:body>')
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    return path


def xlsx_bomb(path: Path, inflated_mb: int = 400) -> Path:
    """An XLSX whose sheet inflates hugely."""
    row = b'<row><c t="inlineStr"><is><t>0600000000</t></is></c></row>'
    block = row * ((1 << 20) // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b"<worksheet><sheetData>")
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(b"</sheetData></worksheet>")
    return path


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_huge_page(path: Path, points: int = 20000) -> Path:
    """A ~600-byte PDF with one blank page of `points` × `points` (rendering it at 300 dpi needs 7 GB)."""
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                           b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points} {points}] >>".encode()]))
    return path


def pdf_stream_bomb(path: Path, inflated_mb: int = 400) -> Path:
    """A PDF whose single content stream inflates to `inflated_mb` MB (under 1 MB on disk)."""
    comp = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.compress(
        b"BT /F1 12 Tf 72 720 Td (Proces-verbal) Tj ET") + comp.flush()
    stream = f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                           b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                           b"/Resources << /Font << /F1 5 0 R >> >> >>",
                           stream,
                           b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]))
    return path


def png_huge(path: Path, side: int = 30000) -> Path:
    """A valid 1-bit PNG of side × side pixels (≈ 100 KB on disk, 900 Mpixels decoded)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    comp = zlib.compressobj(1)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def photo_board(path: Path, pages: int = 40, plate: str = "FK-325-PM") -> Path:
    """A photo board: every page the same template around a photo, the plate only in the caption."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i in range(1, pages + 1):
        c.setFont("Helvetica", 11)
        c.drawString(56, 800, "PLANCHE PHOTOGRAPHIQUE — PV n° 2026/00417")
        c.drawString(56, 780, f"Photographie n° {i}")
        c.rect(56, 300, 480, 440)
        c.drawString(56, 270, f"Véhicule immatriculé {plate}, scellé n° {100 + 7 * i % 13}")
        c.drawString(56, 40, f"Page {i}/{pages}")
        c.showPage()
    c.save()
    return path
