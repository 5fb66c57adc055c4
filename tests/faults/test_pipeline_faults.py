"""Faults inside one run, in-process with fast fakes: nothing lost, every failure a French reason per file."""
from __future__ import annotations

import time

import pytest

from core.protocols import SearchFilter
from tests.faults import nasty
from tests.faults.conftest import PV, cli, env_for, write_text_piece


def _by(report) -> dict:
    return {d.file: d for d in report.documents}


def test_a_photo_board_keeps_its_captions_and_the_plate_is_found(fake_services, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    nasty.photo_board(folder / "D20_planche.pdf", pages=40, plate="FK-325-PM")
    report = fake_services.ingestor.ingest([folder], "photos")
    doc = _by(report)["D20_planche.pdf"]
    assert doc.status == "stored" and doc.chunks >= 40, doc
    hits = fake_services.search.search("FK-325-PM", SearchFilter(dossier_id="photos"), 3)
    assert hits and "FK-325-PM" in hits[0].chunk.text and hits[0].chunk.cote == "D20"
    page = fake_services.catalog.page(doc.document_id, 7)
    assert "PLANCHE PHOTOGRAPHIQUE" in page.header  # the real running header is still set apart


def test_running_header_detection_spares_identifiers_but_not_page_counters():
    from core.sentences import detect_running_lines

    pages = [f"TRIBUNAL JUDICIAIRE DE PARIS\nAudition n° {i}\ntexte {i}\nScellé n° {(i * 37) % 11}\nPage {i}/9"
             for i in range(1, 10)]
    running = detect_running_lines(pages)
    assert "tribunal judiciaire de paris" in running and "page #/#" in running
    assert "audition n° #" in running  # moves with the page: a counter
    assert "scellé n° #" not in running  # varies otherwise: an identifier
    plates = [f"EN-TÊTE\nVéhicule AB-123-CD\ncorps {i}" for i in range(5)]
    assert "véhicule ab-#-cd" not in detect_running_lines(plates)


def test_a_document_with_text_but_no_chunk_is_an_error_not_a_success(fake_services, tmp_path, monkeypatch):
    import ingestion.pipeline as pipeline

    write_text_piece(tmp_path / "D1_pv.pdf", PV.format(plate="GH-512-JK"))
    monkeypatch.setattr(pipeline, "chunk_page", lambda *a, **k: [])
    doc = fake_services.ingestor.ingest([tmp_path / "D1_pv.pdf"], "zero").documents[0]
    assert doc.status == "failed" and doc.error_code == "aucun_extrait" and "texte" in doc.error


def test_a_file_changed_once_while_read_is_read_again_and_stored_whole(fake_services, tmp_path, monkeypatch):
    import ingestion.pipeline as pipeline

    target = write_text_piece(tmp_path / "D2_pv.pdf", PV.format(plate="AA-111-AA"))
    final = write_text_piece(tmp_path / "final.pdf", PV.format(plate="ZZ-999-ZZ")).read_bytes()
    real, calls = pipeline.fingerprint, []

    def changing(path):
        result = real(path)
        calls.append(path)
        if len(calls) == 1:  # the writer finishes its write right after our first read
            target.write_bytes(final)
        return result

    monkeypatch.setattr(pipeline, "fingerprint", changing)
    doc = fake_services.ingestor.ingest([target], "change").documents[0]
    assert doc.status == "stored" and len(calls) == 2
    text = fake_services.catalog.pages(doc.document_id)[0].text
    assert "ZZ-999-ZZ" in text and "AA-111-AA" not in text  # the final version, never a mix


def test_a_file_that_keeps_changing_fails_with_a_reason(fake_services, tmp_path, monkeypatch):
    import ingestion.pipeline as pipeline

    target = write_text_piece(tmp_path / "D3_pv.pdf", PV.format(plate="AA-111-AA"))
    real, n = pipeline.fingerprint, [0]

    def always_changing(path):
        result = real(path)
        n[0] += 1
        target.write_bytes(target.read_bytes() + f"\n% {n[0]}".encode())
        return result

    monkeypatch.setattr(pipeline, "fingerprint", always_changing)
    doc = fake_services.ingestor.ingest([target], "change").documents[0]
    assert doc.status == "failed" and doc.error_code == "fichier_modifie" and "changé pendant sa lecture" in doc.error
    assert not list(fake_services.ingestor.originals.iterdir())  # no partial copy kept under any name


def test_an_unexpected_exception_fails_that_file_only(fake_services, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    write_text_piece(folder / "D1_a.pdf", PV.format(plate="AA-111-AA"))
    write_text_piece(folder / "D2_b.pdf", PV.format(plate="BB-222-BB"))
    store, real = fake_services.store, fake_services.store.upsert
    calls = []

    def flaky(points):
        calls.append(points)
        if len(calls) == 1:
            raise RuntimeError("segment is shorter than expected")
        real(points)

    monkeypatch.setattr(store, "upsert", flaky)
    report = fake_services.ingestor.ingest([folder], "flaky")
    by = _by(report)
    assert by["D1_a.pdf"].status == "failed" and "RuntimeError" in by["D1_a.pdf"].error
    assert "les autres fichiers sont traités" in by["D1_a.pdf"].error
    assert by["D2_b.pdf"].status == "stored" and report.totals()["stored"] == 1


def test_two_files_with_one_cote_in_one_run_the_second_is_an_error(fake_services, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_text_piece(folder / "D1_premier.pdf", PV.format(plate="AA-111-AA"))
    write_text_piece(folder / "D1_second.pdf", PV.format(plate="BB-222-BB"))
    report = fake_services.ingestor.ingest([folder], "collision")
    by = _by(report)
    assert by["D1_premier.pdf"].status == "stored"
    assert by["D1_second.pdf"].error_code == "cote_en_double" and "D1_premier.pdf" in by["D1_second.pdf"].error
    assert report.totals()["stored"] == 1
    assert fake_services.store.count(SearchFilter(dossier_id="collision", cotes=["D1"])) == by["D1_premier.pdf"].chunks


def _two_versions(tmp_path):
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    v1.mkdir()
    v2.mkdir()
    write_text_piece(v1 / "D3_pv.pdf", PV.format(plate="AA-111-AA"))
    write_text_piece(v2 / "D3_pv.pdf", PV.format(plate="ZZ-999-ZZ"))
    return v1, v2


def _plates(sv, dossier):
    return {p for p in ("AA-111-AA", "ZZ-999-ZZ")
            if any(p in h.chunk.text for h in sv.search.search(p, SearchFilter(dossier_id=dossier), 5))}


def test_same_cote_across_runs_asks_then_cancel_version_or_replace(fake_services, tmp_path):
    sv = fake_services
    v1, v2 = _two_versions(tmp_path)
    sv.ingestor.ingest([v1], "ver")
    asked = sv.ingestor.ingest([v2], "ver").documents[0]
    assert asked.status == "failed" and asked.error_code == "cote_en_conflit" and "D3" in asked.error
    assert sv.ingestor.conflicts([v2], "ver")[0]["cote"] == "D3"
    assert _plates(sv, "ver") == {"AA-111-AA"}
    cancelled = sv.ingestor.ingest([v2], "ver", on_conflict="cancel").documents[0]
    assert cancelled.status == "cancelled" and _plates(sv, "ver") == {"AA-111-AA"}
    kept = sv.ingestor.ingest([v2], "ver", on_conflict="version").documents[0]
    assert kept.status == "stored" and kept.version == 2 and _plates(sv, "ver") == {"AA-111-AA", "ZZ-999-ZZ"}
    assert sv.catalog.document_for_cote("ver", "D3").version == 2


def test_replace_keeps_the_old_version_retrievable_and_applies_retention(fake_services, tmp_path):
    sv = fake_services
    v1, v2 = _two_versions(tmp_path)
    old = sv.ingestor.ingest([v1], "rep").documents[0]
    sv.settings.ingestion.replaced_originals = "delete"
    new = sv.ingestor.ingest([v2], "rep", on_conflict="replace").documents[0]
    assert new.status == "stored" and new.version == 2 and any("version 1" in w for w in new.warnings)
    assert _plates(sv, "rep") == {"ZZ-999-ZZ"}
    previous = sv.catalog.document_for_cote("rep", "D3", version=1)
    assert previous.id == old.document_id and previous.status == "replaced" and previous.replaced_by == new.document_id
    assert "AA-111-AA" in sv.catalog.page(previous.id, 1).text  # retrievable text
    assert not (sv.ingestor.originals / previous.sha256).exists()  # original deleted per the retention setting
    assert sv.ingestor.verify("rep")["missing"] == [] and sv.ingestor.verify("rep")["extra"] == []


def test_a_failed_new_version_leaves_the_old_one_current_and_says_so(fake_services, tmp_path):
    from core.ids import dossier_key

    sv = fake_services
    key = dossier_key("TJ Paris", "fail")  # the CLI's --dossier fail with its default juridiction
    v1, v2 = _two_versions(tmp_path)
    sv.ingestor.ingest([v1], key)
    good = (v2 / "D3_pv.pdf").read_bytes()
    (v2 / "D3_pv.pdf").unlink()
    (v2 / "D3_a_nouveau.pdf").write_bytes(good[: len(good) // 3])  # truncated new version, listed first
    doc = sv.ingestor.ingest([v2], key, on_conflict="replace").documents[0]
    assert doc.status == "failed" and any("reste en vigueur" in w for w in doc.warnings)
    current = sv.catalog.document_for_cote(key, "D3")
    assert "AA-111-AA" in sv.catalog.page(current.id, 1).text
    shown = cli(["page", "--dossier", "fail", "--cote", "D3", "--page", "1"], env_for(sv.settings.paths.data_dir))
    assert shown.returncode == 0 and "AA-111-AA" in shown.stdout  # the CLI reads the stored version, read-only


def test_the_per_file_time_budget_stops_a_files_embedding_with_its_setting_named(fake_services, tmp_path,
                                                                                monkeypatch):
    """Past its budget a file's dense vectors stop; its pages stay searchable by BM25 (stage 1 is done)."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_text_piece(folder / "D1_long.pdf", "\n\n".join(PV.format(plate=f"AB-{i:03d}-CD") for i in range(200)))
    write_text_piece(folder / "D2_court.pdf", PV.format(plate="GH-512-JK"))
    sv = fake_services
    sv.settings.ingestion.file_time_budget_s = 1.5
    sv.settings.embedding.batch_size = 2
    real = sv.embedder.embed_passages

    def slow(texts):
        time.sleep(0.1)
        return real(texts)

    monkeypatch.setattr(sv.embedder, "embed_passages", slow)
    by = _by(sv.ingestor.ingest([folder], "budget"))
    assert by["D1_long.pdf"].status == "stored"
    assert any("file_time_budget_s" in w and "plein texte" in w for w in by["D1_long.pdf"].warnings)
    assert by["D2_court.pdf"].status == "stored" and not by["D2_court.pdf"].warnings
    assert sv.store.count(SearchFilter(dossier_id="budget", cotes=["D1"], embedded=False)) > 0
    assert sv.store.count(SearchFilter(dossier_id="budget", cotes=["D2"], embedded=False)) == 0
    hits = sv.search.search("AB-150-CD", SearchFilter(dossier_id="budget"), k=1)
    assert hits[0].chunk.cote == "D1" and "AB-150-CD" in hits[0].chunk.text


@pytest.mark.parametrize("kind", ["zip", "pdf"])
def test_bomb_checks_read_with_bounded_memory(tmp_path, kind):
    import resource

    from ingestion.safety import LimitExceeded, check_pdf_streams, check_zip

    path = tmp_path / "bomb"
    (nasty.docx_bomb if kind == "zip" else nasty.pdf_stream_bomb)(path, 300)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LimitExceeded):
        check_zip(path, 300, 200) if kind == "zip" else check_pdf_streams(path, 256, 10**8)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 * 1024
