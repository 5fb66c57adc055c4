"""What the API shows of stored objects: the dossier id the user typed, never the internal juridiction key."""
from __future__ import annotations

import dataclasses

from core.ids import visible_dossier_id
from core.models import CaseFile


def shown(d: CaseFile) -> dict:
    return d.model_dump(mode="json") | {"id": visible_dossier_id(d.id)}


def shown_document(doc) -> dict:
    return doc.model_dump(mode="json") | {"dossier_id": visible_dossier_id(doc.dossier_id)}


def shown_job(job: dict) -> dict:
    return job | {"dossier": visible_dossier_id(job["dossier"])}


def shown_draft(draft):
    return dataclasses.replace(draft, dossier=visible_dossier_id(draft.dossier))
