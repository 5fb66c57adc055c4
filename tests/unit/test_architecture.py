"""What import-linter cannot see: a backend run as a program. tesseract is started by one module only."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "storage", "prompts", "ingestion", "retrieval", "generation", "orientation", "evals", "api")


def _programs_started(path: Path) -> set[str]:
    """First words of the argument lists given to subprocess / run_bounded calls in a module."""
    started = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.List) and node.args[0].elts:
            first = node.args[0].elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                started.add(first.value)
    return started


def test_only_the_ocr_adapter_runs_tesseract():
    runners = sorted(str(p.relative_to(ROOT)) for package in PACKAGES for p in (ROOT / package).rglob("*.py")
                     if "tesseract" in _programs_started(p))
    assert runners == ["ingestion/ocr.py"]
