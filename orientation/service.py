"""Orientation of an ingested dossier: read its pages, extract, propose, record decisions."""
from __future__ import annotations

from core.errors import NotFound
from core.models import DocumentStatus
from ingestion.catalog import Catalog
from orientation.decisions import DecisionStore
from orientation.engine import propose
from orientation.extract import extract, page_views
from orientation.grid import Grid, load_grid, load_limits


class OrientationService:
    def __init__(self, catalog: Catalog, decisions: DecisionStore, grid: Grid | None = None,
                 limits: dict | None = None) -> None:
        self.catalog, self.decisions = catalog, decisions
        self.grid = grid or load_grid()
        self.limits = limits or load_limits()

    def propose(self, dossier_id: str) -> dict:
        self.catalog.dossier(dossier_id)
        docs = [d for d in self.catalog.documents(dossier_id) if d.status == DocumentStatus.stored]
        if not docs:
            raise NotFound("Aucun document exploitable dans ce dossier.", param="dossier")
        views = page_views([(d, self.catalog.pages(d.id)) for d in docs])
        proposal = propose(extract(views), self.grid, self.limits, [d.sha256 for d in docs])
        proposal["dossier"] = dossier_id
        self.decisions.save_proposal(proposal)
        return proposal
