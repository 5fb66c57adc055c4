"""Documents and ingestion jobs: streamed upload (queued once every file is in), job state, the original file,
setting a cote."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from typing import Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from api.auth import TenantDep
from api.deps import JobsDep, RootDep
from api.schemas import CoteIn, JobAccepted
from api.shown import shown_document, shown_job
from core.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge

router = APIRouter()


def _upload_name(raw: str | None) -> str:
    """The file's own name without any folder part; '.', '..' and empty names are refused."""
    base = re.split(r"[/\\]", raw or "")[-1].strip()
    if base.strip(".") == "":
        raise InvalidInput(f"Nom de fichier invalide « {base} » : donnez un nom au fichier.", param="files",
                           code="nom_de_fichier_invalide")
    name = re.sub(r"[^\w.\- ]", "_", base)[:150].lstrip(".")
    return name or "fichier"


@router.post("/dossiers/{dossier_id}/documents", status_code=202, response_model=JobAccepted)
async def upload(dossier_id: str, request: Request, tenant: TenantDep, root: RootDep,
                 files: list[UploadFile] = File(...),
                 on_conflict: Literal["ask", "replace", "version", "cancel"] = Query("ask")):
    """Upload pieces; 202 `{"job", "files"}`, follow the job at `/api/jobs/{job}`. Files arrive streamed (the
    whole request is cut off with 413 past api.max_request_mb); the job is queued only once every file is
    received and valid, so a refused upload leaves nothing behind.

    `on_conflict` (query) says what to do with a file whose cote is already a stored piece of the dossier with
    other content:
    - `ask` (default): if any such file is found (cote from the manifest or the file name), answer **409** and
      change nothing (no job, no file kept), with the body
      `{"error": {"code": "cote_en_conflit", "message": "…", "param": "on_conflict"}, "request_id": "…",
      "conflicts": [{"file": "D1_pv.pdf", "cote": "D1", "existing": {"document_id": "…", "filename": "…",
      "version": 1}}]}`; the page then re-sends the same files with the user's choice. A conflict only visible
      from the page stamps (found while parsing) fails that file in the job report (`error_code`
      `cote_en_conflit`), the old version untouched.
    - `replace`: the new file becomes the current version (version n+1); the previous one is no longer searched
      but stays retrievable (its pages; its original per the `ingestion.replaced_originals` setting).
    - `version`: both stay current and searchable, the new one numbered n+1.
    - `cancel`: conflicting files are skipped (status `cancelled` in the job report), the others are ingested.
    Two files of one upload with the same cote: the second fails (`cote_en_double`).
    """
    tenant.require("upload")
    d = tenant.dossier(dossier_id)
    cfg = root.settings.api
    limit = int(cfg.max_upload_mb * 1e6)
    if len(files) > cfg.max_files:
        raise InvalidInput(f"Trop de fichiers en un envoi (au plus {cfg.max_files}).", param="files",
                           code="trop_de_fichiers")
    names = [_upload_name(f.filename) for f in files]
    jobs = root.jobs
    job_id = jobs.new_id()
    folder = jobs.folder(job_id)
    counts = Counter(names)
    try:
        for i, (f, name) in enumerate(zip(files, names, strict=True)):
            # Same-name files each get their own sub-folder: all are kept, each under its own name.
            target = folder / f"{i:04d}" / name if counts[name] > 1 else folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with open(target, "wb") as out:
                while chunk := await f.read(1 << 20):
                    written += len(chunk)
                    if written > limit:
                        raise PayloadTooLarge(f"« {name} » dépasse la taille maximale ({limit // 1_000_000} Mo).",
                                              param="files", code="fichier_trop_gros")
                    out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if on_conflict == "ask":
        conflicts = await run_in_threadpool(root.services.ingestor.conflicts, [folder], d.id)
        if conflicts:
            shutil.rmtree(folder, ignore_errors=True)
            cotes = ", ".join(sorted({c["cote"] for c in conflicts}))
            return Response(json.dumps({"error": {
                "code": "cote_en_conflit", "param": "on_conflict",
                "message": f"Pièces déjà présentes dans le dossier : {cotes}. Rien n'a été modifié ; choisissez de "
                           "remplacer, de garder les deux versions ou d'annuler."},
                "conflicts": conflicts, "request_id": getattr(request.state, "request_id", None)},
                ensure_ascii=False), status_code=409, media_type="application/json")
    jobs.create(d.id, tenant.juridiction, tenant.name, job_id=job_id, options={"on_conflict": on_conflict})
    await run_in_threadpool(jobs.submit, job_id, root.services, root.audit)  # files into the blob store, then queued
    tenant.audit("upload", d.id, job=job_id, files=[f.filename for f in files])
    return {"job": job_id, "files": len(files)}


