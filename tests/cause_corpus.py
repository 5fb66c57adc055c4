"""Corpora of phrasings written by us, one cause per line (tests/data/wording_variations_causes.jsonl,
_sprint.jsonl), and the check every line must pass: each gold value read, no key the line does not state."""
from __future__ import annotations

import json
from pathlib import Path

from evals.facts_eval import equal, predict, stated
from orientation.grid import load_limits

DATA = Path(__file__).resolve().parent / "data"
LIMITS = load_limits()


def load_rows(name: str) -> list[dict]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def row_ids(rows: list[dict]) -> list[str]:
    return [f"{r['id']}-{r['cause']}" for r in rows]


def check_row(row: dict) -> None:
    got = predict(row["text"], LIMITS)
    for key, want in row["facts"].items():
        assert equal(key, got[key], want), (key, got[key], want)
    unstated = {k: v for k, v in got.items() if k not in row["facts"] and stated(k, v)}
    assert not unstated, unstated
