"""Guards around hostile input: file kinds, atomic copies, free space, bombs, bounded child processes."""
from __future__ import annotations

import errno
import hashlib
import mmap
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.errors import AppError, FileChanged, UnsupportedDocument  # noqa: F401 — FileChanged re-exported
from storage.blobs import atomic_copy, open_regular  # noqa: F401 — re-exported (the ingestion guards use them)

IGNORED_NAMES = {"gold.json", "manifest.csv", "cotes.csv"}


class LimitExceeded(UnsupportedDocument):
    """A configured limit was hit; the message names the limit and its setting."""

    code = "limite_depassee"


class DiskFull(AppError):
    code = "disque_plein"
    http_status = 507


def grouped(n: int) -> str:
    """A number the French way: 120 000 000."""
    return f"{n:,}".replace(",", "\u202f")


def display_name(name: str) -> str:
    """A file name printable anywhere: bytes that are not UTF-8 become « � » (the file itself is untouched)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass
class Candidate:
    """One file to ingest, or the reason it is refused before anything is read."""

    path: Path
    name: str
    error: AppError | None = None


def _refusal(path: Path, roots: list[Path]) -> AppError | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return UnsupportedDocument("Fichier introuvable (chemin inexistant).", code="fichier_introuvable")
    except OSError as exc:
        return UnsupportedDocument(f"Fichier illisible ({exc.strerror}).", code="fichier_illisible")
    if stat.S_ISLNK(st.st_mode):
        return UnsupportedDocument("Lien symbolique refusé : déposez le fichier lui-même.", code="lien_refuse")
    if not stat.S_ISREG(st.st_mode):
        return UnsupportedDocument("Fichier spécial refusé (tube, périphérique ou socket) : seuls les fichiers "
                                   "ordinaires sont lus.", code="fichier_special")
    resolved = path.resolve()
    if roots and not any(resolved == r or r in resolved.parents for r in roots):
        return UnsupportedDocument("Fichier situé hors du dossier déposé : refusé.", code="hors_du_dossier")
    return None


def collect(paths: Iterable[Path]) -> list[Candidate]:
    """Files given directly plus the files inside given folders (sorted; links, special files and anything
    resolving outside the given roots become refused candidates, never followed)."""
    out: list[Candidate] = []
    for p in paths:
        p = Path(p)
        if p.is_dir() and not p.is_symlink():
            root = p.resolve()
            for folder, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for d in list(dirs):
                    if os.path.islink(os.path.join(folder, d)):
                        dirs.remove(d)
                        link = Path(folder) / d
                        out.append(Candidate(link, display_name(d), UnsupportedDocument(
                            "Lien symbolique vers un dossier refusé : son contenu n'est pas lu.", code="lien_refuse")))
                    elif d.startswith("."):
                        dirs.remove(d)
                for f in sorted(files):
                    if f.startswith(".") or f in IGNORED_NAMES:
                        continue
                    fp = Path(folder) / f
                    out.append(Candidate(fp, display_name(f), _refusal(fp, [root])))
        else:
            parent = Path(os.path.abspath(p)).parent.resolve()
            out.append(Candidate(p, display_name(p.name), _refusal(p, [parent])))
    return out


def fingerprint(path: Path) -> tuple[str, int, int]:
    """(sha256, size, mtime_ns) of a regular file, read once."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        h = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
        st = os.fstat(fh.fileno())
    return h.hexdigest(), st.st_size, st.st_mtime_ns


def free_mb(folder: Path) -> float:
    return shutil.disk_usage(folder).free / 1e6


def ensure_free_space(folder: Path, need_bytes: int, min_free_mb: float) -> None:
    """Refuse before writing when the data folder would keep less than `min_free_mb` free."""
    left = free_mb(folder) - need_bytes / 1e6
    if left < min_free_mb:
        raise DiskFull(f"Espace disque insuffisant dans le dossier de données ({free_mb(folder):.0f} Mo libres, "
                       f"il faut garder {min_free_mb:.0f} Mo, réglage ingestion.min_free_mb) : rien n'a été écrit "
                       "pour ce fichier ; libérez de la place puis relancez.")


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return "disk is full" in str(exc).lower() or "no space left" in str(exc).lower()


def atomic_write(dest: Path, data: bytes) -> Path:
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


