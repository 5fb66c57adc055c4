"""Every kind of case-file document, bad input, crash and resume — with the real engine and models."""
from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from core.protocols import SearchFilter
from core.settings import Settings
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.integration
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    from api.services import Services

    sv = Services(Settings(paths={"data_dir": tmp_path_factory.mktemp("formats")}, llm={"backend": "none"}))
    yield sv
    sv.close()


def _encrypted_pdf(path: Path) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret"))
    c.drawString(100, 700, "Procès-verbal confidentiel")
    c.showPage()
    c.save()


def _pdf_with_javascript(path: Path) -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 700, "Procès-verbal de saisie du véhicule immatriculé QX-404-KT.")
    c.showPage()
    c.save()
    data = buf.getvalue().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    path.write_bytes(data)


def _scan_png(path: Path, lines: list[str]) -> None:
    img = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 40)
    for i, line in enumerate(lines):
        draw.text((120, 200 + i * 70), line, fill=0, font=font)
    img.save(path, dpi=(200, 200))


def test_office_image_text_and_hostile_files_in_one_dossier(services, tmp_path):
    from docx import Document

    folder = tmp_path / "dossier"
    folder.mkdir()
    doc = Document()
    doc.add_paragraph("Procès-verbal d'audition de Mme Léna CASTAGNET, témoin.")
    doc.add_page_break()
    doc.add_paragraph("Elle déclare avoir vu le véhicule immatriculé GH-512-JK quitter les lieux.")
    doc.save(folder / "D7_audition.docx")
    _scan_png(folder / "D8_scan.png", ["PROCÈS-VERBAL DE PERQUISITION", "Découvrons un couteau à cran d'arrêt",
                                       "placé sous scellé numéro 3."])
    (folder / "D9_note.txt").write_text("Note du greffe : la victime a été entendue le 3 mars 2026.", encoding="utf-8")
    (folder / "D10_courriel.eml").write_text(
        "From: greffe@tj.example\nTo: parquet@tj.example\nSubject: Transmission\n\n"
        "Veuillez trouver la copie du rapport d'expertise balistique.\n", encoding="utf-8")
    (folder / "D14_page.html").write_text("<html><body><script>alert(1)</script><p>Main courante : appel "
                                          "anonyme signalant un scooter noir.</p></body></html>", encoding="utf-8")
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["date", "numéro appelé", "relais"])
    wb.active.append(["17/09/2025 19:51", "06 00 00 00 00", "relais 4471"])
    wb.save(folder / "D15_fadettes.xlsx")
    _encrypted_pdf(folder / "D11_chiffre.pdf")
    _pdf_with_javascript(folder / "D12_javascript.pdf")
    (folder / "D13_grand.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3_000_000)
    services.settings.ingestion.max_file_mb = 2
    try:
        report = services.ingestor.ingest([folder], "formats")
    finally:
        services.settings.ingestion.max_file_mb = 200
    by = {d.file: d for d in report.documents}
    assert by["D7_audition.docx"].status == "stored" and by["D7_audition.docx"].pages == 2
    assert by["D8_scan.png"].ocr_pages == 1
    assert by["D9_note.txt"].status == "stored" and by["D10_courriel.eml"].status == "stored"
    assert by["D14_page.html"].status == "stored" and by["D15_fadettes.xlsx"].status == "stored"
    assert "alert" not in services.catalog.pages(by["D14_page.html"].document_id)[0].text
    assert "relais 4471" in services.catalog.pages(by["D15_fadettes.xlsx"].document_id)[0].text
    assert by["D11_chiffre.pdf"].error_code == "pdf_chiffre"
    assert by["D12_javascript.pdf"].status == "stored" and "JavaScript" in " ".join(by["D12_javascript.pdf"].warnings)
    assert by["D13_grand.pdf"].error_code == "fichier_trop_gros"
    hits = services.search.search("GH-512-JK", SearchFilter(dossier_id="formats"), 3)
    assert (hits[0].chunk.cote, hits[0].chunk.page) == ("D7", 2)
    hits = services.search.search("couteau scellé", SearchFilter(dossier_id="formats"), 3)
    assert hits[0].chunk.cote == "D8" and hits[0].chunk.ocr


def test_a_changed_file_with_the_same_cote_replaces_the_old_chunks(services, tmp_path, example_copy):
    folder = example_copy("route-001-margin_zone")
    services.ingestor.ingest([folder], "replace")
    before = services.store.count(SearchFilter(dossier_id="replace", cotes=["D1"]))
    d1 = next(p for p in folder.iterdir() if p.name.startswith("D1_"))
    (tmp_path / "v2").mkdir()
    from docx import Document

    new = Document()
    new.add_paragraph("Procès-verbal rectificatif : le véhicule est une Citroën C3 grise.")
    new.save(tmp_path / "v2" / d1.name.replace(".pdf", ".docx"))
    asked = services.ingestor.ingest([tmp_path / "v2"], "replace")
    assert asked.documents[0].error_code == "cote_en_conflit"
    assert services.store.count(SearchFilter(dossier_id="replace", cotes=["D1"])) == before
    report = services.ingestor.ingest([tmp_path / "v2"], "replace", on_conflict="replace")
    assert report.documents[0].status == "stored" and report.documents[0].version == 2
    hits = services.store.chunk_ids(SearchFilter(dossier_id="replace", cotes=["D1"]))
    assert before >= 1 and len(hits) == 1
    assert any("Remplace" in w for w in report.documents[0].warnings)
    old = services.catalog.document_for_cote("replace", "D1", version=1)
    assert old.status == "replaced" and services.catalog.pages(old.id)


def test_changing_the_embedding_model_requires_an_explicit_reindex(services, tmp_path):
    from core.errors import AppError
    from ingestion.embedders import HashEmbedder
    from ingestion.pipeline import Ingestor

    services.ingestor.ingest([EXAMPLES / "route-001-margin_zone"], "first")
    other = Ingestor(services.settings, services.catalog, services.store, HashEmbedder(), services.sparse)
    with pytest.raises(AppError, match="reindex"):
        other.ingest([EXAMPLES / "route-000-delit_mid"], "mix")


def test_reindex_switches_the_collection_to_the_new_model(tmp_path):
    from api.services import Services
    from ingestion.embedders import HashEmbedder

    sv = Services(Settings(paths={"data_dir": tmp_path}, llm={"backend": "none"}))
    sv.ingestor.ingest([EXAMPLES / "route-001-margin_zone"], "r")
    before = sv.store.chunk_ids(SearchFilter(dossier_id="r"))
    sv.ingestor.embedder = HashEmbedder()
    result = sv.ingestor.reindex()
    assert sv.store.info().embedding_model == "hash-fake" and result["chunks"] == len(before)
    assert sv.store.chunk_ids(SearchFilter(dossier_id="r")) == before
    sv.close()


def test_kill_9_mid_ingestion_then_resume_gives_exactly_a_clean_run(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAP_LLM__BACKEND": "none"}
    folder = EXAMPLES / "instruction-000"
    cmd = [sys.executable, "-m", "api.cli", "ingest", str(folder), "--dossier", "crash", "--json"]
    crashed = {**env, "MAP_PATHS__DATA_DIR": str(tmp_path / "crashed")}
    proc = subprocess.Popen(cmd, env=crashed, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = tmp_path / "crashed" / "db" / "catalog.sqlite"
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    stored = conn.execute("SELECT COUNT(*) FROM documents WHERE status='stored'").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 5:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "ingestion finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 5 <= stored < 22
    subprocess.run(cmd, env=crashed, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(cmd, env={**env, "MAP_PATHS__DATA_DIR": str(tmp_path / "clean")}, cwd=ROOT, check=True,
                   capture_output=True)
    from api.services import Services
    from core.ids import dossier_key

    key = dossier_key("TJ Paris", "crash")  # what the CLI's --dossier crash is stored under
    ids = []
    for name in ("crashed", "clean"):
        sv = Services(Settings(paths={"data_dir": tmp_path / name}, llm={"backend": "none"}))
        ids.append(sv.store.chunk_ids(SearchFilter(dossier_id=key)))
        assert sv.ingestor.verify(key)["missing"] == []
        sv.close()
    assert ids[0] == ids[1] and len(ids[0]) > 50


def test_sentence_transformers_embedder_with_the_bundled_model():
    from ingestion.embedders import SentenceTransformerEmbedder, bundled_st_model_path

    emb = SentenceTransformerEmbedder(bundled_st_model_path())
    vecs = emb.embed_passages(["Le conducteur a bu.", "Perquisition au domicile."])
    q = emb.embed_query("alcool au volant")
    assert emb.dimension == 384 and len(vecs) == 2 and len(q) == 384
