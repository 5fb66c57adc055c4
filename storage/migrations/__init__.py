"""Alembic migrations of the state stores, one branch per store, in versions/.

Convention (checked by tests/unit/test_state_migrations.py against Alembic's own view): a revision of branch B
is the file `versions/B_NNNN_<what>.py` with `revision = "B_NNNN"`, so the head of each branch is known from the
file names alone and opening an up-to-date database never loads Alembic."""
from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "versions"
BRANCHES = ("catalog", "jobs", "accounts", "drafts", "decisions", "audit")
_FILE = re.compile(r"^([a-z]+)_(\d{4})_\w+\.py$")


def file_heads() -> dict[str, str]:
    """The newest revision of each branch, from the revision file names."""
    newest: dict[str, int] = {}
    for path in VERSIONS.iterdir():
        m = _FILE.match(path.name)
        if m and m.group(1) in BRANCHES:
            newest[m.group(1)] = max(newest.get(m.group(1), 0), int(m.group(2)))
    return {branch: f"{branch}_{newest[branch]:04d}" for branch in BRANCHES}
