"""What a second process does in the concurrency contracts (a light module: the spawned child imports only it)."""
from __future__ import annotations

from api.audit import AuditLog
from api.jobs import JobStore
from core.errors import Conflict
from orientation.decisions import DecisionStore

KEY = "clé d'essai"


def jobs_decisions_audit(location, uploads, checkpoints, worker: int, job_ids: list[str], rounds: int, queue) -> None:
    """Claim every job, add progress to each, try to decide the 'race' proposal, append audit entries."""
    out: dict = {"claimed": [], "decided": False}
    jobs = JobStore(location, uploads)
    for job_id in job_ids:
        if jobs.claim(job_id):
            out["claimed"].append(job_id)
        for _ in range(rounds):
            jobs.add_progress(job_id, {"pages": 1}, [{"worker": worker}])
    jobs.close()
    decisions = DecisionStore(location)
    try:
        decisions.decide("race", "accept", f"magistrat{worker}")
        out["decided"] = True
    except Conflict:
        pass
    decisions.close()
    log = AuditLog(location, KEY, checkpoints)
    for i in range(rounds):
        log.record(f"w{worker}", "lecture", "R-1", i=i)
    log.close()
    queue.put(out)
