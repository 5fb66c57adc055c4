"""Migrations: a data folder written by the version before Alembic (tests/data/state_v0, made by main's code) is
adopted as it is, nothing lost, and reaches the head revision of every store."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from core.ids import dossier_key
from core.settings import Settings
from storage.engine import heads
from storage.locations import status, upgrade_all

V0 = Path(__file__).resolve().parent.parent / "data" / "state_v0"
KEY = dossier_key("TJ Paris", "R-0")


@pytest.fixture
def old_folder(tmp_path) -> Settings:
    for sub in ("db", "audit"):
        shutil.copytree(V0 / sub, tmp_path / "var" / sub)
    return Settings(paths={"data_dir": tmp_path / "var"})


def _schema(path: Path) -> dict[str, set[str]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables if t != "alembic_version"}


def test_an_old_folder_is_reported_as_to_migrate_then_adopted_without_losing_a_row(old_folder):
    db = old_folder.paths.data_dir / "db"
    before = {p.name: _schema(p) for p in db.glob("*.sqlite")}
    rows = {p.name: {t: sqlite3.connect(p).execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in s}
            for p, s in ((p, _schema(p)) for p in db.glob("*.sqlite"))}
    assert all(r["exists"] and r["revision"] is None for r in status(old_folder))

    assert upgrade_all(old_folder) == heads()
    assert all(r["revision"] == r["head"] for r in status(old_folder))
    for p in db.glob("*.sqlite"):
        after = _schema(p)
        assert all(before[p.name][t] <= after[t] for t in before[p.name]), p.name  # no column lost
        for table, n in rows[p.name].items():
            assert sqlite3.connect(p).execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, (p.name, table)
    assert upgrade_all(old_folder) == heads()  # a second run changes nothing


def test_the_old_catalog_reads_the_same_through_the_new_store(old_folder):
    from ingestion.catalog import Catalog

    db = old_folder.paths.data_dir / "db" / "catalog.sqlite"
    with sqlite3.connect(db) as conn:
        raw = dict(conn.execute("SELECT id, cote FROM documents").fetchall())
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    read_only = Catalog(db, read_only=True)  # before any migration: read as it is
    assert {d.id: d.cote for d in read_only.documents(KEY)} == raw
    read_only.close()
    cat = Catalog(db)
    docs = cat.documents(KEY)
    assert {d.id: d.cote for d in docs} == raw and sum(len(cat.pages(d.id)) for d in docs) == pages
    assert cat.dossier(KEY).juridiction == "TJ Paris"
    assert cat.dossier_chunks(KEY) and all(c.dossier_id == KEY for c in cat.dossier_chunks(KEY))
    cat.delete_dossier(KEY)
    assert cat.documents(KEY) == [] and cat.find_dossier(KEY) is None
    cat.close()


def test_a_store_newer_than_its_file_refuses_read_only_opening_with_the_command_to_run(tmp_path):
    from core.errors import AppError
    from ingestion.catalog import Catalog

    db = tmp_path / "c.sqlite"
    with sqlite3.connect(db) as conn:  # a pre-Alembic file from before documents had versions
        conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, cote TEXT)")
    with pytest.raises(AppError, match="db upgrade"):
        Catalog(db, read_only=True)
    Catalog(db).close()  # a writer migrates it: the missing tables and columns are added
    assert {"version", "replaced_by", "pdf_path"} <= _schema(db)["documents"] and "pages" in _schema(db)
    Catalog(db, read_only=True).close()


def test_with_migrations_left_to_the_command_an_older_schema_is_refused_until_db_upgrade(tmp_path):
    from api.jobs import JobStore
    from core.errors import AppError

    db = tmp_path / "jobs.sqlite"
    with sqlite3.connect(db) as conn:  # the jobs table before it had options
        conn.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, dossier TEXT, juridiction TEXT, actor TEXT, state TEXT, "
                     "progress TEXT, report TEXT, created TEXT, updated TEXT)")
    with pytest.raises(AppError, match="db upgrade"):
        JobStore(db, tmp_path / "uploads", migrate=False)
    JobStore(db, tmp_path / "uploads").close()
    JobStore(db, tmp_path / "uploads", migrate=False).close()


def test_the_same_migrations_run_on_postgresql(postgres):
    settings = Settings(state={"url": postgres.new_database()})
    assert all(not r["revision"] and not r["exists"] for r in status(settings))
    assert upgrade_all(settings) == heads()
    assert [r["revision"] for r in status(settings)] == list(heads().values())
    assert "**********" not in str(status(settings))  # no password in this URL, nothing masked


def test_the_heads_read_from_file_names_are_alembics_heads():
    import re

    from storage.engine import script_heads
    from storage.migrations import VERSIONS

    assert script_heads() == heads()
    for path in VERSIONS.glob("*.py"):  # every revision file follows B_NNNN_<what>.py with revision "B_NNNN"
        if path.name != "__init__.py":
            revision = re.search(r'^revision = "([^"]+)"', path.read_text(), re.M).group(1)
            assert path.name.startswith(revision + "_"), path.name


def test_the_old_jobs_accounts_drafts_decisions_and_audit_read_the_same_through_the_new_stores(old_folder):
    from api.audit import AuditLog
    from api.auth import TokenStore
    from api.jobs import JobStore
    from generation.store import DraftStore
    from orientation.decisions import DecisionStore

    db = old_folder.paths.data_dir / "db"
    tokens = TokenStore(db / "users.sqlite")
    assert tokens.list() == [{"name": "m.y", "role": "greffier", "juridiction": "TJ Créteil"},
                             {"name": "mme.x", "role": "magistrat", "juridiction": "TJ Paris"}]
    assert tokens.authenticate(tokens.add("mme.z", "magistrat", "TJ Paris")).name == "mme.z"
    tokens.close()

    jobs = JobStore(db / "jobs.sqlite", old_folder.paths.data_dir / "uploads")
    history = jobs.for_dossier(KEY)
    assert sorted(j["state"] for j in history) == ["done", "queued"]
    done = next(j for j in history if j["state"] == "done")
    assert done["progress"]["pages"] == 5 and jobs.options(done["id"]) == {"on_conflict": "replace"}
    assert [j["state"] for j in jobs.unfinished()] == ["queued"] and jobs.claim(jobs.unfinished()[0]["id"])
    jobs.close()

    with sqlite3.connect(db / "drafts.sqlite") as conn:
        draft_id = conn.execute("SELECT id FROM drafts").fetchone()[0]
    drafts = DraftStore(db / "drafts.sqlite")
    assert drafts.owner(draft_id) == (KEY, "TJ Paris", "2026-12-01T10:00:00+00:00")
    draft = drafts.get(draft_id)
    assert draft.kind == "synthese" and any(s.citations for sec in draft.sections for s in sec.sentences)
    drafts.close()

    with sqlite3.connect(db / "decisions.sqlite") as conn:
        proposal_id = conn.execute("SELECT id FROM proposals").fetchone()[0]
    decisions = DecisionStore(db / "decisions.sqlite")
    history = decisions.decisions(proposal_id)
    assert [h["action"] for h in history] == ["accept", "modify"] and history[1]["current"]
    assert history[1]["changes"] == {"requisitions.fine_eur": 400} and history[0]["superseded_by"] == history[1]["seq"]
    raw = sqlite3.connect(db / "decisions.sqlite")
    with pytest.raises(sqlite3.DatabaseError):  # still append-only after adoption
        raw.execute("DELETE FROM decisions")
    raw.close()
    assert decisions.delete_dossier(KEY) == {"proposals": 1, "decisions": 2}
    decisions.close()

    audit = AuditLog.from_settings(old_folder)
    assert audit.verify()["ok"] and audit.entries()[0]["dossier"] == "R-0"
    audit.record("mme.x", "dossier.read", KEY)
    result = audit.verify()
    assert result["ok"] and result["entries"] == 2
    audit.close()


def test_an_embedded_folder_is_imported_into_postgresql_once_and_reads_the_same_there(old_folder, postgres):
    from api.audit import AuditLog
    from core.errors import AppError
    from ingestion.catalog import Catalog
    from orientation.decisions import DecisionStore
    from storage.locations import import_sqlite

    source = old_folder.paths.data_dir
    with sqlite3.connect(source / "db" / "catalog.sqlite") as conn:
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    with sqlite3.connect(source / "db" / "decisions.sqlite") as conn:
        proposal_id, = conn.execute("SELECT id FROM proposals").fetchone()
    target = Settings(paths={"data_dir": source}, state={"url": postgres.new_database()})
    copied = import_sqlite(target, source)
    assert copied["pages"] == pages and copied["decisions"] == 2 and copied["users"] == 2
    with pytest.raises(AppError, match="déjà"):
        import_sqlite(target, source)

    cat = Catalog(target.state.url)
    assert sum(len(cat.pages(d.id)) for d in cat.documents(KEY)) == pages
    cat.close()
    decisions = DecisionStore(target.state.url)
    last = decisions.current(proposal_id)
    new = decisions.decide(proposal_id, "reject", "mme.x", reason="Erreur de personne", supersedes=last["seq"])
    assert new["seq"] == last["seq"] + 1  # numbering continues after the imported decisions
    decisions.close()
    audit = AuditLog.from_settings(target)  # same checkpoints file: the imported chain still verifies
    assert audit.verify()["ok"]
    audit.record("mme.x", "dossier.read", KEY)
    assert audit.verify() | {"checkpoints": 0} == {"ok": True, "entries": 2, "broken_at": None, "checkpoints": 0,
                                                   "reason": None}
    audit.close()
