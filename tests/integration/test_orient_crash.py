"""A real `orient` process killed between its proposal and the dense embedding (embedded Qdrant engine, nothing
flushed, no close): the dossier is searchable in full text meanwhile, and either a re-run of `orient` or `doctor
--repair` finishes it, the proposal unchanged."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from api.orienting import orient_files
from api.services import Services
from core.ids import dossier_key
from core.protocols import SearchFilter
from core.settings import Settings
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.integration
FILE = EXAMPLES / "route-001-margin_zone"
# The CLI's own command for each folder, in one process whose stage 2 never comes: the first run ends normally
# without it (its store closed), the process dies when the last one would start it (nothing flushed, no close, no
# finally: the engine's write-ahead log alone holds that dossier's points), as if killed after printing.
CRASHING = ("import os, sys; import ingestion.pipeline as p; from api.cli import app\n"
            "p.Ingestor.finish_embedding = lambda self, report, *a, **k: report.dossier.endswith(sys.argv[-1].split("
            "'/')[-1]) and (sys.stdout.flush(), os._exit(9))\n"
            "for folder in sys.argv[1:]:\n"
            "    print('\\x1e', flush=True); app(['orient', folder, '--json'], standalone_mode=False)\n")


def crash_after_proposals(folders, data) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAP_PATHS__DATA_DIR": str(data), "MAP_LLM__BACKEND": "none",
           "MAP_EMBEDDING__BACKEND": "hash"}
    out = subprocess.run([sys.executable, "-c", CRASHING, *map(str, folders)], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 9, out.stderr
    return [json.loads(part) for part in out.stdout.split("\x1e") if part.strip()]


def test_a_crash_between_proposal_and_embedding_is_finished_by_a_rerun_or_by_doctor_repair(tmp_path):
    data = tmp_path / "var"
    folders = [shutil.copytree(FILE, tmp_path / name) for name in ("RERUN-1", "REPAIR-1")]
    printed = crash_after_proposals(folders, data)
    assert len(printed) == 2
    rerun, repair = (dossier_key("TJ Paris", f.name) for f in folders)
    sv = Services(Settings(paths={"data_dir": data}, embedding={"backend": "hash"}, llm={"backend": "none"}))
    try:
        for key in (rerun, repair):  # the pieces are in, searchable by BM25 only, and doctor says what waits
            assert sv.search.indexing(key).message.startswith("Recherche plein texte seulement")
            assert sv.store.count(SearchFilter(dossier_id=key, embedded=True)) == 0
        findings = sv.ingestor.repair(fix=False)
        assert sum("en attente d'indexation sémantique" in f["probleme"] for f in findings) == 2
        assert not any("interrompue" in f["probleme"] or "désaccord" in f["probleme"] for f in findings)

        again = orient_files(sv, [folders[0]], rerun, "TJ Paris")  # a re-run: files unchanged, vectors computed
        assert {d.status for d in again.report.documents} == {"unchanged"}
        assert sv.search.indexing(rerun) is None
        assert {k: again.proposal[k] for k in printed[0]} == printed[0]  # same proposal, same id

        assert any("indexation sémantique terminée" == f["correction"] for f in sv.ingestor.repair(fix=True))
        assert sv.search.indexing(repair) is None
        assert sv.store.count(SearchFilter(dossier_id=repair, embedded=False)) == 0
        assert sv.ingestor.verify(repair)["missing"] == [] and sv.ingestor.repair(fix=False) == []
        assert sv.orientation.propose(repair)["id"] == printed[1]["id"]
    finally:
        sv.close()
