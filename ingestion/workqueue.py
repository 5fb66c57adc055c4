"""The work queue (Dramatiq): Redis broker for workers on any machine, or an in-process broker for the embedded
default. The only module that imports dramatiq; the stages know nothing of it."""
from __future__ import annotations

import logging
from collections.abc import Callable

from core.settings import QueueSettings

log = logging.getLogger(__name__)
INGEST, INDEX = "ingest", "index"
Handler = Callable[[str, dict], None]


class WorkQueue:
    """Two queues: `ingest` (reading, OCR, chunking, embedding: any worker) and `index` (writing the vector
    store, and closing the job: the store's owner when the store is embedded, any worker otherwise)."""

    def __init__(self, cfg: QueueSettings, handler: Handler, owner_indexes: bool) -> None:
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker
        from dramatiq.brokers.stub import StubBroker

        self.cfg, self.handler, self.owner_indexes = cfg, handler, owner_indexes
        if cfg.backend == "redis":
            self.broker: dramatiq.Broker = RedisBroker(url=cfg.url, namespace=cfg.namespace,
                                                       heartbeat_timeout=cfg.heartbeat_timeout_ms,
                                                       maintenance_chance=cfg.maintenance_chance)
        else:
            self.broker = StubBroker()
        options = {"max_retries": cfg.max_retries + 1, "min_backoff": cfg.min_backoff_ms,
                   "max_backoff": cfg.max_backoff_ms, "time_limit": int(cfg.task_time_limit_s * 1000)}
        self._actors = {name: dramatiq.Actor(self._run, broker=self.broker, actor_name=f"ingestion_{name}",
                                             queue_name=name, priority=0, options=dict(options))
                        for name in (INGEST, INDEX)}
        self._worker: dramatiq.Worker | None = None

    def _run(self, stage: str, payload: dict) -> None:
        self.handler(stage, payload)

    def queue_of(self, stage: str) -> str:
        return INDEX if stage in ("index", "dense", "finish") and self.owner_indexes else INGEST

    def send(self, stage: str, payload: dict) -> None:
        self._actors[self.queue_of(stage)].send(stage, payload)

    def start_worker(self, queues: set[str], threads: int) -> None:
        """Consume the given queues in this process (threads); returns at once."""
        import dramatiq

        self._worker = dramatiq.Worker(self.broker, queues=queues, worker_threads=threads)
        self._worker.start()

    def pending(self) -> int:
        """Messages waiting (broker-side), for tests and the health page."""
        from dramatiq.brokers.stub import StubBroker

        if isinstance(self.broker, StubBroker):
            return sum(q.qsize() for q in self.broker.queues.values())
        return sum(self.broker.do_qsize(name) for name in (INGEST, INDEX))  # type: ignore[attr-defined]

    def close(self, timeout_s: float = 30.0) -> None:
        if self._worker is not None:
            self._worker.stop(timeout=int(timeout_s * 1000))
            self._worker = None
        self.broker.close()
