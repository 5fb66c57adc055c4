"""What an ingestion run says about each file (its report, its French error) and what it knows of a file before
parsing it (its document, its early cote). Shared by the one-process pipeline and the staged tasks."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from core.errors import AppError, UnsupportedDocument
from core.models import SourceDocument
from ingestion.cotes import cote_from_filename
from ingestion.safety import DiskFull, LimitExceeded, is_disk_full

OnConflict = Literal["ask", "replace", "version", "cancel"]
Progress = Callable[[str, dict], None]


@dataclass
class DocReport:
    file: str
    cote: str | None = None
    pages: int = 0
    ocr_pages: int = 0
    chunks: int = 0
    status: str = "stored"  # stored | unchanged | failed | cancelled
    error: str | None = None
    error_code: str | None = None
    warnings: list[str] = field(default_factory=list)
    document_id: str | None = None
    seconds: float = 0.0
    version: int = 1


@dataclass
class IngestReport:
    dossier: str
    documents: list[DocReport] = field(default_factory=list)
    embedding_error: str | None = None  # stage 2 stopped: the files are in, searchable by BM25 only

    @property
    def failed(self) -> list[DocReport]:
        return [d for d in self.documents if d.status == "failed"]

    def totals(self) -> dict:
        docs = self.documents
        return {"files": len(docs), "stored": sum(d.status in ("stored", "unchanged") for d in docs),
                "unchanged": sum(d.status == "unchanged" for d in docs), "failed": len(self.failed),
                "cancelled": sum(d.status == "cancelled" for d in docs),
                "pages": sum(d.pages for d in docs), "ocr_pages": sum(d.ocr_pages for d in docs),
                "chunks": sum(d.chunks for d in docs)}

    def to_dict(self) -> dict:
        return {"dossier": self.dossier, "documents": [asdict(d) for d in self.documents], "totals": self.totals(),
                "embedding_error": self.embedding_error}


WAITING = "Indexation sémantique en attente"


def waiting_note(reason: str) -> str:
    return (f"{WAITING} : {reason} La pièce est déjà interrogeable en recherche plein texte ; relancez l'envoi "
            "ou « assistant-parquet doctor --repair » pour terminer.")


@dataclass
class Identified:
    """A file recognised and checked, nothing written yet: its document (cote from the manifest or the file name),
    where that cote came from, and the size and date its fingerprint was taken at."""

    doc: SourceDocument
    cote_origin: str | None
    size: int
    mtime: int


def early_cote(name: str, manifest_entry: tuple[str, str] | None, sources: Iterable[str]) -> tuple[str | None, str | None]:
    """The cote known before parsing (manifest, else the file name when allowed) and where it came from."""
    if manifest_entry and manifest_entry[0]:
        return manifest_entry[0], "manifest"
    if "filename" in sources:
        cote = cote_from_filename(name)
        return cote, ("filename" if cote else None)
    return None, None


class Cancelled(Exception):
    """A file skipped by the `cancel` choice (its cote is already in the dossier): its report says so."""

    def __init__(self, report: DocReport) -> None:
        self.report = report


def file_error(exc: BaseException) -> AppError:
    """Any per-file exception as that file's French error (the run goes on)."""
    if isinstance(exc, AppError):
        return exc
    if is_disk_full(exc):
        return DiskFull("Disque plein pendant l'écriture : ce fichier n'a pas été enregistré (rien de partiel "
                        "n'est conservé) ; libérez de la place puis relancez.")
    if isinstance(exc, MemoryError):
        return LimitExceeded("Mémoire insuffisante pour traiter ce fichier : refusé.", code="memoire_insuffisante")
    if isinstance(exc, UnicodeError):
        return UnsupportedDocument("Encodage de caractères illisible dans ce fichier.", code="encodage_illisible")
    return AppError(f"Erreur inattendue pendant le traitement de ce fichier ({type(exc).__name__}) : fichier "
                    "non enregistré, les autres fichiers sont traités.", code="erreur_fichier")
