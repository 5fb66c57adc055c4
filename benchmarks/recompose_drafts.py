"""Ingest a hand-made set once, then recompose and score its drafts as often as needed, and say why each key fact
was missed.

`eval run` ingests the dossier and answers every question each time (5–8 min per dossier on a loaded machine);
changing the composition of a draft needs neither. This script keeps the ingested dossier in its data folder
(MAP_PATHS__DATA_DIR: one folder per set), composes the three kinds of drafts (about 30 s), scores them with the
harness's own functions (evals/runner.score_drafts) plus the key facts of the JLD réquisitions' « I. » and « II. »
sections, writes each draft (.txt and .json) and classifies every missed key fact of the synthèse and of the
réquisitoire définitif:
  a  the fact's sentence (its needle) was never selected (a0: not even a candidate of the map step);
  b  selected, but a required element (`content`) is not in the lines cited to the fact's cote;
  c  said, but cited to another cote;
  d  every element there, but under half of the fact's words (the annotator's paraphrase).

    MAP_EMBEDDING__BACKEND=hash MAP_VECTOR_STORE__BACKEND=memory MAP_LLM__BACKEND=none \
    MAP_PATHS__DATA_DIR=/tmp/recompose-A python benchmarks/recompose_drafts.py evals/handmade/instruction-A /tmp/out-A
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from _common import ROOT  # noqa: F401  (puts the repository on the path)


def _overlap(needle: str, text: str) -> float:
    from core.tokens import tokens

    wanted = set(tokens(needle))
    return len(wanted & set(tokens(text))) / max(1, len(wanted))


def classify(fact: dict, needle: str, sentences: list, candidates: list[str]) -> tuple[str, list[str]]:
    """The class of one missed fact (see the module's docstring) and its missing required elements."""
    from core.text import normalize_for_verify
    from core.tokens import tokens
    from evals.metrics import _cited_text, _element_present

    cited = _cited_text(sentences, fact["cote"])
    norm, toks = normalize_for_verify(cited), set(tokens(cited))
    missing = [e for e in fact["content"] if not _element_present(e, norm, toks)]
    mine = [t for t, cites in sentences if any(c == fact["cote"] for c, _ in cites) and _overlap(needle, t) >= 0.6]
    other = [t for t, cites in sentences if not any(c == fact["cote"] for c, _ in cites) and _overlap(needle, t) >= 0.6]
    if mine:
        return ("b" if missing else "d"), missing
    if other:
        return "c", missing
    return ("a" if any(_overlap(needle, t) >= 0.6 for t in candidates) else "a0"), missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    from api.cli.common import open_services
    from evals.metrics import key_fact_present
    from evals.runner import DRAFT_KINDS, _draft_sentences, _flat_fact, _pages, load_dataset, score_drafts
    from generation.evidence import analyse_dossier

    args.out.mkdir(parents=True, exist_ok=True)
    sv = open_services("recompose")
    try:
        data = load_dataset(args.dataset)
        for dossier, entry in data["drafts"].items():
            if dossier not in {d.id for d in sv.catalog.dossiers()}:
                start = time.perf_counter()
                sv.ingestor.ingest([entry["folder"]], dossier)
                print(f"ingéré en {time.perf_counter() - start:.0f} s", file=sys.stderr)
            drafts = {kind: sv.drafter.stream(dossier, kind) for kind in DRAFT_KINDS}
            scores, detail = score_drafts(drafts, entry, _pages(sv.catalog, dossier), sv.settings.drafting.min_overlap)
            facts = [_flat_fact(k) for k in entry.get("key_facts", [])]
            jld = [(s.text, [(c.cote, c.page) for c in s.citations]) for sec in drafts["detention"].sections
                   if sec.title.startswith(("I.", "II.")) for s in sec.sentences if s.status != "a_completer"]
            if facts:
                got = [key_fact_present(f, jld) for f in facts]
                scores["key_fact_recall_detention_faits_indices"] = sum(got) / len(got)
            for kind, d in drafts.items():
                (args.out / f"{kind}.txt").write_text(d.render_text(), encoding="utf-8")
                (args.out / f"{kind}.json").write_text(json.dumps(d.to_dict(), ensure_ascii=False, indent=1),
                                                       encoding="utf-8")
            analysis = analyse_dossier(sv.catalog, dossier)
            for kind in ("synthese", "requisitoire"):
                said = _draft_sentences(drafts[kind])
                classes: Counter = Counter()
                misses = []
                for kf in entry.get("key_facts", []):
                    fact = _flat_fact(kf)
                    if fact["id"] not in detail.get(f"missed_{kind}", []):
                        continue
                    candidates = [it.full or it.text for it in analysis.items if it.citation.cote == fact["cote"]]
                    cls, missing = classify(fact, kf.get("needle", fact["text"]), said, candidates)
                    classes[cls] += 1
                    misses.append({"id": fact["id"], "cote": fact["cote"], "class": cls, "missing": missing})
                detail[f"missed_{kind}_classes"] = misses
                scores[f"missed_{kind}_by_class"] = dict(classes)
            (args.out / "scores.json").write_text(json.dumps({"scores": scores, "detail": detail}, ensure_ascii=False,
                                                             indent=1), encoding="utf-8")
            print(json.dumps(scores, ensure_ascii=False))
    finally:
        sv.close()


if __name__ == "__main__":
    main()
