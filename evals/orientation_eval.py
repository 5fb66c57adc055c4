"""Orientation against a gold: per-fact precision/recall/F1, accuracy overall and per edge case.

Two layouts are read:
- generated folders (`datasets generate`): DIR/<dossier>/gold.json with `facts` {key: {value, source: {cote, page}}}
  and `profile`;
- hand-made dossiers by other authors: DIR/dossiers/<id>/ (the pieces) and DIR/gold/<id>.json with `facts`
  {key: {value, cote, page, needle}} and `expected_orientation`;
- the same gold with the pages already read (DIR/ocr/<id>.json: every document with its pages' text, as the
  ingestion stored them, e.g. tests/data/road_scanned): scored without ingesting again (OCR is the slow part).
`facts_micro_unlisted_no_agrees` is the same count without the FPs that are a « no » on a key the gold does not list
(evals.facts_eval.unlisted_no), reported in `unlisted_no` for a human check; the headline figures stay strict.
A fact is right when its value equals the gold (same equality as `eval facts`: numbers with tolerance, substances
as sets of canonical names, prior convictions on their dates and offence codes) and the gold page is among the
pages the fact cites. A wrong value counts as FN (+ FP when a value was given); a value the gold does not state is
an FP and a "silent guess".
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

from core.models import Page, SourceDocument
from evals.facts_eval import equal, recidivism_value, stated, unlisted_no
from evals.metrics import NothingToScore, prf, ratio
from orientation.extract import FACT_KEYS


def _cases(dataset: Path) -> list[tuple[str, Path, dict]]:
    """(dossier id, folder of its pieces, gold normalised to {facts: {key: {value, cote, page}}, ...})."""
    cases = []
    for p in sorted(dataset.iterdir()):
        gold_file = p / "gold.json"
        if gold_file.exists():
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            if gold.get("kind") != "route":
                continue
            facts = {k: {"value": f["value"], "cote": f["source"]["cote"], "page": f["source"]["page"]}
                     for k, f in gold["facts"].items()}
            cases.append((p.name, p, {"facts": facts, "expected_orientation": gold["expected_orientation"],
                                      "profile": gold.get("profile", p.name)}))
    if (dataset / "gold").is_dir() and (dataset / "dossiers").is_dir():
        for gold_file in sorted((dataset / "gold").glob("*.json")):
            folder = dataset / "dossiers" / gold_file.stem
            if not folder.is_dir():
                continue
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            facts = {k: {"value": f.get("value"), "cote": f.get("cote"), "page": f.get("page")}
                     for k, f in gold.get("facts", {}).items() if isinstance(f, dict)}
            cases.append((gold_file.stem, folder, {"facts": facts,
                                                  "expected_orientation": gold["expected_orientation"],
                                                  "profile": gold.get("profile") or gold_file.stem}))
    if (dataset / "gold").is_dir() and (dataset / "ocr").is_dir():
        for stored in sorted((dataset / "ocr").glob("*.json")):
            gold_file = dataset / "gold" / stored.name
            if not gold_file.exists():
                continue
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            facts = {k: {"value": f.get("value"), "cote": f.get("cote"), "page": f.get("page")}
                     for k, f in gold.get("facts", {}).items() if isinstance(f, dict)}
            cases.append((stored.stem, stored, {"facts": facts, "expected_orientation": gold["expected_orientation"],
                                               "profile": gold.get("profile") or stored.stem}))
    return cases


def stored_pages(path: Path) -> list[tuple[SourceDocument, list[Page]]]:
    """The documents and pages of a dossier saved as JSON (tests/data/road_scanned/ocr/<id>.json)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, d in enumerate(data["documents"]):
        doc = SourceDocument(id=f"{data['dossier']}-{i}", dossier_id=data["dossier"], cote=d.get("cote"),
                             title=d.get("title") or "", sha256=f"stored-{path.stem}-{i}", filename=d["file"],
                             page_count=len(d["pages"]))
        out.append((doc, [Page(document_id=doc.id, number=p["number"], text=p["text"], ocr=bool(p.get("ocr")),
                               cote=p.get("cote"), cote_page=p.get("cote_page")) for p in d["pages"]]))
    return out


def propose_stored(path: Path, grid=None, limits: dict | None = None) -> dict:
    """The proposal for a dossier whose pages were saved (no ingestion, no store): extraction + grid."""
    from orientation.engine import propose
    from orientation.extract import extract, page_views
    from orientation.grid import load_grid, load_limits

    docs = stored_pages(path)
    views = page_views(docs)
    pieces = list(dict.fromkeys(v.cote for v in views if v.cote))
    return propose(extract(views), grid or load_grid(), limits or load_limits(), [d.sha256 for d, _ in docs],
                   pieces)


def _value(proposal: dict, key: str):
    if key == "legal_recidivism":
        return recidivism_value(proposal["facts"][key]["value"], proposal["derived"].get("legal_recidivism"))
    return proposal["facts"][key]["value"]


