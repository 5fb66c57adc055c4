"""How many key facts extracts could carry, and how many simple choices among them carry at a word budget.

For each hand-made set (ingested once into MAP_PATHS__DATA_DIR, as recompose_drafts.py does), with the harness's own
key-fact function (evals.metrics.key_fact_present: the fact's content elements and half of its words in sentences
cited to its cote):
- ceilings: every sentence of the dossier cited to its page; every candidate of the map step (analyse_dossier), whole
  and shortened to its clause;
- choices at each budget: the candidates a piece at a time (round robin, each piece's candidates in the order of a
  policy) until the budget is spent. Policies: the drafter's own salience score, typed values and names, rare words
  (idf), both, the piece's own order.

    MAP_EMBEDDING__BACKEND=hash MAP_VECTOR_STORE__BACKEND=memory MAP_LLM__BACKEND=none \
    MAP_PATHS__DATA_DIR=/tmp/recompose-A python benchmarks/extract_ceiling.py evals/handmade/instruction-A
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

from _common import ROOT  # noqa: F401  (puts the repository on the path)


def _choose(items: list, policy, budget: int) -> list:
    by_piece: dict[str | None, list] = {}
    for it in items:
        by_piece.setdefault(it.citation.cote, []).append(it)
    for lst in by_piece.values():
        lst.sort(key=policy)
    chosen, words, rnd = [], 0, 0
    longest = max((len(v) for v in by_piece.values()), default=0)
    while rnd < longest:
        for lst in by_piece.values():
            if rnd < len(lst) and words + len(lst[rnd].text.split()) <= budget:
                chosen.append(lst[rnd])
                words += len(lst[rnd].text.split())
        rnd += 1
    return chosen


def _recall(facts: list[dict], sentences: list) -> float:
    from evals.metrics import key_fact_present

    return sum(key_fact_present(f, sentences) for f in facts) / len(facts)


def _cited(items: list) -> list:
    return [(it.text, [(it.citation.cote, it.citation.page)]) for it in items]


def report(name: str, facts: list[dict], every: list, items: list, budgets: list[int]) -> None:
    from evals.metrics import tokens

    whole = [((it.full or it.text), [(it.citation.cote, it.citation.page)]) for it in items]
    short = _cited(items)
    print(f"{name}: {len(facts)} key facts; every sentence {_recall(facts, every):.3f}; candidates "
          f"{_recall(facts, whole):.3f} ({sum(len(t.split()) for t, _ in whole)} words), shortened "
          f"{_recall(facts, short):.3f} ({sum(len(t.split()) for t, _ in short)} words, {len(items)} candidates)")
    df: dict[str, int] = {}
    for it in items:
        for t in set(tokens(it.full or it.text)):
            df[t] = df.get(t, 0) + 1

    def typed(it) -> int:
        text = it.full or it.text
        return len(re.findall(r"\d+(?:[,.]\d+)?", text)) + len(re.findall(r"\b[A-ZÀ-Ý]{3,}\b", text))

    def idf(it) -> float:
        words = set(tokens(it.full or it.text))
        return sum(math.log(len(items) / df.get(w, 1)) for w in words) / (1 + len(words))

    summary_kinds = {"synthese", "requisitoire_introductif", "ordonnance_detention", "ordonnance_cj", "ordonnance",
                     "requisitoire"}
    summary_words = {t for it in items if it.piece is not None and it.piece.kind in summary_kinds
                     for t in tokens(it.full or it.text)}

    def restated(it) -> float:
        """What the investigators' and the judges' own summaries repeat of the candidate's rare words."""
        if it.piece is not None and it.piece.kind in summary_kinds:
            return -1.0
        rare = {t for t in tokens(it.full or it.text) if df.get(t, 0) <= 4 and (len(t) >= 4 or t.isdigit())}
        return len(rare & summary_words) + 0.1 * typed(it)

    policies = {"drafter's score": lambda it: (-it.score, it.position),
                "restated in a summary": lambda it: (-restated(it), it.position),
                "typed values and names": lambda it: (-typed(it), it.position),
                "rare words": lambda it: (-idf(it), it.position),
                "typed x rare": lambda it: (-typed(it) * idf(it), it.position),
                "piece order": lambda it: it.position}
    for label, policy in policies.items():
        row = [f"{b} words {_recall(facts, _cited(_choose(items, policy, b))):.3f}" for b in budgets]
        print(f"  {label:24s} " + "  ".join(row))
    for label in ("drafter's score", "restated in a summary", "typed values and names"):  # one ranking, all pieces
        ranked = sorted(items, key=policies[label])
        row = []
        for b in budgets:
            chosen, words = [], 0
            for it in ranked:
                if words + len(it.text.split()) <= b:
                    chosen.append(it)
                    words += len(it.text.split())
            row.append(f"{b} words {_recall(facts, _cited(chosen)):.3f}")
        print(f"  {label + ' (global)':24s} " + "  ".join(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--budgets", default="650,1450,3000")
    args = parser.parse_args()
    from api.cli.common import open_services
    from core.sentences import split_sentences
    from evals.runner import _flat_fact, _pages, load_dataset
    from generation.evidence import analyse_dossier

    sv = open_services("extract-ceiling")
    try:
        data = load_dataset(args.dataset)
        for dossier, entry in data["drafts"].items():
            if dossier not in {d.id for d in sv.catalog.dossiers()}:
                sv.ingestor.ingest([entry["folder"]], dossier)
            facts = [_flat_fact(k) for k in entry.get("key_facts", [])]
            if not facts:
                continue
            every = []
            for (cote, page), text in _pages(sv.catalog, dossier).items():
                flat = " ".join(text.split())
                every += [(flat[a:b], [(cote, page)]) for a, b in split_sentences(flat)]
            report(args.dataset.name, facts, every, analyse_dossier(sv.catalog, dossier).items,
                   [int(x) for x in args.budgets.split(",")])
    finally:
        sv.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
