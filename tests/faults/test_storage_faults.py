"""The data folder under stress: two writers, a kill during store creation, catalog/store disagreement, a full
disk. The real CLI in child processes on the embedded Qdrant engine (hash embedder)."""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.faults.conftest import PV, cli, env_for, write_text_piece


def _pieces(folder: Path, n: int = 3, size_kb: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, n + 1):
        filler = "\n".join(f"Ligne de procédure {j} du procès-verbal {i}." for j in range(size_kb * 20))
        write_text_piece(folder / f"D{i}_pv.pdf", PV.format(plate=f"AB-{100 + i}-CD") + "\n" + filler)
    return folder


def _stored(data: Path) -> int:
    db = data / "db" / "catalog.sqlite"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM documents WHERE status='stored'").fetchone()[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_second_writer_gets_a_french_error_and_changes_nothing(tmp_path):
    data = tmp_path / "var"
    env = env_for(data)
    pieces = _pieces(tmp_path / "in")
    assert cli(["ingest", str(pieces), "--dossier", "d1", "--json"], env).returncode == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start")
        other = _pieces(tmp_path / "other")
        writer = cli(["ingest", str(other), "--dossier", "d2", "--json"], env, label="deuxième écrivain (ingest)")
        assert writer.returncode == 2 and "déjà utilisé par un autre programme" in writer.stderr
        assert "serve" in writer.stderr and "Rien n'a été modifié" in writer.stderr
        reader = cli(["search", "AB-101-CD", "--dossier", "d1", "--json"], env)
        assert reader.returncode == 2 and "passez par le serveur" in reader.stderr
        second_server = cli(["serve", "--port", str(_free_port())], env, timeout=60)
        assert second_server.returncode == 2 and "déjà utilisé" in second_server.stderr
        browse = cli(["documents", "--dossier", "d1"], env)
        assert browse.returncode == 0 and "D1_pv.pdf" in browse.stdout  # read-only browsing still works
        assert _stored(data) == 3
        assert httpx.get(f"http://127.0.0.1:{port}/api/ready", timeout=10).json()["ready"] is True
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    assert cli(["ingest", str(other), "--dossier", "d2", "--json"], env).returncode == 0
    assert _stored(data) == 6


def _scans(folder: Path, n: int) -> Path:
    from PIL import Image, ImageDraw, ImageFont

    folder.mkdir(parents=True)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    for i in range(1, n + 1):
        img = Image.new("L", (1700, 2200), 255)
        ImageDraw.Draw(img).text((120, 200), f"PROCÈS-VERBAL DE PERQUISITION numéro {i}", fill=0, font=font)
        img.save(folder / f"D{i}_scan.png")
    return folder


