"""What `doctor` checks and `doctor --repair` fixes, and the explicit re-index: the catalog and the vector store
brought back into agreement after a crash, a cut-short replacement, or a change of embedding model."""
from __future__ import annotations

from pathlib import Path

from core.models import DocumentStatus
from core.protocols import SearchFilter
from ingestion.dense import DenseStage
from ingestion.reports import Progress


class Doctor(DenseStage):
    """The Ingestor's repairs (a mixin of `ingestion.pipeline.Ingestor`, which provides these attributes)."""

    originals: Path
    converted: Path

    def reindex(self, progress: Progress | None = None) -> dict:
        """Explicit re-index with the configured embedder: drop the collection, put every stored chunk back with
        its BM25 vector (every dossier searchable in full text within minutes), then embed them all; if that
        stops, `doctor --repair` or the next ingestion finishes it."""
        self.store.drop()
        self.store.ensure_collection(self.embedder.name, self.embedder.dimension)
        total = 0
        dossiers = self.catalog.dossiers()
        for dossier in dossiers:
            for doc in self.catalog.documents(dossier.id):
                if doc.status != DocumentStatus.stored:
                    continue
                points = self._sparse_points(self.catalog.chunks(doc.id))
                self.store.upsert(points)
                total += len(points)
                if progress:
                    progress("document", {"file": doc.filename, "chunks": len(points)})
        for dossier in dossiers:
            self.embed_pending(dossier.id, None, progress)
        return {"embedding_model": self.embedder.name, "chunks": total}

    def verify(self, dossier_id: str) -> dict:
        """Catalog and store agree: every stored document's chunks are in the store, nothing else is."""
        expected = {c.id for c in self.catalog.dossier_chunks(dossier_id)}
        actual = self.store.chunk_ids(SearchFilter(dossier_id=dossier_id))
        return {"expected": len(expected), "actual": len(actual), "missing": sorted(expected - actual)[:10],
                "extra": sorted(actual - expected)[:10]}

    def repair(self, fix: bool) -> list[dict]:
        """What `doctor` reports and `doctor --repair` fixes: interrupted documents, catalog/store disagreement,
        a replacement cut short by a crash, leftover temporary copies. Each finding is a French line."""
        findings: list[dict] = []

        def note(what: str, done: str) -> None:
            findings.append({"probleme": what, "correction": done if fix else "à corriger : doctor --repair"})

        for folder in (self.originals, self.converted):
            leftovers = [p for p in folder.glob(".*.tmp")]
            if leftovers:
                note(f"{len(leftovers)} copie(s) temporaire(s) abandonnée(s) dans {folder.name}/", "supprimées")
                if fix:
                    for p in leftovers:
                        p.unlink(missing_ok=True)
        interrupted = (DocumentStatus.received, DocumentStatus.parsed, DocumentStatus.chunked, DocumentStatus.embedded)
        for dossier in self.catalog.dossiers():
            docs = self.catalog.documents(dossier.id)
            replaced_by = {d.replaced_by for d in docs if d.replaced_by}
            for d in docs:
                if d.status not in interrupted:
                    continue
                if d.id in replaced_by and d.status == DocumentStatus.embedded:
                    note(f"{dossier.id} : remplacement de {d.cote} interrompu (« {d.filename} »)",
                         "nouvelle version rendue courante")
                    if fix:
                        self.store.upsert(self._embed(self.catalog.chunks(d.id)))
                        d.status = DocumentStatus.stored
                        self.catalog.save_document(d)
                    continue
                note(f"{dossier.id} : ingestion interrompue de « {d.filename} » (étape {d.status.value})",
                     "marqué en échec ; relancez l'envoi de ce fichier")
                if fix:
                    self.store.delete_document(dossier.id, d.id)
                    d.status, d.error_code = DocumentStatus.failed, "ingestion_interrompue"
                    d.error = "Ingestion interrompue (arrêt du programme) : relancez l'envoi de ce fichier."
                    self.catalog.save_document(d)
            waiting = self.store.count(SearchFilter(dossier_id=dossier.id, embedded=False))
            if waiting:
                note(f"{dossier.id} : {waiting} extrait(s) en attente d'indexation sémantique (recherche plein texte "
                     "seulement)", "indexation sémantique terminée")
                if fix:
                    self.embed_pending(dossier.id)
            check = self.verify(dossier.id)
            if check["missing"] or check["extra"]:
                expected = {c.id for c in self.catalog.dossier_chunks(dossier.id)}
                actual = self.store.chunk_ids(SearchFilter(dossier_id=dossier.id))
                missing, extra = expected - actual, actual - expected
                note(f"{dossier.id} : catalogue et base vectorielle en désaccord ({len(missing)} extrait(s) "
                     f"manquant(s), {len(extra)} en trop)", "extraits manquants réindexés, extraits en trop retirés")
                if fix:
                    for doc_id in sorted({c.rsplit("-p", 1)[0] for c in extra}):
                        if not any(c.startswith(doc_id + "-p") for c in expected):
                            self.store.delete_document(dossier.id, doc_id)
                    for doc_id in sorted({c.rsplit("-p", 1)[0] for c in missing}):
                        self.store.upsert(self._embed(self.catalog.chunks(doc_id)))
        return findings
