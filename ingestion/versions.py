"""A new file whose cote is already a piece of the dossier: what `on_conflict` decides (ask, cancel, replace,
version) and, once the new version is in the store, what becomes of the old ones."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from core.errors import UnsupportedDocument
from core.models import DocumentStatus, SourceDocument
from core.protocols import BlobStore, VectorStore
from core.settings import Settings
from ingestion.catalog import Catalog
from ingestion.cotes import cote_from_filename, read_manifest
from ingestion.reports import Cancelled, DocReport, OnConflict
from ingestion.safety import collect, fingerprint


class Versions:
    """The Ingestor's conflicts of cotes (a mixin of `ingestion.pipeline.Ingestor`, which provides these
    attributes)."""

    settings: Settings
    catalog: Catalog
    store: VectorStore
    blobs: BlobStore

    def conflicts(self, paths: Iterable[Path], dossier_id: str) -> list[dict]:
        """Files whose cote (manifest or file name) is already a stored piece of the dossier with other bytes:
        what `on_conflict=ask` asks about. Cotes read from page stamps are only known after parsing."""
        if self.catalog.find_dossier(dossier_id) is None:
            return []
        current = {d.cote: d for d in self.catalog.current_documents(dossier_id) if d.cote}
        candidates = [c for c in collect(paths) if c.error is None]
        manifests = {folder: read_manifest(folder) for folder in {c.path.parent for c in candidates}}
        out = []
        for c in candidates:
            entry = manifests.get(c.path.parent, {}).get(c.path.name)
            cote = entry[0] if entry else cote_from_filename(c.name)
            old = current.get(cote) if cote else None
            if old is None:
                continue
            sha = fingerprint(c.path)[0]
            if old.sha256 != sha:
                out.append({"file": c.name, "cote": cote, "existing": {
                    "document_id": old.id, "filename": old.filename, "version": old.version}})
        return out

    def _check_conflict(self, doc: SourceDocument, mode: OnConflict, run_cotes: dict[str, str],
                        early: bool) -> list[SourceDocument]:
        """The stored pieces this new document would conflict with (same cote, other bytes), after applying the
        choice: `ask` refuses the file, `cancel` skips it, `replace`/`version` go on."""
        if not doc.cote:
            return []
        if doc.cote in run_cotes:
            raise UnsupportedDocument(f"La cote {doc.cote} est déjà portée par « {run_cotes[doc.cote]} » dans ce même "
                                      "envoi : fichier non enregistré (indiquez sa cote dans un manifeste ou "
                                      "renommez-le).", code="cote_en_double")
        previous = [d for d in self.catalog.current_documents(doc.dossier_id)
                    if d.cote == doc.cote and d.id != doc.id]
        if not previous:
            return []
        names = ", ".join(f"« {d.filename} » (version {d.version})" for d in previous)
        if mode == "ask":
            raise UnsupportedDocument(f"La cote {doc.cote} existe déjà dans ce dossier : {names}. Rien n'a été "
                                      "remplacé ; choisissez : remplacer, garder les deux versions ou annuler "
                                      "(--on-conflict replace|version|cancel).", code="cote_en_conflit")
        if mode == "cancel":
            raise Cancelled(DocReport(file=doc.filename, cote=doc.cote, status="cancelled",
                                      warnings=[f"Envoi annulé pour ce fichier : la cote {doc.cote} existe déjà "
                                                f"({names}), la version en place est conservée."]))
        doc.version = max(d.version for d in self.catalog.versions(doc.dossier_id, doc.cote)) + 1
        return previous

    def _settle_versions(self, doc: SourceDocument, previous: list[SourceDocument], mode: OnConflict) -> None:
        """After the new version is in the store: `replace` takes the old ones out of search (kept retrievable,
        originals kept or deleted per `ingestion.replaced_originals`); `version` keeps both searchable."""
        for other in previous:
            if mode == "version":
                doc.warnings.append(f"Nouvelle version {doc.version} de {doc.cote} ; la version {other.version} "
                                    f"(« {other.filename} ») reste consultable et interrogeable.")
                continue
            self.store.delete_document(doc.dossier_id, other.id)
            other.status, other.replaced_by = DocumentStatus.replaced, doc.id
            self.catalog.save_document(other)
            kept = "conservé"
            if self.settings.ingestion.replaced_originals == "delete" and not self.catalog.sha_in_use(other.sha256):
                self.blobs.delete(other.sha256)
                kept = "supprimé (réglage ingestion.replaced_originals)"
            doc.warnings.append(f"Remplace la version précédente de {doc.cote} ({other.sha256[:8]}, version "
                                f"{other.version}, original {kept}) : elle reste consultable, elle n'est plus "
                                "interrogée.")
