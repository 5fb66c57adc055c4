"""Queued ingestion wired for one process: the server (enqueues; runs the in-process worker of the embedded
default, or the indexing of the embedded store it owns) or an `assistant-parquet worker` process."""
from __future__ import annotations

from typing import Literal

from core.errors import AppError
from core.settings import Settings


def ledger_location(settings: Settings):
    """The tasks live with the jobs: the same state database (state.url, PostgreSQL) or SQLite file."""
    from storage.locations import location

    return location(settings, "jobs")


class StoreOwnedElsewhere:
    """Stands in for the embedded vector store in a worker: only the server that owns it may open it."""

    def __getattr__(self, name: str):
        raise AppError("La base vectorielle embarquée appartient au serveur : un worker n'y écrit jamais "
                       "(l'indexation passe par la file « index »).", code="base_vectorielle_du_serveur")

    def close(self) -> None:
        return None


def worker_queues(settings: Settings, role: Literal["server", "worker"]) -> set[str]:
    """Which queues this process consumes."""
    from ingestion.workqueue import INDEX, INGEST

    cfg, edge = settings.queue, settings.vector_store.backend == "edge"
    if cfg.backend == "inprocess":
        return {INGEST, INDEX} if role == "server" else set()
    if role == "worker":
        return {INGEST}
    return ({INDEX} if edge else set()) | ({INGEST} if cfg.server_ingests else set())


class IngestionRuntime:
    def __init__(self, settings: Settings, services, jobs, audit, role: Literal["server", "worker"],
                 threads: int | None = None) -> None:
        from ingestion.staged import StagedIngestion
        from ingestion.workqueue import WorkQueue
        from storage.tasks import TaskLedger

        cfg = settings.queue
        if role == "worker" and cfg.backend != "redis":
            raise AppError("Les workers séparés demandent une file partagée : réglez queue.backend=redis et "
                           "queue.url (par défaut, le serveur traite lui-même les dépôts).", code="file_interne")
        edge = settings.vector_store.backend == "edge"
        self.settings, self.role = settings, role
        self.ledger = TaskLedger(ledger_location(settings), migrate=settings.state.migrate)
        self.queue = WorkQueue(cfg, self._handle, owner_indexes=edge and cfg.backend == "redis")
        owns_store = role == "server" or not edge
        self.stages = StagedIngestion(settings, services.catalog, services.ingestor, self.ledger, jobs, audit,
                                      self.queue.send, owns_store, services.blobs)
        self.queues = worker_queues(settings, role)
        if self.queues:
            self.queue.start_worker(self.queues, threads or cfg.worker_threads)

    def _handle(self, stage: str, payload: dict) -> None:
        self.stages.run(stage, payload)

    def start(self, job_id: str) -> None:
        self.stages.start(job_id)

    def resume(self, job_id: str) -> None:
        self.stages.resume(job_id)

    def progress(self, job_id: str) -> dict:
        return self.ledger.progress(job_id)

    def forget(self, job_id: str) -> None:
        self.ledger.forget_job(job_id)

    def close(self) -> None:
        self.queue.close()
        self.ledger.close()