def test_two_ingestions_at_once_one_runs_the_other_is_refused_whole(tmp_path):
    data = tmp_path / "var"
    env = env_for(data)
    first = subprocess.Popen([sys.executable, "-m", "api.cli", "ingest", str(_scans(tmp_path / "a", 4)),
                              "--dossier", "a", "--json"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    lock = data / "owner.lock"
    for _ in range(600):
        if lock.exists() and lock.read_text():
            break
        time.sleep(0.05)
    second = cli(["ingest", str(_pieces(tmp_path / "b")), "--dossier", "b", "--json"], env,
                 label="deux ingestions simultanées (la seconde)")
    overlapped = first.poll() is None
    out, err = first.communicate(timeout=180)
    assert overlapped, "the first ingestion ended before the second started: nothing was tested"
    assert second.returncode == 2 and "déjà utilisé" in second.stderr, second.stderr
    assert first.returncode == 0, err
    assert json.loads(out)["totals"]["stored"] == 4 and _stored(data) == 4


def test_a_kill_during_store_creation_never_bricks_the_folder(tmp_path):
    data = tmp_path / "var"
    env = env_for(data)
    shard = data / "qdrant-edge" / "dossiers"
    create = ("import sys; from pathlib import Path; from retrieval.stores.edge import EdgeStore; "
              "print('go', flush=True); EdgeStore(Path(sys.argv[1])).ensure_collection('hash-fake', 384)")
    for delay in (0.0, 0.05, 0.15, 0.3):
        proc = subprocess.Popen([sys.executable, "-c", create, str(shard)], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        (shard.with_suffix(".meta.json")).unlink(missing_ok=True)  # as if the kill came before the metadata
    # and the state the old code left behind: segment data in place, no metadata (a kill that came after the
    # creation had finished, its metadata removed above, is that state already)
    if not shard.exists():
        subprocess.run([sys.executable, "-c", "import sys, qdrant_edge as qe; qe.EdgeShard.create(sys.argv[1], "
                        "qe.EdgeConfig(vectors={'dense': qe.EdgeVectorParams(size=4, distance=qe.Distance.Cosine)}))",
                        str(shard)], check=True, env=env, cwd=ROOT)
    doctor = cli(["doctor"], env)
    assert "création interrompue" in doctor.stdout
    run = cli(["ingest", str(_pieces(tmp_path / "in")), "--dossier", "k", "--json"], env,
              label="kill -9 pendant la création de la base, puis ingest")
    assert run.returncode == 0, run.stderr
    assert run.report["totals"]["stored"] == 3
    assert not shard.with_name("dossiers.creating").exists()


def test_doctor_reports_and_repair_fixes_catalog_store_disagreement(tmp_path):
    data = tmp_path / "var"
    env = env_for(data)
    assert cli(["ingest", str(_pieces(tmp_path / "in")), "--dossier", "r", "--json"], env).returncode == 0
    damage = ("import sys; from pathlib import Path; from core.settings import Settings; "
              "from api.services import Services; from core.ids import dossier_key; sv = Services(Settings()); "
              "key = dossier_key('TJ Paris', 'r'); "
              "docs = sv.catalog.documents(key); sv.store.delete_document(key, docs[0].id); "
              "docs[1].status = type(docs[1].status)('embedded'); sv.catalog.save_document(docs[1]); "
              "(sv.ingestor.originals / '.x.123.tmp').write_bytes(b'partial'); sv.close()")
    subprocess.run([sys.executable, "-c", damage], env=env, cwd=ROOT, check=True)
    report = cli(["doctor"], env)
    assert report.returncode == 1
    for words in ("désaccord", "ingestion interrompue", "copie(s) temporaire(s)"):
        assert words in report.stdout, report.stdout
    repaired = cli(["doctor", "--repair"], env)
    assert repaired.returncode == 0, repaired.stdout
    clean = cli(["doctor"], env)
    assert clean.returncode == 0 and "aucun écart" in clean.stdout, clean.stdout
    again = cli(["ingest", str(tmp_path / "in"), "--dossier", "r", "--json"], env)
    assert again.returncode == 0 and again.report["totals"]["stored"] == 3


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("tmpfs mount refused here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(mnt: Path, leave_mb: float) -> Path:
    ballast = mnt / "ballast"
    free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
    with open(ballast, "wb") as fh:
        fh.truncate(0)
        remaining = int(free - leave_mb * 1e6)
        block = b"\0" * (1 << 20)
        while remaining > 0:
            fh.write(block[: min(len(block), remaining)])
            remaining -= len(block)
    return ballast


def _big_pdf(path: Path) -> Path:
    """A native-text PDF carrying a 3 MB incompressible photo (no OCR needed)."""
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3)).save(buf, format="JPEG", quality=95)
    c = canvas.Canvas(str(path))
    c.drawString(56, 800, "Procès-verbal de constatations photographiques du véhicule EF-901-GH.")
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 56, 200, 480, 480)
    c.showPage()
    c.save()
    return path


def test_disk_full_is_a_french_error_nothing_half_written_and_a_retry_recovers(small_disk, tmp_path):
    data = small_disk / "var"
    env = env_for(data)
    pieces = _pieces(tmp_path / "in", 3, 40)
    first = tmp_path / "first"
    first.mkdir()
    write_text_piece(first / "D50_pv.pdf", PV.format(plate="XY-500-ZT"))
    assert cli(["ingest", str(first), "--dossier", "disk", "--json"], env).returncode == 0
    ballast = _fill(small_disk, 40)  # below ingestion.min_free_mb (64)
    full = cli(["ingest", str(pieces), "--dossier", "disk", "--json"], env, label="disque plein (tmpfs, 40 Mo libres)")
    assert full.returncode == 2 and "Espace disque insuffisant" in full.stderr and "libérez" in full.stderr
    reader = cli(["search", "AB-101-CD", "--dossier", "disk", "--json"], env)
    assert reader.returncode == 2 and "Espace disque insuffisant" in reader.stderr  # not SIGBUS
    assert _stored(data) == 1
    ballast.unlink()
    ballast = _fill(small_disk, 66)  # the store opens, but the files would leave less than the floor
    per_file = cli(["ingest", str(pieces), "--dossier", "disk", "--json"], env,
                   label="disque presque plein (66 Mo libres, fichiers refusés un à un)")
    assert per_file.returncode == 1, per_file.stderr
    for doc in per_file.report["documents"]:
        assert doc["status"] == "failed" and doc["error_code"] == "disque_plein" and "libérez" in doc["error"]
    assert _stored(data) == 1
    assert not [p for p in (data / "originals").iterdir() if p.name.startswith(".")]
    # past the check, the disk fills for real: the copy fails cleanly, nothing half-written under the real name
    big = tmp_path / "big"
    big.mkdir()
    _big_pdf(big / "D9_gros.pdf")
    tight = env_for(data, MAP_INGESTION__MIN_FREE_MB="0")
    ballast.unlink()
    ballast = _fill(small_disk, 1)
    real_full = cli(["ingest", str(big), "--dossier", "disk", "--json"], tight, timeout=120,
                    label="disque réellement plein (ENOSPC pendant la copie, 1 Mo libre)")
    assert real_full.returncode == 1, real_full.stderr
    doc = real_full.report["documents"][0]
    assert doc["error_code"] == "disque_plein" and "libérez" in doc["error"], doc
    from core.ids import sha256_file
    from ingestion.safety import atomic_copy, is_disk_full

    sha = sha256_file(str(big / "D9_gros.pdf"))
    with pytest.raises(OSError) as err:  # the copy itself on a disk that is really full
        atomic_copy(big / "D9_gros.pdf", data / "originals" / sha, sha)
    assert is_disk_full(err.value)
    assert not [p for p in (data / "originals").iterdir() if p.name.startswith(".") or p.name == sha]
    ballast.unlink()
    retry = cli(["ingest", str(pieces), "--dossier", "disk", "--json"], env, label="reprise après libération")
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert retry.report["totals"]["stored"] == 3 and _stored(data) == 4
    again = cli(["ingest", str(big), "--dossier", "disk", "--json"], env)
    assert again.returncode == 0 and again.report["documents"][0]["status"] == "stored"
    assert cli(["doctor"], env).returncode == 0
