"""Contracts of the state stores other than the catalog (jobs, accounts, drafts, decisions, audit), each run on a
SQLite file and on the real PostgreSQL: values round-trip, dossiers and juridictions stay apart, deletion removes
everything of one dossier and nothing else, and two processes writing at once lose nothing."""
from __future__ import annotations

import multiprocessing

import pytest

from api.audit import AuditLog
from api.auth import TokenStore
from api.jobs import JobStore
from core import protocols
from core.errors import Conflict, NotFound, Unauthorized
from core.models import Citation
from generation.drafting import Draft, Section, Sentence
from generation.store import DraftStore
from orientation.decisions import DecisionStore
from tests.contracts import state_workers

A, B = "tjparis~X-1", "tjcreteil~X-1"
KEY = state_workers.KEY


@pytest.fixture
def jobs(state_location, tmp_path):
    store = JobStore(state_location, tmp_path / "uploads")
    yield store
    store.close()


@pytest.fixture
def tokens(state_location):
    store = TokenStore(state_location)
    yield store
    store.close()


@pytest.fixture
def drafts(state_location):
    store = DraftStore(state_location)
    yield store
    store.close()


@pytest.fixture
def decisions(state_location):
    store = DecisionStore(state_location)
    yield store
    store.close()


@pytest.fixture
def audit(state_location, tmp_path):
    log = AuditLog(state_location, KEY, str(tmp_path / "checkpoints.jsonl"))
    yield log
    log.close()


def test_every_store_satisfies_its_protocol(jobs, tokens, drafts, decisions, audit):
    assert isinstance(jobs, protocols.JobStore) and isinstance(tokens, protocols.TokenStore)
    assert isinstance(drafts, protocols.DraftStore) and isinstance(decisions, protocols.DecisionStore)
    assert isinstance(audit, protocols.AuditLog)


def test_stores_share_one_database_when_given_one_url(jobs, tokens, drafts, decisions, audit):
    # all five on the same location (one SQLite file, or one PostgreSQL database): tables do not collide
    jobs.create(A, "TJ Paris", "mme.x")
    tokens.add("mme.x", "magistrat", "TJ Paris")
    decisions.save_proposal({"id": "p", "dossier": A})
    audit.record("mme.x", "lecture", A)
    assert len(jobs.for_dossier(A)) == 1 and len(tokens.list()) == 1 and decisions.proposal("p")["dossier"] == A
    assert len(audit.entries()) == 1


# jobs ---------------------------------------------------------------------------------------------------------
def test_job_values_round_trip_and_progress_and_report_keep_french_text(jobs):
    job_id, folder = jobs.create(A, "TJ Paris", "mme.x", options={"on_conflict": "version"})
    assert folder.is_dir()
    job = jobs.get(job_id)
    assert (job["dossier"], job["juridiction"], job["actor"], job["state"], job["progress"], job["report"]) == (
        A, "TJ Paris", "mme.x", "queued", {}, None)
    assert jobs.options(job_id) == {"on_conflict": "version"}
    jobs.update(job_id, "done_with_errors", {"files": 2, "errors": [{"error": "Fichier chiffré « D3 »"}]},
                {"failed": 1})
    job = jobs.get(job_id)
    assert job["state"] == "done_with_errors" and job["report"] == {"failed": 1}
    assert job["progress"]["errors"][0]["error"] == "Fichier chiffré « D3 »"
    assert job["updated"] >= job["created"]
    with pytest.raises(NotFound):
        jobs.get("absent")


def test_jobs_are_listed_per_dossier_newest_first_and_unfinished_ones_oldest_first(jobs):
    ids = [jobs.create(A, "TJ Paris", "m")[0] for _ in range(3)]
    other = jobs.create(B, "TJ Créteil", "m")[0]
    jobs.update(ids[1], "done")
    assert [j["id"] for j in jobs.for_dossier(A)] == ids[::-1]
    assert [j["id"] for j in jobs.for_dossier(A, limit=2)] == ids[:0:-1]
    assert [j["id"] for j in jobs.for_dossier(B)] == [other]
    assert [j["id"] for j in jobs.unfinished()] == [ids[0], ids[2], other]
    assert jobs.active(A) and jobs.active(B)
    for i in (0, 2):
        jobs.update(ids[i], "failed")
    assert not jobs.active(A) and jobs.active(B)


