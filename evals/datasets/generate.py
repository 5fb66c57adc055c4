"""Write synthetic case files (PDF pieces + gold.json), deterministic for a given seed."""
from __future__ import annotations

import json
import random
from pathlib import Path

from evals.datasets import instruction, route
from evals.datasets.render import Piece, render_pdf


def _write_pieces(folder: Path, pieces: list[Piece], rng: random.Random, scan_share: float) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    docs = []
    for piece in pieces:
        piece.scanned = piece.scanned or rng.random() < scan_share
        (folder / piece.filename).write_bytes(render_pdf(piece, rng))
        docs.append({"file": piece.filename, "cote": piece.cote, "title": piece.title,
                     "pages": len(piece.pages_text), "scanned": piece.scanned})
    return docs


def _source(piece: Piece, needle: str) -> dict:
    return {"cote": piece.cote, "page": piece.page_of(needle), "needle": needle}


def generate_route_file(out: Path, index: int, seed: int, scan_share: float = 0.15,
                        profile: str | None = None) -> Path:
    """One road-traffic procedure folder; profiles cycle so that a few files cover many edge cases."""
    rng = random.Random(seed * 100_003 + index)
    names = list(route.PROFILES)
    profile = profile or names[(index + seed) % len(names)]
    scenario = route.make_scenario(profile, rng)
    pieces, facts = route.build_pieces(scenario, rng)
    folder = out / f"route-{index:03d}-{profile}"
    docs = _write_pieces(folder, pieces, rng, scan_share)
    gold = {
        "kind": "route", "profile": profile, "expected_orientation": route.PROFILES[profile],
        "dossier": folder.name, "documents": docs,
        "facts": {key: {"value": f["value"], "source": _source(f["piece"], f["needle"])}
                  for key, f in facts.items()},
        "injection": scenario.injection,
    }
    (folder / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def generate_instruction_file(out: Path, index: int, seed: int, scan_share: float = 0.15,
                              extra_pages: int = 0) -> Path:
    rng = random.Random(seed * 200_003 + index)
    story = instruction.make_story(rng)
    pieces, key_facts, questions = instruction.build_pieces(story, rng, extra_pages=extra_pages)
    folder = out / f"instruction-{index:03d}"
    docs = _write_pieces(folder, pieces, rng, scan_share)
    by_cote = {p.cote: p for p in pieces}
    gold = {
        "kind": "instruction", "dossier": folder.name, "documents": docs, "summary": story.summary(),
        "key_facts": [{"text": kf["text"], "source": _source(by_cote[kf["cote"]], kf["needle"])}
                      for kf in key_facts],
        "questions": [{"question": q["question"], "answer": q["answer"],
                       "sources": [_source(by_cote[q["cote"]], q["needle"])]} for q in questions],
    }
    (folder / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def generate(kind: str, n: int, seed: int, out: Path, scan_share: float = 0.15, extra_pages: int = 0) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    if kind == "route":
        return [generate_route_file(out, i, seed, scan_share) for i in range(n)]
    if kind == "instruction":
        return [generate_instruction_file(out, i, seed, scan_share, extra_pages) for i in range(n)]
    raise ValueError(f"unknown kind {kind!r}")
