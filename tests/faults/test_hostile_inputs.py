"""Each hostile input beside a good piece, through the real CLI: the run finishes, the hostile file gets its
French reason, the good piece is in, peak memory stays bounded, the folder stays usable."""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

from tests.faults import nasty
from tests.faults.conftest import PV, cli, env_for, write_text_piece

MAX_PEAK_MB = 900  # the CLI with its converters; the hostile files would take 4-10 GB unbounded


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    write_text_piece(folder / "D1_audition.pdf", PV.format(plate="GH-512-JK"))
    return folder


def _ingest(folder: Path, data: Path, label: str, *extra: str):
    run = cli(["ingest", str(folder), "--dossier", "faults", "--json", *extra], env_for(data), label=label)
    assert run.returncode in (0, 1), run.stderr
    by = run.by_file()
    assert by["D1_audition.pdf"]["status"] == "stored", by
    assert run.peak_rss_mb < MAX_PEAK_MB, run.peak_rss_mb
    return run, by


def _assert_usable(data: Path) -> None:
    found = cli(["search", "véhicule GH-512-JK", "--dossier", "faults", "--json"], env_for(data))
    assert found.returncode == 0 and "GH-512-JK" in found.stdout


BOMBS = [
    ("D2_bombe.docx", lambda p: nasty.docx_bomb(p, 400), "limite_depassee", "décompress"),
    ("D3_bombe.xlsx", lambda p: nasty.xlsx_bomb(p, 400), "limite_depassee", "décompress"),
    ("D4_flux.pdf", lambda p: nasty.pdf_stream_bomb(p, 400), "limite_depassee", "flux"),
    ("D5_geante.png", lambda p: nasty.png_huge(p, 30000), "limite_depassee", "pixels"),
]


def test_every_hostile_input_in_one_run_each_with_its_reason_and_bounded_memory(tmp_path):
    folder = _folder(tmp_path)
    for name, build, _, _ in BOMBS:
        build(folder / name)
    nasty.pdf_huge_page(folder / "D6_format_geant.pdf", 20000)
    write_text_piece(folder / "tmp.pdf", "Procès-verbal de perquisition : découverte de 40 grammes de résine.")
    os.rename(folder / "tmp.pdf", os.fsencode(str(folder)) + b"/D10_proc\xe8s-verbal.pdf")
    os.symlink("/etc/passwd", folder / "x.pdf")
    os.mkfifo(folder / "D8_tube.pdf")
    run, by = _ingest(folder, tmp_path / "var", "toutes les entrées hostiles, un seul passage")
    assert run.returncode == 1
    for name, _, code, words in BOMBS:
        assert by[name]["status"] == "failed" and by[name]["error_code"] == code, by[name]
        assert words in by[name]["error"] and re.search(r"réglage ingestion\.[a-z_]+\)", by[name]["error"])
    huge = by["D6_format_geant.pdf"]
    assert huge["status"] == "stored" and any("très grand format" in w for w in huge["warnings"]), huge
    assert by["D10_proc\ufffds-verbal.pdf"]["status"] == "stored"
    assert by["x.pdf"]["error_code"] == "lien_refuse" and by["D8_tube.pdf"]["error_code"] == "fichier_special"
    assert run.report["totals"] == {**run.report["totals"], "files": 9, "stored": 3, "failed": 6}
    _assert_usable(tmp_path / "var")
    again = cli(["ingest", str(folder), "--dossier", "faults", "--json"], env_for(tmp_path / "var"))
    assert again.returncode == 1 and again.report["totals"]["unchanged"] == 3


@pytest.mark.slow
@pytest.mark.parametrize(("name", "build", "code", "words"), BOMBS, ids=["docx-bomb", "xlsx-bomb", "pdf-stream-bomb",
                                                                         "png-30000"])
