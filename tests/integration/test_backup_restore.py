"""deploy/RUNBOOK.md's PostgreSQL and originals procedure, run for real: a dossier ingested with its state on the
test PostgreSQL server, deploy/backup.sh (pg_dump + files with SHA-256 sums), the database dropped and the files
deleted, deploy/restore.sh (checksums verified, pg_restore): every row of every table and every file come back,
the dossier reads as before; a damaged backup is refused."""
from __future__ import annotations

import os
import shutil
import subprocess
import tarfile

import psycopg
import pytest

from core.settings import Settings
from tests.conftest import ROOT
from tests.faults.conftest import PV, write_text_piece

pytestmark = pytest.mark.integration
DEPLOY = ROOT / "deploy"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _tables(url: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table (in a stable order)."""
    out = {}
    with psycopg.connect(_libpq(url)) as conn:
        names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        for name in sorted(names):
            count, digest = conn.execute(
                f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{name}" t'
            ).fetchone()
            out[name] = (count, digest)
    return out


def _new_database(postgres) -> str:
    """A database of its own (the shared fixture hands out schemas of one database; a dump is per database)."""
    name = "backup_" + __import__("uuid").uuid4().hex[:10]
    with psycopg.connect(_libpq(postgres.url()), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres.url(name)


def _files(data) -> dict[str, bytes]:
    return {str(p.relative_to(data)): p.read_bytes() for folder in ("originals", "converted")
            if (data / folder).exists() for p in sorted((data / folder).iterdir()) if p.is_file()}


def _run(script: str, arg, url: str, data) -> subprocess.CompletedProcess:
    bin_dir = str(__import__("tests.pg", fromlist=["pg_bin_dir"]).pg_bin_dir())
    env = os.environ | {"PGURL": _libpq(url), "DATA_DIR": str(data), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(["sh", str(DEPLOY / script), str(arg)], env=env, capture_output=True, text=True,
                          timeout=300)


def test_state_and_originals_are_backed_up_and_restored_with_checksums(postgres, tmp_path):
    from api.services import Services

    url = _new_database(postgres)
    data = tmp_path / "var"
    settings = Settings(paths={"data_dir": data}, state={"url": url}, vector_store={"backend": "memory"},
                        embedding={"backend": "hash"}, llm={"backend": "none"})
    folder = tmp_path / "in"
    folder.mkdir()
    write_text_piece(folder / "D1_pv.pdf", PV.format(plate="AA-111-AA"))
    write_text_piece(folder / "D2_pv.pdf", PV.format(plate="GH-512-JK"))
    sv = Services(settings)
    report = sv.ingestor.ingest([folder], "sauvegarde")
    assert not report.failed, report.to_dict()
    documents = {d.id: (d.cote, d.sha256, d.status) for d in sv.catalog.documents("sauvegarde")}
    page = sv.catalog.page(next(iter(documents)), 1).text
    sv.close()
    before_rows, before_files = _tables(url), _files(data)
    assert before_rows["documents"][0] == 2 and len(before_files) == 2

    backup = tmp_path / "backup"
    done = _run("backup.sh", backup, url, data)
    assert done.returncode == 0, done.stderr
    assert "2 fichiers" in done.stdout

    database = url.rsplit("/", 1)[1]
    with psycopg.connect(_libpq(postgres.url()), autocommit=True) as conn:  # the disaster
        conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    shutil.rmtree(data / "originals")
    shutil.rmtree(data / "converted", ignore_errors=True)

    done = _run("restore.sh", backup, url, data)
    assert done.returncode == 0, done.stderr
    assert _tables(url) == before_rows
    assert _files(data) == before_files
    sv = Services(settings)
    try:
        assert {d.id: (d.cote, d.sha256, d.status) for d in sv.catalog.documents("sauvegarde")} == documents
        assert sv.catalog.page(next(iter(documents)), 1).text == page
    finally:
        sv.close()


def test_a_damaged_backup_is_refused_and_nothing_is_restored(postgres, tmp_path):
    url = _new_database(postgres)
    data = tmp_path / "var"
    (data / "originals").mkdir(parents=True)
    content = b"%PDF-1.4 piece"
    sha = __import__("hashlib").sha256(content).hexdigest()
    (data / "originals" / sha).write_bytes(content)
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")
    backup = tmp_path / "backup"
    assert _run("backup.sh", backup, url, data).returncode == 0
    with tarfile.open(backup / "files.tar", "a") as tar:  # a member rewritten after the backup
        damaged = tmp_path / sha
        damaged.write_bytes(b"%PDF-1.4 altered")
        tar.add(damaged, arcname=f"originals/{sha}")
    target = tmp_path / "restored"
    with psycopg.connect(_libpq(postgres.url()), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "restore_target"')
    done = _run("restore.sh", backup, postgres.url("restore_target"), target)
    assert done.returncode == 1 and "sauvegarde altérée" in done.stderr
    assert not target.exists()
    with psycopg.connect(_libpq(postgres.url("restore_target"))) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_with_the_files_in_postgresql_the_dump_alone_restores_them_verified(postgres, tmp_path):
    """blobs.backend=database: the originals are rows of the state database; backup.sh checks each one against
    its SHA-256 before the dump, restore.sh after pg_restore, and a blob damaged in the database is refused."""
    from api.services import Services
    from storage.tables import blob_chunks

    url = _new_database(postgres)
    data = tmp_path / "var"
    settings = Settings(paths={"data_dir": data}, state={"url": url}, blobs={"backend": "database"},
                        vector_store={"backend": "memory"}, embedding={"backend": "hash"}, llm={"backend": "none"})
    folder = tmp_path / "in"
    folder.mkdir()
    write_text_piece(folder / "D1_pv.pdf", PV.format(plate="AA-111-AA"))
    (folder / "D2_note.txt").write_text("Note de l'enquêteur : le véhicule GH-512-JK a été saisi.", encoding="utf-8")
    sv = Services(settings)
    assert not sv.ingestor.ingest([folder], "sauvegarde").failed
    originals = {d.sha256: (folder / d.filename).read_bytes() for d in sv.catalog.documents("sauvegarde")}
    sv.close()
    assert _files(data) == {}  # nothing in the data folder: every byte is in the database
    before_rows = _tables(url)
    assert before_rows["blobs"][0] == 3  # two originals and the PDF made from the note

    backup = tmp_path / "backup"
    done = _run("backup.sh", backup, url, data)
    assert done.returncode == 0, done.stderr
    assert "0 fichiers, 3 fichiers dans la base" in done.stdout
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(_libpq(postgres.url()), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    shutil.rmtree(data)

    done = _run("restore.sh", backup, url, data)
    assert done.returncode == 0, done.stderr
    assert "3 fichiers dans la base vérifiés" in done.stdout and _tables(url) == before_rows
    sv = Services(settings)
    try:
        for sha, content in originals.items():
            assert sv.blobs.local(sha).read_bytes() == content  # size and SHA-256 checked on the way
        with sv.blobs.write() as conn:  # a row damaged in the database after the restore
            conn.execute(blob_chunks.update().where(blob_chunks.c.sha256 == next(iter(originals)))
                         .values(data=b"altered"))
    finally:
        sv.close()
    done = _run("backup.sh", tmp_path / "backup-2", url, data)
    assert done.returncode == 1 and "endommagés" in done.stderr and next(iter(originals)) in done.stderr
