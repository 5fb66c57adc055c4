"""Helpers for the work-queue tests: invented multi-page PDFs, a Redis broker on a free loopback port, a job
harness around the real JobStore and ingestion runtime."""
from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import time
from pathlib import Path

WORDS = ("procès-verbal audition témoin véhicule gendarmerie enquête constatations perquisition scellé mandat "
         "expertise victime prévenu plainte réquisition commission rogatoire téléphonie confrontation").split()


def page_text(seed: int, page: int) -> str:
    """One page of invented French procedure text, different on every page (no running header)."""
    rng = random.Random(seed * 10_000 + page)
    lines = [f"Pièce fictive {seed}, constatation n° {page * 7 + seed}."]
    for i in range(6):
        words = " ".join(rng.choice(WORDS) for _ in range(14))
        lines.append(f"Le {i + 1}e point relevé concerne {words} ; montant {rng.randint(100, 9999)} euros.")
    return "\n".join(lines)


def make_pdf(target: Path, pages: int, seed: int = 1) -> Path:
    """A native PDF of `pages` A4 pages of invented text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    width, height = A4
    for page in range(1, pages + 1):
        c.setFont("Helvetica", 11)
        y = height - 70
        for para in page_text(seed, page).split("\n"):
            for line in simpleSplit(para, "Helvetica", 11, width - 120):
                c.drawString(60, y, line)
                y -= 15
        c.showPage()
    c.save()
    return target


def make_scanned_pdf(target: Path, pages: int, seed: int = 2) -> Path:
    """An image-only PDF (read by OCR)."""
    from evals.datasets.render import scan

    native = make_pdf(target.with_suffix(".native.pdf"), pages, seed)
    target.write_bytes(scan(native.read_bytes(), random.Random(seed), dpi=150))
    native.unlink()
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def redis_server(folder: Path):
    """A real redis-server on a free loopback port, data in `folder`, no persistence; stopped at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (Debian package redis-server, see the Makefile)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
                             "--appendonly", "no", "--protected-mode", "yes"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_job(get, job_id: str, timeout: float = 120.0) -> dict:
    """Poll a job (get(job_id) -> dict) until it leaves queued/running."""
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        state = get(job_id)
        if state["state"] not in ("queued", "running"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout:.0f} s: {state}")


class Audit:
    def __init__(self) -> None:
        self.entries: list[tuple[str, str | None, dict]] = []

    def record(self, actor: str, action: str, dossier: str | None = None, **details) -> str:
        self.entries.append((action, dossier, details))
        return "0"
