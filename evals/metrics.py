"""Pure metric arithmetic (no model calls); a metric with nothing to score raises instead of returning NaN."""
from __future__ import annotations


class NothingToScore(ValueError):
    """Raised when a metric has no item to score: an honest error, never NaN or 1.0."""


def ratio(numerator: float, denominator: float, name: str) -> float:
    if denominator == 0:
        raise NothingToScore(f"{name}: nothing to score")
    return numerator / denominator


def prf(tp: int, fp: int, fn: int, name: str) -> dict[str, float]:
    precision = ratio(tp, tp + fp, f"{name} precision") if tp + fp else None
    recall = ratio(tp, tp + fn, f"{name} recall") if tp + fn else None
    if precision is None and recall is None:
        raise NothingToScore(f"{name}: nothing to score")
    p = precision if precision is not None else 1.0
    r = recall if recall is not None else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def recall_at_k(ranks: list[int | None], k: int) -> float:
    return ratio(sum(1 for r in ranks if r is not None and r <= k), len(ranks), f"recall@{k}")


def mrr(ranks: list[int | None]) -> float:
    return ratio(sum(1 / r for r in ranks if r), len(ranks), "mrr")