# zip-based formats ------------------------------------------------------------------------------------------
def check_zip(path: Path, max_mb: float, max_ratio: float) -> None:
    """Refuse zip bombs from the central directory alone (declared sizes), before any member is inflated."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsupportedDocument("Archive bureautique corrompue.", code="fichier_corrompu") from exc
    total = sum(i.file_size for i in infos)
    if total > max_mb * 1e6:
        raise LimitExceeded(f"Document compressé qui se décompresse en {total / 1e6:.0f} Mo (limite "
                            f"{max_mb:.0f} Mo, réglage ingestion.max_unzipped_mb) : refusé.")
    for i in infos:
        if i.file_size > 1e6 and i.file_size > max_ratio * max(i.compress_size, 1):
            raise LimitExceeded(f"Document compressé anormalement (« {i.filename} » : taux "
                                f"{i.file_size / max(i.compress_size, 1):.0f}:1, limite {max_ratio:.0f}:1, réglage "
                                "ingestion.max_zip_ratio) : bombe de décompression probable, refusé.")


# PDF streams ------------------------------------------------------------------------------------------------
_STREAM = re.compile(rb"stream\r?\n")
_WIDTH = re.compile(rb"/Width\s+(\d+)")
_HEIGHT = re.compile(rb"/Height\s+(\d+)")


def check_pdf_streams(path: Path, max_stream_mb: float, max_image_pixels: int) -> None:
    """Inflate each Flate stream with bounded memory and refuse one that exceeds the limit; images are judged by
    their declared size. Run before pdfium sees the file, which would inflate the stream whole."""
    limit = int(max_stream_mb * 1e6)
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for m in _STREAM.finditer(data):  # type: ignore[call-overload]
                start = m.end()
                head_from = max(0, m.start() - 2048)
                obj = data.rfind(b" obj", head_from, m.start())
                head = data[obj if obj >= 0 else head_from:m.start()]
                if b"/Image" in head:
                    w, h = _WIDTH.search(head), _HEIGHT.search(head)
                    if w and h and int(w.group(1)) * int(h.group(1)) > max_image_pixels:
                        raise LimitExceeded(f"PDF contenant une image de {int(w.group(1))} × {int(h.group(1))} "
                                            f"pixels (limite {grouped(max_image_pixels)} pixels, réglage "
                                            "ingestion.max_image_pixels) : refusé.")
                    continue
                if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head:
                    continue
                end = data.find(b"endstream", start)
                end = len(data) if end < 0 else end
                _inflated_size(data, start, end, limit)


def _inflated_size(data: mmap.mmap, start: int, end: int, limit: int) -> int:
    d = zlib.decompressobj()
    total, pos = 0, start
    try:
        while pos < end:
            buf = data[pos:min(end, pos + (1 << 20))]
            pos += len(buf)
            while buf:
                out = d.decompress(buf, 1 << 22)
                total += len(out)
                if total > limit:
                    raise LimitExceeded(f"PDF dont un flux se décompresse en plus de {limit / 1e6:.0f} Mo (réglage "
                                        "ingestion.max_pdf_stream_mb) : bombe de décompression probable, refusé.")
                buf = d.unconsumed_tail
            if d.eof:
                break
    except zlib.error:
        return total  # a damaged stream is pdfium's business (it reports the PDF as corrupt)
    return total


# bounded child processes ------------------------------------------------------------------------------------
@dataclass
class Limits:
    timeout_s: float
    memory_mb: int
    cpu_s: int


def _limited(cmd: list[str], limits: Limits) -> list[str]:
    """The command under `prlimit` (util-linux): the limits are set before exec, with no Python code run in the
    forked child (preexec_fn is unsafe in a threaded server)."""
    mem = limits.memory_mb * 1024 * 1024
    exe = shutil.which("prlimit")
    if exe is None:
        return cmd
    return [exe, f"--as={mem}", f"--cpu={limits.cpu_s}", "--core=0", "--", *cmd]


def run_bounded(cmd: list[str], limits: Limits, what: str, env: dict | None = None,
                cwd: str | None = None) -> subprocess.CompletedProcess:
    """Run a converter in its own process group with memory/CPU rlimits; on timeout the whole group is killed
    (LibreOffice forks helpers that would otherwise stay behind)."""
    proc = subprocess.Popen(_limited(cmd, limits), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd,
                            start_new_session=True)
    if not shutil.which("prlimit"):  # fallback: limit the running child (a few microseconds unlimited)
        mem = limits.memory_mb * 1024 * 1024
        resource.prlimit(proc.pid, resource.RLIMIT_AS, (mem, mem))
        resource.prlimit(proc.pid, resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s))
    try:
        out, err = proc.communicate(timeout=limits.timeout_s)
    except subprocess.TimeoutExpired as exc:
        kill_group(proc)
        raise LimitExceeded(f"{what} : délai dépassé ({limits.timeout_s:.0f} s, réglage "
                            "ingestion.converter_timeout_s) ; le processus et ses enfants ont été arrêtés.",
                            code="delai_depasse") from exc
    finally:
        kill_group(proc)
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT) or \
            any(m in err.lower() for m in (b"std::bad_alloc", b"out of memory", b"memoryerror", b"cannot allocate")):
        raise LimitExceeded(f"{what} : limite de ressources atteinte (mémoire {limits.memory_mb} Mo, réglage "
                            f"ingestion.converter_memory_mb ; ou CPU {limits.cpu_s} s, réglage "
                            "ingestion.converter_cpu_s) ; fichier refusé.", code="ressources_depassees")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def kill_group(proc: subprocess.Popen) -> None:
    """Kill what is left of the child's process group (the group id is the child's pid)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.returncode is None:
        proc.wait()


class Deadline:
    """Per-file wall-clock budget, checked between steps (pages OCR'd, embedding batches)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self, step: str) -> None:
        if time.monotonic() > self.end:
            raise LimitExceeded(f"Temps de traitement dépassé ({self.seconds:.0f} s par fichier, réglage "
                                f"ingestion.file_time_budget_s) pendant : {step}. Rien n'a été indexé pour ce "
                                "fichier.", code="delai_depasse")

    def remaining(self) -> float:
        return max(1.0, self.end - time.monotonic())
