"""Orientation of an ingested dossier: read its pages, extract, propose, record decisions."""
from __future__ import annotations

import hashlib

from core.errors import NotFound
from core.models import DocumentStatus
from core.protocols import Catalog
from orientation.decisions import DecisionStore
from orientation.engine import propose
from orientation.extract import extract, page_views
from orientation.grid import Grid, load_grid, load_limits


class OrientationService:
    def __init__(self, catalog: Catalog, decisions: DecisionStore, grid: Grid | None = None,
                 limits: dict | None = None, llm=None) -> None:
        self.catalog, self.decisions, self.llm = catalog, decisions, llm
        self.grid = grid or load_grid()
        self.limits = limits or load_limits()

    def propose(self, dossier_id: str) -> dict:
        dossier = self.catalog.dossier(dossier_id)
        docs = [d for d in self.catalog.documents(dossier_id) if d.status == DocumentStatus.stored]
        if not docs:
            raise NotFound("Aucun document exploitable dans ce dossier.", param="dossier")
        views = page_views([(d, self.catalog.pages(d.id)) for d in docs])
        facts = extract(views)
        llm_warnings: list[str] = []
        if self.llm is not None:
            from orientation.llm_extract import PROMPT, propose_missing
            from prompts import load_prompt

            added, llm_warnings = propose_missing(self.llm, views, facts)
            facts.update(added)
            prompt = {"name": PROMPT, "version": load_prompt(PROMPT).version}
        pieces = list(dict.fromkeys(v.cote for v in views if v.cote))
        proposal = propose(facts, self.grid, self.limits, [d.sha256 for d in docs], pieces)
        proposal["warnings"] += llm_warnings
        if self.llm is not None:
            proposal["extractor"] += " + llm"
            proposal["prompt"] = prompt  # which prompt (and version) asked the model for the facts it proposed
        proposal["dossier"] = dossier_id
        # Unique per dossier (and per incarnation of its id): the same pieces in two dossiers are two proposals.
        scope = f"{dossier_id}|{dossier.created.isoformat()}|{proposal['id']}"
        proposal["id"] = hashlib.sha256(scope.encode()).hexdigest()[:16]
        self.decisions.save_proposal(proposal)
        return proposal
