"""Real file type from magic bytes, never from the extension."""
from __future__ import annotations

import zipfile
from pathlib import Path

OFFICE_TEXT = {"docx", "odt", "rtf", "doc"}
IMAGES = {"png", "jpeg", "tiff"}


def sniff(path: Path) -> str:
    """Return pdf, docx, odt, rtf, doc, png, jpeg, tiff, eml, html, txt, csv, xlsx, empty or unknown."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head:
        return "empty"
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    return _text_kind(head)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype").decode("ascii", "ignore")
                if "opendocument.text" in mime:
                    return "odt"
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except zipfile.BadZipFile:
        return "unknown"
    return "unknown"


def _text_kind(head: bytes) -> str:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return "unknown"
    if sum(1 for c in text if c.isprintable() or c in "\r\n\t") < 0.95 * len(text):
        return "unknown"
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return "html"
    first = text.split("\n", 1)[0]
    if any(first.startswith(h) for h in ("From:", "Received:", "Return-Path:", "MIME-Version:", "Subject:",
                                         "Message-ID:", "Date:")):
        return "eml"
    if first.count(";") >= 2 or first.count(",") >= 2 and "\n" in text:
        return "csv"
    return "txt"
