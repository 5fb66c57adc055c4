"""Domain models shared by every package: dossiers, documents, pages, chunks, citations."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class BBox(BaseModel):
    """A rectangle on a page in PDF points, origin top-left (x0, y0, x1, y1)."""

    x0: float
    y0: float
    x1: float
    y1: float


class Line(BaseModel):
    """One text line of a page with its offsets in the page text and its rectangle."""

    start: int
    end: int
    bbox: BBox


class CaseFile(BaseModel):
    """A dossier (procédure): the unit of isolation for every search and draft."""

    id: str
    juridiction: str = "TJ Paris"
    title: str = ""
    created: datetime = Field(default_factory=utcnow)


class DocumentStatus(StrEnum):
    received = "received"
    parsed = "parsed"
    chunked = "chunked"
    embedded = "embedded"
    stored = "stored"
    failed = "failed"
    replaced = "replaced"  # an older version of a cote: retrievable (pages, original) but no longer searched


class SourceDocument(BaseModel):
    """One piece of the dossier, identified by its bytes; cote such as D12 or None when unknown."""

    id: str
    dossier_id: str
    cote: str | None = None
    title: str = ""
    kind: str = "pdf"
    sha256: str
    filename: str
    page_count: int = 0
    status: DocumentStatus = DocumentStatus.received
    error_code: str | None = None
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)
    version: int = 1
    replaced_by: str | None = None


class Page(BaseModel):
    """A page exactly as the magistrate sees it; text offsets index into `text`."""

    document_id: str
    number: int = Field(ge=1)
    text: str
    ocr: bool = False
    ocr_confidence: float | None = None
    width: float = 595.0
    height: float = 842.0
    lines: list[Line] = Field(default_factory=list)
    header: str = ""
    footer: str = ""
    blank: bool = False
    cote: str | None = None
    cote_page: int | None = Field(None, description="Page number within its cote (from the stamp).")


class Chunk(BaseModel):
    """A passage of one page, never crossing a page boundary."""

    id: str
    dossier_id: str
    juridiction: str = ""
    document_id: str
    cote: str | None
    page: int = Field(description="Page number cited: the page within the cote when stamps say so.")
    pdf_page: int = Field(1, description="1-based page of the stored PDF (for rendering and highlights).")
    text: str
    char_start: int
    char_end: int
    bboxes: list[BBox] = Field(default_factory=list)
    ocr: bool = False
    kind: str = ""
    title: str = ""


CitationStyle = Literal["page", "slash"]

_STYLES = {"page": "{cote} p.{page}", "slash": "{cote}/{page}"}


class Citation(BaseModel):
    """Where a fact comes from: a cote and a page (and the chunk and quoted span when known)."""

    cote: str | None
    page: int
    chunk_id: str | None = None
    quote: str | None = None
    document_id: str | None = None

    def label(self, style: CitationStyle = "page") -> str:
        cote = self.cote or "cote inconnue"
        return _STYLES[style].format(cote=cote, page=self.page)

    def format(self, style: CitationStyle = "page") -> str:
        return f"({self.label(style)})"


def format_citations(citations: list[Citation], style: CitationStyle = "page") -> str:
    """"(D3 p.1 ; D4 p.2)": one parenthesis, duplicates removed, order kept."""
    seen: list[str] = []
    for c in citations:
        label = c.label(style)
        if label not in seen:
            seen.append(label)
    return f"({' ; '.join(seen)})" if seen else ""


_COTE_RE = re.compile(r"^([A-D])\s*0*(\d{1,4})$", re.IGNORECASE)


def normalize_cote(raw: str | None) -> str | None:
    """'d 012' -> 'D12'; anything that is not a cote -> None (never a guess)."""
    if not raw:
        return None
    m = _COTE_RE.match(raw.strip())
    if not m:
        return None
    return f"{m.group(1).upper()}{int(m.group(2))}"


def cote_sort_key(cote: str | None) -> tuple[str, int]:
    if not cote:
        return ("Z", 0)
    return (cote[0], int(cote[1:]))