def test_a_job_is_claimed_once_and_progress_counters_add_up(jobs):
    job_id = jobs.create(A, "TJ Paris", "m")[0]
    assert jobs.claim(job_id) and not jobs.claim(job_id)
    assert jobs.get(job_id)["state"] == "running"
    assert not jobs.claim("absent")
    jobs.add_progress(job_id, {"pages": 3, "ocr_pages": 1}, files=2)
    got = jobs.add_progress(job_id, {"pages": 2}, [{"file": "d2.pdf", "error": "Page illisible"}])
    assert got == {"pages": 5, "ocr_pages": 1, "files": 2, "errors": [{"file": "d2.pdf", "error": "Page illisible"}]}
    assert jobs.get(job_id)["progress"] == got
    with pytest.raises(NotFound):
        jobs.add_progress("absent", {"pages": 1})


def test_deleting_a_dossiers_jobs_removes_their_rows_and_folders_only(jobs):
    mine, folder = jobs.create(A, "TJ Paris", "m")
    (folder / "f.pdf").write_bytes(b"%PDF")
    theirs, their_folder = jobs.create(B, "TJ Créteil", "m")
    assert jobs.delete_dossier(A) == 1
    assert not folder.exists() and their_folder.exists()
    with pytest.raises(NotFound):
        jobs.get(mine)
    assert jobs.get(theirs)["dossier"] == B and jobs.for_dossier(A) == []


# accounts -----------------------------------------------------------------------------------------------------
def test_a_token_authenticates_its_user_only_and_a_reset_revokes_the_old_token(tokens):
    first = tokens.add("mme.x", "magistrat", "TJ Paris")
    other = tokens.add("m.y", "greffier", "TJ Créteil")
    user = tokens.authenticate(first)
    assert (user.name, user.role, user.juridiction) == ("mme.x", "magistrat", "TJ Paris")
    assert tokens.authenticate(other).juridiction == "TJ Créteil"
    second = tokens.add("mme.x", "magistrat", "TJ Meaux")
    with pytest.raises(Unauthorized):
        tokens.authenticate(first)
    assert tokens.authenticate(second).juridiction == "TJ Meaux"
    assert tokens.list() == [{"name": "m.y", "role": "greffier", "juridiction": "TJ Créteil"},
                             {"name": "mme.x", "role": "magistrat", "juridiction": "TJ Meaux"}]
    with pytest.raises(Unauthorized):
        tokens.authenticate("map_inconnu")


# drafts -------------------------------------------------------------------------------------------------------
def _draft(dossier: str, draft_id: str, text: str = "Le prévenu a reconnu les faits (D3 p.2).") -> Draft:
    cite = Citation(cote="D3", page=2, chunk_id="c:0003", quote="j'ai bu deux verres")
    draft = Draft("synthese", dossier, [Section("Faits", [Sentence(text, [cite], "supported")])], [{"text": "x"}],
                  "extractif", {"name": "rediger_section", "version": 2}, ["dossier incomplet"], {"total_s": 1.5},
                  [{"id": "E1", "text": "j'ai bu deux verres"}], pieces=[{"cote": "D3", "type": "audition"}])
    draft.id = draft_id
    return draft


def test_a_draft_round_trips_with_its_citations_and_owner(drafts):
    made = _draft(A, "d1")
    drafts.save(made, "TJ Paris", "2026-12-01T10:00:00+00:00")
    again = drafts.get("d1")
    assert again.to_dict() == made.to_dict() and again.evidence == made.evidence
    assert again.sections[0].sentences[0].citations[0] == made.sections[0].sentences[0].citations[0]
    assert drafts.owner("d1") == (A, "TJ Paris", "2026-12-01T10:00:00+00:00")
    drafts.save(_draft(A, "d1", "Texte révisé (D3 p.2)."), "TJ Paris", "2026-12-01T10:00:00+00:00")  # idempotent id
    assert drafts.get("d1").sections[0].sentences[0].text == "Texte révisé (D3 p.2)."
    with pytest.raises(NotFound):
        drafts.get("absent")
    with pytest.raises(NotFound):
        drafts.owner("absent")


def test_deleting_a_dossiers_drafts_returns_their_ids_and_keeps_the_others(drafts):
    for i, dossier in enumerate((A, A, B)):
        drafts.save(_draft(dossier, f"d{i}"), "TJ Paris" if dossier == A else "TJ Créteil")
    assert drafts.delete_dossier(A) == ["d0", "d1"]
    with pytest.raises(NotFound):
        drafts.get("d0")
    assert drafts.owner("d2") == (B, "TJ Créteil", None)


