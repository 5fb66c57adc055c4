"""Fault injection: nasty inputs built on the fly, the real CLI in a child process, peak memory measured.

Fast fake backends (hash embedder, embedded Qdrant engine or memory store) wherever the embedder is not the
point. Every measured run appends {input, result, peak_rss_mb, seconds} to $FAULTS_REPORT when it is set.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)

    def by_file(self) -> dict:
        return {d["file"]: d for d in self.report["documents"]}


_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.monotonic()\n"
    "p = subprocess.run(sys.argv[2:])\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(json.dumps({'rc': p.returncode, 'maxrss_kb': r.ru_maxrss, "
    "'seconds': time.monotonic() - t}))\n"
    "sys.exit(p.returncode)\n"
)


def env_for(data: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAP_")}
    env.update({"PYTHONPATH": str(ROOT), "MAP_PATHS__DATA_DIR": str(data), "MAP_EMBEDDING__BACKEND": "hash",
                "MAP_LLM__BACKEND": "none", "MAP_VECTOR_STORE__BACKEND": "edge", "MAP_CONFIG": "/nonexistent",
                "COLUMNS": "1000"})
    env.update(extra)
    return env


def cli(args: list[str], env: dict, timeout: float = 120, label: str | None = None) -> Run:
    """Run `assistant-parquet ARGS` in a child; peak RSS is the largest of the CLI and its converters."""
    out = Path(env["MAP_PATHS__DATA_DIR"]).parent / f".measure-{os.getpid()}-{time.monotonic_ns()}.json"
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(out), sys.executable, "-m", "api.cli", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    m = json.loads(out.read_text())
    out.unlink()
    run = Run(proc.returncode, proc.stdout, proc.stderr, round(m["maxrss_kb"] / 1024, 1), round(m["seconds"], 2))
    if label and os.environ.get("FAULTS_REPORT"):
        result = _summary(run)
        with open(os.environ["FAULTS_REPORT"], "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"input": label, "exit": run.returncode, "result": result,
                                 "peak_rss_mb": run.peak_rss_mb, "seconds": run.seconds}, ensure_ascii=False) + "\n")
    return run


def _summary(run: Run) -> str:
    try:
        docs = run.report["documents"]
    except (ValueError, KeyError):
        return (run.stderr.strip().splitlines() or [""])[-1][:160]
    return "; ".join(f"{d['status']}" + (f" [{d['error_code']}] {d['error']}" if d.get("error") else "")
                     for d in docs)[:300]


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def env(data) -> dict:
    return env_for(data)


def write_text_piece(path: Path, text: str) -> Path:
    """A native PDF piece (reportlab): parsed in milliseconds, unlike .txt which loads the spaCy pipeline."""
    from ingestion.convert import text_to_pdf

    return text_to_pdf(text, path)


PV = ("Procès-verbal d'audition. Le témoin déclare avoir vu le véhicule immatriculé {plate} quitter les lieux "
      "à vive allure vers 22 h 40, conduit par un homme d'une trentaine d'années.")