def _flagged(proposal: dict, key: str) -> bool:
    """A value the gold does not state but that the magistrate sees « à vérifier » (uncertain candidate, or a legal
    recidivism computed from the B1, always shown for a mandatory human check): an FP, yet not a silent one."""
    fact = proposal["facts"][key]
    if fact.get("uncertain") or fact.get("conflicts"):
        return True
    return key == "legal_recidivism" and fact["value"] is None and proposal["orientation"]["mandatory_review"]


def grid_on_gold(gold_facts: dict) -> str:
    """The orientation the grid gives on the gold's own facts: what « the grid's orientation » means for a file
    whose author chose an orientation by his own judgement (an author's policy may differ from the parquet's grid)."""
    from orientation.engine import propose
    from orientation.extract import Fact, Source
    from orientation.grid import load_grid, load_limits

    facts = {k: None for k in FACT_KEYS}
    for key, f in gold_facts.items():
        if key in facts and f.get("value") is not None:
            facts[key] = Fact(f["value"], [Source(f.get("cote"), f.get("page") or 1, f.get("needle") or "")])
    return propose(facts, load_grid(), load_limits(), [], [])["orientation"]["code"]


def evaluate_orientation(services, dataset: Path, progress=None) -> dict:
    cases = _cases(dataset)
    if not cases:
        raise NothingToScore(f"aucun dossier routier avec gold.json (ou gold/<id>.json) dans {dataset}")
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in FACT_KEYS}
    per_profile: dict[str, list[bool]] = defaultdict(list)
    items, silent, wrong, flagged, unlisted = [], [], [], [], []
    for name, folder, gold in cases:
        started = time.perf_counter()
        if folder.is_file():  # pages already read
            proposal = propose_stored(folder)
        else:
            services.ingestor.ingest([folder], name)
            started = time.perf_counter()
            proposal = services.orientation.propose(name)
        elapsed = time.perf_counter() - started
        for key in FACT_KEYS:
            got = _value(proposal, key)
            sources = proposal["facts"][key]["sources"]
            expected = gold["facts"].get(key)
            if expected is None or not stated(key, expected["value"]):
                if stated(key, got):
                    counts[key]["fp"] += 1
                    guess = {"file": name, "fact": key, "value": got}
                    if unlisted_no(key, got, gold["facts"]):
                        unlisted.append(guess)
                    (flagged if _flagged(proposal, key) else silent).append(guess)
                continue
            pages = {(s.get("cote"), s.get("page")) for s in sources}
            page_ok = expected.get("page") is None or key == "legal_recidivism" and not sources or \
                (expected.get("cote"), expected.get("page")) in pages
            if equal(key, got, expected["value"]) and page_ok:
                counts[key]["tp"] += 1
            else:
                counts[key]["fn"] += 1
                if stated(key, got):
                    counts[key]["fp"] += 1
                wrong.append({"file": name, "fact": key, "value": got, "gold": expected["value"],
                              "pages": sorted(pages, key=str), "gold_page": [expected.get("cote"), expected.get("page")]})
        ok = proposal["orientation"]["code"] == gold["expected_orientation"]
        per_profile[gold["profile"]].append(ok)
        on_gold = grid_on_gold(gold["facts"])
        items.append({"file": name, "profile": gold["profile"], "expected": gold["expected_orientation"],
                      "got": proposal["orientation"]["code"], "correct": ok, "seconds": round(elapsed, 3),
                      "grid_on_gold_facts": on_gold, "same_as_grid_on_gold": proposal["orientation"]["code"] == on_gold})
        if progress:
            progress(name)
    facts = {}
    for key, c in counts.items():
        try:
            facts[key] = prf(c["tp"], c["fp"], c["fn"], key)
        except NothingToScore:
            continue
    total = {x: sum(c[x] for c in counts.values()) for x in ("tp", "fp", "fn")}
    lenient = prf(total["tp"], total["fp"] - len(unlisted), total["fn"], "total")
    return {
        "files": len(cases),
        "orientation_accuracy": round(ratio(sum(i["correct"] for i in items), len(items), "orientation"), 4),
        # the extracted facts lead the grid where the true facts lead it (independent of the author's own policy)
        "orientation_as_grid_on_gold": round(ratio(sum(i["same_as_grid_on_gold"] for i in items), len(items),
                                                   "orientation"), 4),
        "per_profile": {p: round(sum(v) / len(v), 4) for p, v in sorted(per_profile.items())},
        "facts": facts, "min_fact_f1": min(f["f1"] for f in facts.values()),
        "facts_micro": prf(total["tp"], total["fp"], total["fn"], "total"),
        # the same without counting as FP a « no » on a key the gold does not list (see evals.facts_eval.unlisted_no);
        # those values are listed for a human check
        "facts_micro_unlisted_no_agrees": lenient, "unlisted_no": unlisted,
        "silent_guesses": silent, "flagged_guesses": flagged, "wrong_facts": wrong, "items": items,
    }