def test_each_bomb_alone_is_refused_with_bounded_memory(tmp_path, name, build, code, words):
    folder = _folder(tmp_path)
    build(folder / name)
    size_kb = (folder / name).stat().st_size / 1024
    run, by = _ingest(folder, tmp_path / "var", f"{name} ({size_kb:.0f} Ko)")
    assert run.returncode == 1
    assert by[name]["status"] == "failed" and by[name]["error_code"] == code, by[name]
    assert words in by[name]["error"] and "réglage ingestion." in by[name]["error"]


@pytest.mark.slow
def test_a_huge_page_is_rendered_scaled_down_not_at_seven_gigabytes(tmp_path):
    folder = _folder(tmp_path)
    nasty.pdf_huge_page(folder / "D6_format_geant.pdf", 20000)
    run, by = _ingest(folder, tmp_path / "var", "D6_format_geant.pdf (20 000 × 20 000 points, 1 Ko)")
    doc = by["D6_format_geant.pdf"]
    assert doc["status"] == "stored" and doc["pages"] == 1, doc
    assert any("très grand format" in w for w in doc["warnings"]), doc


def test_links_fifos_devices_and_missing_paths_are_refused_never_followed(tmp_path):
    folder = _folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET-4471 racine:x:0:0", encoding="utf-8")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    write_text_piece(outside / "D9_autre.pdf", "Contenu hors du dossier déposé, HORS-DOSSIER-77.")
    os.symlink("/etc/passwd", folder / "x.pdf")
    os.symlink(secret, folder / "D7_lien.txt")
    os.symlink(outside, folder / "sous-dossier")
    os.mkfifo(folder / "D8_tube.pdf")
    data = tmp_path / "var"
    run = cli(["ingest", str(folder), "/dev/zero", str(tmp_path / "absent.pdf"), "--dossier", "faults", "--json"],
              env_for(data), timeout=60, label="liens, FIFO, /dev/zero, chemin absent")
    assert run.returncode == 1, run.stderr
    by = run.by_file()
    assert by["x.pdf"]["error_code"] == "lien_refuse" and by["D7_lien.txt"]["error_code"] == "lien_refuse"
    assert by["sous-dossier"]["error_code"] == "lien_refuse"
    assert by["D8_tube.pdf"]["error_code"] == "fichier_special" and by["zero"]["error_code"] == "fichier_special"
    assert by["absent.pdf"]["error_code"] == "fichier_introuvable"
    assert by["D1_audition.pdf"]["status"] == "stored"
    hits = cli(["search", "MOT-DE-PASSE-SECRET HORS-DOSSIER root", "--dossier", "faults", "--json"], env_for(data))
    assert hits.returncode == 0
    for secret_word in ("MOT-DE-PASSE-SECRET", "HORS-DOSSIER", "root:x:0"):
        assert secret_word not in hits.stdout
    assert not any(p.is_symlink() for p in (data / "originals").iterdir())


def test_a_converter_timeout_kills_the_whole_process_group(tmp_path):
    from ingestion.safety import LimitExceeded, Limits, run_bounded

    pid_file = tmp_path / "grandchild.pid"
    with pytest.raises(LimitExceeded, match="délai dépassé") as err:
        run_bounded(["sh", "-c", f"sleep 300 & echo $! > {pid_file}; wait"], Limits(1.5, 512, 30), "Conversion")
    assert "converter_timeout_s" in err.value.message
    grandchild = int(pid_file.read_text())
    for _ in range(50):
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        threading.Event().wait(0.05)
    else:
        raise AssertionError("the converter's child survived the timeout")


def test_a_converter_cannot_take_more_memory_than_its_limit(tmp_path):
    import resource
    import sys

    from ingestion.safety import LimitExceeded, Limits, run_bounded

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with pytest.raises(LimitExceeded, match="mémoire 400 Mo"):
        run_bounded([sys.executable, "-c", "b = bytearray(3 << 30)"], Limits(30, 400, 30), "Conversion")
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss <= max(before, 400 * 1024)