@router.get("/jobs/{job_id}")
async def job(job_id: str, tenant: TenantDep):
    tenant.require("read")
    data = tenant.job(job_id)
    tenant.audit("job.read", data["dossier"], job=job_id, state=data["state"])
    return shown_job(data)


@router.post("/jobs/{job_id}/resume", status_code=202)
async def resume_job(job_id: str, tenant: TenantDep, jobs: JobsDep):
    """Go on with an interrupted or failed job where it stopped (any server replica; done work is kept)."""
    tenant.require("upload")
    data = tenant.job(job_id)
    if data["state"] in ("done", "done_with_errors"):
        raise Conflict("Cette analyse est terminée : rien à reprendre.", param="job", code="tache_terminee")
    await run_in_threadpool(jobs.resume, job_id)
    tenant.audit("job.resume", data["dossier"], job=job_id)
    return {"job": job_id, "state": "queued"}


@router.get("/dossiers/{dossier_id}/jobs")
async def dossier_jobs(dossier_id: str, tenant: TenantDep, jobs: JobsDep, limit: int = Query(10, ge=1, le=100)):
    """The dossier's latest ingestion jobs, newest first (the page shows failed files and running analyses)."""
    tenant.require("read")
    d = tenant.dossier(dossier_id)
    tenant.audit("job.list", d.id)
    return [shown_job(job) for job in jobs.for_dossier(d.id, limit)]


@router.get("/documents/{document_id}/original")
async def original(document_id: str, tenant: TenantDep, root: RootDep):
    """The original file, always as a download (never rendered by the browser), from the blob store (size and
    SHA-256 checked: a damaged file is refused in French, never sent)."""
    tenant.require("read")
    doc = tenant.document(document_id)
    blobs = root.services.blobs
    if blobs.info(doc.sha256) is None:
        raise NotFound("Fichier original introuvable.", param="document")
    path = await run_in_threadpool(blobs.local, doc.sha256)
    tenant.audit("document.original", doc.dossier_id, document=doc.id, cote=doc.cote)
    return FileResponse(path, filename=doc.filename, media_type="application/octet-stream",
                        content_disposition_type="attachment")


@router.patch("/documents/{document_id}")
async def set_document_cote(document_id: str, body: CoteIn, tenant: TenantDep, root: RootDep):
    """Set a missing cote or correct a wrong one (magistrat and greffier); audited with the previous value."""
    tenant.require("upload")
    doc = tenant.document(document_id)
    if root.jobs.active(doc.dossier_id):
        raise Conflict("Une analyse est en cours dans ce dossier : corrigez la cote à sa fin.", param="document",
                       code="ingestion_en_cours")
    from ingestion.recote import set_cote

    sv = root.services
    updated, previous = await run_in_threadpool(set_cote, sv.catalog, sv.store, sv.embedder, sv.sparse, doc.id,
                                                body.cote, sv.settings.embedding.batch_size)
    tenant.audit("document.cote", doc.dossier_id, document=doc.id, previous=previous, cote=updated.cote)
    return shown_document(updated)