# decisions ----------------------------------------------------------------------------------------------------
def test_a_proposal_is_kept_once_and_decisions_form_a_history_with_one_current(decisions):
    decisions.save_proposal({"id": "p1", "dossier": A, "orientation": {"code": "CRPC"}})
    decisions.save_proposal({"id": "p1", "dossier": A, "orientation": {"code": "autre"}})
    assert decisions.proposal("p1")["orientation"] == {"code": "CRPC"}
    first = decisions.decide("p1", "accept", "mme.x")
    with pytest.raises(Conflict):
        decisions.decide("p1", "reject", "m.y", reason="Antécédents")
    second = decisions.decide("p1", "modify", "m.y", {"requisitions.fine_eur": 300}, "Ressources faibles",
                              supersedes=first["seq"])
    history = decisions.decisions("p1")
    assert [h["seq"] for h in history] == [first["seq"], second["seq"]] and second["seq"] > first["seq"]
    assert history[0]["superseded_by"] == second["seq"] and not history[0]["current"] and history[1]["current"]
    assert history[1]["changes"] == {"requisitions.fine_eur": 300} and history[1]["reason"] == "Ressources faibles"
    assert decisions.current("p1")["decided_by"] == "m.y"
    with pytest.raises(NotFound):
        decisions.decide("absent", "accept", "m")


def test_deleting_a_dossiers_proposals_and_decisions_keeps_another_dossiers(decisions):
    for pid, dossier in (("pa", A), ("pb", B)):
        decisions.save_proposal({"id": pid, "dossier": dossier})
        decisions.decide(pid, "accept", "m")
    assert decisions.delete_dossier(A) == {"proposals": 1, "decisions": 1}
    with pytest.raises(NotFound):
        decisions.proposal("pa")
    assert decisions.decisions("pa") == [] and len(decisions.decisions("pb")) == 1


def test_the_database_refuses_to_rewrite_a_decision_or_an_audit_entry(decisions, audit):
    from sqlalchemy import text

    decisions.save_proposal({"id": "p", "dossier": A})
    decisions.decide("p", "accept", "m")
    audit.record("m", "lecture", A)
    for store, sql in ((decisions, "UPDATE decisions SET action='reject'"), (decisions, "DELETE FROM decisions"),
                       (audit, "UPDATE audit_log SET actor='x'"), (audit, "DELETE FROM audit_log")):
        with pytest.raises(Exception, match="append-only"), store.write() as conn:
            conn.execute(text(sql))
    assert decisions.current("p")["action"] == "accept" and audit.verify()["ok"]


# audit --------------------------------------------------------------------------------------------------------
def test_audit_entries_chain_and_verify_and_filter_per_dossier_newest_first(audit):
    for i in range(3):
        audit.record("mme.x", f"lecture.{i}", "R-1", juridiction="TJ Paris", page=i)
    audit.record("m.y", "lecture", "R-2")
    audit.record("m.y", "lecture", A)  # an internal key: the typed id is shown, the key kept in the details
    assert [e["action"] for e in audit.entries("R-1")] == ["lecture.2", "lecture.1", "lecture.0"]
    assert [e["dossier"] for e in audit.entries("R-2")] == ["R-2"]
    assert audit.entries("R-1", limit=1)[0]["details"] == {"juridiction": "TJ Paris", "page": 2}
    assert audit.entries("X-1")[0]["details"] == {"dossier_key": A}
    result = audit.verify()
    assert result["ok"] and result["entries"] == 5 and result["checkpoints"] == 5


# two processes at once ----------------------------------------------------------------------------------------
def test_two_processes_claim_each_job_once_sum_progress_decide_once_and_keep_one_audit_chain(
        state_location, jobs, decisions, audit, tmp_path):
    job_ids = [jobs.create(A, "TJ Paris", "m")[0] for _ in range(6)]
    decisions.save_proposal({"id": "race", "dossier": A})
    ctx = multiprocessing.get_context("spawn")
    queue, barrier = ctx.Queue(), ctx.Barrier(2)
    rounds = 8
    args = (state_location, tmp_path / "uploads", str(tmp_path / "checkpoints.jsonl"))
    procs = [ctx.Process(target=state_workers.jobs_decisions_audit, args=(*args, w, job_ids, rounds, queue, barrier))
             for w in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=90) for _ in procs]
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0]
    claimed = [j for r in results for j in r["claimed"]]
    assert sorted(claimed) == sorted(job_ids)  # each job claimed exactly once
    for job_id in job_ids:
        progress = jobs.get(job_id)["progress"]
        assert progress["pages"] == 2 * rounds and len(progress["errors"]) == 2 * rounds
    assert sum(r["decided"] for r in results) == 1 and len(decisions.decisions("race")) == 1
    check = audit.verify()
    assert check["ok"], check
    assert check["entries"] == 2 * rounds
