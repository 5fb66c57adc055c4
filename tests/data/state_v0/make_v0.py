"""Writes tests/data/state_v0: a data folder made by the code before Alembic (main at a22968b), to check that the
migrations adopt it. Run with that commit's code on the path: `PYTHONPATH=<checkout> python make_v0.py OUT`, then
keep OUT/db and OUT/audit. Everything in it is invented (the example road file route-000)."""
import shutil
import sys
from pathlib import Path

from api.audit import AuditLog
from api.auth import TokenStore
from api.jobs import JobStore
from api.services import Services
from core.ids import dossier_key
from core.settings import Settings
from generation.drafting import Drafter
from generation.store import DraftStore

KEY = dossier_key("TJ Paris", "R-0")
out = Path(sys.argv[1])
shutil.rmtree(out, ignore_errors=True)
s = Settings(paths={"data_dir": out}, vector_store={"backend": "memory"}, embedding={"backend": "hash"},
             llm={"backend": "none"})
sv = Services(s)
assert not sv.ingestor.ingest([Path(__file__).resolve().parents[3] / "examples" / "route-000-delit_mid"], KEY,
                              "TJ Paris").failed
db = out / "db"
tokens = TokenStore(db / "users.sqlite")
tokens.add("mme.x", "magistrat", "TJ Paris")
tokens.add("m.y", "greffier", "TJ Créteil")
jobs = JobStore(db / "jobs.sqlite", out / "uploads")
done, _ = jobs.create(KEY, "TJ Paris", "mme.x", options={"on_conflict": "replace"})
jobs.update(done, "done", {"files": 3, "done": 3, "pages": 5, "ocr_pages": 1, "errors": []}, {"documents": []})
jobs.create(KEY, "TJ Paris", "mme.x")
jobs.close()
draft = Drafter(sv.catalog, sv.search, None, s.drafting).stream(KEY, "synthese")
DraftStore(db / "drafts.sqlite").save(draft, "TJ Paris", "2026-12-01T10:00:00+00:00")
proposal = sv.orientation.propose(KEY)
first = sv.orientation.decisions.decide(proposal["id"], "accept", "mme.x")
sv.orientation.decisions.decide(proposal["id"], "modify", "mme.x", {"requisitions.fine_eur": 400},
                                "Ressources faibles", supersedes=first["seq"])
audit = AuditLog.from_settings(s)
audit.record("mme.x", "dossier.read", KEY, juridiction="TJ Paris")
audit.close()
sv.close()
print("draft", draft.id, "proposal", proposal["id"])
