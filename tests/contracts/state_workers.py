"""What a second process does in the concurrency contracts (a light module: the spawned child imports only it)."""
from __future__ import annotations

from api.audit import AuditLog
from api.jobs import JobStore
from core.errors import Conflict
from orientation.decisions import DecisionStore

KEY = "clé d'essai"


def jobs_decisions_audit(location, uploads, checkpoints, worker: int, job_ids: list[str], rounds: int, queue,
                         barrier) -> None:
    """Claim every job, add progress to each, try to decide the 'race' proposal, append audit entries; each step
    starts at the same moment in both processes (barrier), so that they really overlap."""
    out: dict = {"claimed": [], "decided": False}
    jobs = JobStore(location, uploads)
    decisions = DecisionStore(location)
    log = AuditLog(location, KEY, checkpoints)
    barrier.wait()
    for job_id in job_ids:
        if jobs.claim(job_id):
            out["claimed"].append(job_id)
        for _ in range(rounds):
            jobs.add_progress(job_id, {"pages": 1}, [{"worker": worker}])
    jobs.close()
    barrier.wait()
    try:
        decisions.decide("race", "accept", f"magistrat{worker}")
        out["decided"] = True
    except Conflict:
        pass
    decisions.close()
    barrier.wait()
    for i in range(rounds):
        log.record(f"w{worker}", "lecture", "R-1", i=i)
    log.close()
    queue.put(out)


def catalog_writer(location, worker: int, n: int, barrier) -> None:
    """Create the same dossier and n documents with pages and chunks, starting with the other process."""
    from core.models import BBox, CaseFile, Chunk, DocumentStatus, Page, SourceDocument
    from ingestion.catalog import Catalog

    dossier = "tjparis~A-1"
    cat = Catalog(location)
    barrier.wait()
    try:
        cat.upsert_dossier(CaseFile(id=dossier, title=f"écrit par {worker}"))
        for i in range(n):
            doc = f"w{worker}-{i}"
            cat.save_document(SourceDocument(id=doc, dossier_id=dossier, cote=f"D{i}", sha256="s" + doc,
                                             filename=f"{doc}.pdf", status=DocumentStatus.stored))
            cat.save_pages([Page(document_id=doc, number=p, text=f"page {p}") for p in (1, 2)])
            cat.save_chunks(doc, [Chunk(id=f"{doc}:{k}", dossier_id=dossier, document_id=doc, cote=f"D{i}", page=1,
                                        text="passage", char_start=0, char_end=7, bboxes=[BBox(x0=0, y0=0, x1=1, y1=1)])
                                  for k in (0, 1)])
    finally:
        cat.close()
