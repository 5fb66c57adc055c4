"""Orientation against the generator's gold: per-fact precision/recall/F1, accuracy overall and per edge case."""
from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

from evals.metrics import NothingToScore, prf, ratio
from orientation.extract import FACT_KEYS


def evaluate_orientation(services, dataset: Path, progress=None) -> dict:
    folders = sorted(p for p in dataset.iterdir() if (p / "gold.json").exists()
                     and json.loads((p / "gold.json").read_text()).get("kind") == "route")
    if not folders:
        raise NothingToScore(f"aucun dossier routier avec gold.json dans {dataset}")
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in FACT_KEYS}
    per_profile: dict[str, list[bool]] = defaultdict(list)
    items, silent = [], []
    for folder in folders:
        gold = json.loads((folder / "gold.json").read_text())
        services.ingestor.ingest([folder], folder.name)
        started = time.perf_counter()
        proposal = services.orientation.propose(folder.name)
        elapsed = time.perf_counter() - started
        for key in FACT_KEYS:
            got = proposal["facts"][key]
            expected = gold["facts"].get(key)
            if expected is None:
                if got["value"] is not None:
                    counts[key]["fp"] += 1
                    silent.append({"file": folder.name, "fact": key, "value": got["value"]})
                continue
            src = got["sources"][0] if got["sources"] else {}
            right = got["value"] == expected["value"] and (src.get("cote"), src.get("page")) == \
                (expected["source"]["cote"], expected["source"]["page"])
            if right:
                counts[key]["tp"] += 1
            else:
                counts[key]["fn"] += 1
                if got["value"] is not None:
                    counts[key]["fp"] += 1
        ok = proposal["orientation"]["code"] == gold["expected_orientation"]
        per_profile[gold["profile"]].append(ok)
        items.append({"file": folder.name, "profile": gold["profile"], "expected": gold["expected_orientation"],
                      "got": proposal["orientation"]["code"], "correct": ok, "seconds": round(elapsed, 3)})
        if progress:
            progress(folder.name)
    facts = {}
    for key, c in counts.items():
        try:
            facts[key] = prf(c["tp"], c["fp"], c["fn"], key)
        except NothingToScore:
            continue
    return {
        "files": len(folders),
        "orientation_accuracy": round(ratio(sum(i["correct"] for i in items), len(items), "orientation"), 4),
        "per_profile": {p: round(sum(v) / len(v), 4) for p, v in sorted(per_profile.items())},
        "facts": facts, "min_fact_f1": min(f["f1"] for f in facts.values()), "silent_guesses": silent,
        "items": items,
    }
