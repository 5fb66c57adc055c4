"""Content-addressed files (originals, converted PDFs): the folder adapter (the embedded default), the in-memory
fake, the local cache a process keeps of blobs that live elsewhere, and the choice by settings.

The key of a blob is the SHA-256 of its bytes; every read checks size and hash, so a damaged file is never used
as if it were the piece (core.errors.DamagedFile, in French). The database adapter is storage.blob_table."""
from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from core.errors import DamagedFile, FileChanged, NotFound, UnsupportedDocument
from core.protocols import BlobInfo, BlobStore
from core.settings import Settings

BLOCK = 1 << 20


def open_regular(path: Path) -> int:
    """Open for reading without following a link and without blocking on a FIFO; refuse non-regular files."""
    import errno

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsupportedDocument("Lien symbolique refusé : déposez le fichier lui-même.",
                                      code="lien_refuse") from exc
        raise UnsupportedDocument(f"Fichier illisible ({exc.strerror}).", code="fichier_illisible") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UnsupportedDocument("Fichier spécial refusé (tube, périphérique ou socket).", code="fichier_special")
    return fd


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_verified(blocks: Iterable[bytes], dest: Path, sha: str, on_mismatch: Callable[[], Exception]) -> int:
    """Write to a temporary name, fsync, check the hash, then rename: `dest` is never a partial or wrong file.
    Returns the size written."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    h, size = hashlib.sha256(), 0
    try:
        with open(tmp, "wb") as out:
            for block in blocks:
                h.update(block)
                size += len(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if h.hexdigest() != sha:
            raise on_mismatch()
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return size


def _blocks(path: Path) -> Iterator[bytes]:
    with os.fdopen(open_regular(path), "rb") as fh:
        yield from iter(lambda: fh.read(BLOCK), b"")


def atomic_copy(src: Path, dest: Path, sha: str) -> None:
    """Copy to a temporary name, fsync, verify the hash, then rename: `dest` is never a partial file."""
    write_verified(_blocks(src), dest, sha, lambda: FileChanged("Le fichier a été modifié pendant sa copie."))


def damaged(sha: str, detail: str) -> DamagedFile:
    return DamagedFile(f"Fichier enregistré endommagé (empreinte {sha[:12]}…) : {detail}. Il n'est pas utilisé ; "
                       "restaurez-le depuis la sauvegarde (deploy/RUNBOOK.md) ou déposez la pièce à nouveau.")


def missing(sha: str) -> NotFound:
    return NotFound(f"Fichier enregistré introuvable (empreinte {sha[:12]}…) : ni dans le magasin de fichiers ni "
                    "en cache ; restaurez-le depuis la sauvegarde ou déposez la pièce à nouveau.", param="document")


def verified(sha: str, size: int, blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Pass the blocks through, holding the last one back until the total size and the hash are checked."""
    h, total, held = hashlib.sha256(), 0, None
    for block in blocks:
        if held is not None:
            yield held
        h.update(block)
        total += len(block)
        held = block
    if total != size:
        raise damaged(sha, f"{total} octets lus au lieu de {size}")
    if h.hexdigest() != sha:
        raise damaged(sha, "son contenu ne correspond plus à son empreinte SHA-256")
    if held is not None:
        yield held


class FileBlobStore:
    """Blobs as files named by their SHA-256 in one folder (<data_dir>/originals/, the layout of every earlier
    version): machines that share it need one shared volume."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._checked: dict[str, tuple[int, int]] = {}  # sha -> (size, mtime_ns) already verified by this process
        self._lock = threading.Lock()

    def _path(self, sha: str) -> Path:
        if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
            raise NotFound("Empreinte de fichier invalide.", param="document")
        return self.root / sha

    def put(self, source: str | Path, sha256: str | None = None) -> BlobInfo:
        source = Path(source)
        sha = sha256 or file_sha256(source)
        target = self._path(sha)
        size = os.stat(source, follow_symlinks=False).st_size
        if target.is_file() and target.stat().st_size == size:
            return BlobInfo(sha, size)
        atomic_copy(source, target, sha)
        return BlobInfo(sha, size)

    def adopt(self, path: Path) -> BlobInfo:
        sha = file_sha256(path)
        target = self._path(sha)
        size = path.stat().st_size
        os.replace(path, target)  # same data folder: a rename
        _fsync_dir(self.root)
        st = target.stat()
        with self._lock:
            self._checked[sha] = (st.st_size, st.st_mtime_ns)
        return BlobInfo(sha, size)

    def info(self, sha256: str) -> BlobInfo | None:
        path = self._path(sha256)
        return BlobInfo(sha256, path.stat().st_size) if path.is_file() else None

    def stream(self, sha256: str) -> Iterator[bytes]:
        path = self._path(sha256)
        if not path.is_file():
            raise missing(sha256)
        return verified(sha256, path.stat().st_size, _blocks(path))

    def local(self, sha256: str) -> Path:
        """The file itself, its hash checked once per process (again if its size or date changed)."""
        path = self._path(sha256)
        try:
            st = path.stat()
        except FileNotFoundError:
            raise missing(sha256) from None
        seen = (st.st_size, st.st_mtime_ns)
        with self._lock:
            if self._checked.get(sha256) == seen:
                return path
        for _ in self.stream(sha256):
            pass
        with self._lock:
            self._checked[sha256] = seen
        return path

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)
        with self._lock:
            self._checked.pop(sha256, None)


class LocalCache:
    """Verified local copies of blobs stored elsewhere, least recently used dropped beyond `max_bytes`; a copy is
    only a cache: losing it (or the whole machine) loses nothing."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder, self.max_bytes = folder, max_bytes
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, sha: str, size: int, fetch: Callable[[], Iterable[bytes]]) -> Path:
        path = self.folder / sha
        try:
            if path.stat().st_size == size:
                os.utime(path)  # most recently used
                return path
        except FileNotFoundError:
            pass
        write_verified(fetch(), path, sha, lambda: damaged(sha, "copie locale fausse"))
        self._evict(keep=path)
        return path

    def keep(self, sha: str, path: Path) -> None:
        """Take a verified file this process made as the cached copy of `sha`."""
        os.replace(path, self.folder / sha)
        self._evict(keep=self.folder / sha)

    def drop(self, sha: str) -> None:
        (self.folder / sha).unlink(missing_ok=True)

    def _evict(self, keep: Path) -> None:
        files = []
        for p in self.folder.iterdir():
            if p.name.startswith(".") or p == keep:
                continue
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            files.append((st.st_mtime_ns, st.st_size, p))
        total = keep.stat().st_size + sum(size for _, size, _ in files)
        for _, size, p in sorted(files):
            if total <= self.max_bytes:
                break
            p.unlink(missing_ok=True)  # a reader that has it open keeps its bytes (POSIX)
            total -= size


class MemoryBlobStore:
    """The fake: blobs in a dict, local copies in a folder (tests)."""

    def __init__(self, folder: Path) -> None:
        self.blobs: dict[str, bytes] = {}
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def put(self, source: str | Path, sha256: str | None = None) -> BlobInfo:
        data = Path(source).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha256 and sha != sha256:
            raise FileChanged("Le fichier a été modifié pendant sa copie.")
        self.blobs.setdefault(sha, data)
        return BlobInfo(sha, len(data))

    def adopt(self, path: Path) -> BlobInfo:
        found = self.put(path)
        os.replace(path, self.folder / found.sha256)
        return found

    def info(self, sha256: str) -> BlobInfo | None:
        return BlobInfo(sha256, len(self.blobs[sha256])) if sha256 in self.blobs else None

    def stream(self, sha256: str) -> Iterator[bytes]:
        if sha256 not in self.blobs:
            raise missing(sha256)
        data = self.blobs[sha256]
        return verified(sha256, len(data), (data[i:i + BLOCK] for i in range(0, len(data), BLOCK)))

    def local(self, sha256: str) -> Path:
        path = self.folder / sha256
        if not path.is_file():
            write_verified(self.stream(sha256), path, sha256, lambda: damaged(sha256, "copie locale fausse"))
        return path

    def delete(self, sha256: str) -> None:
        self.blobs.pop(sha256, None)
        (self.folder / sha256).unlink(missing_ok=True)


def open_blob_store(settings: Settings) -> BlobStore:
    """The blob store the settings choose (blobs.backend); the database one keeps its local cache in
    <data_dir>/cache/blobs/."""
    cfg = settings.blobs
    if cfg.backend == "database":
        from storage.blob_table import SqlBlobStore
        from storage.locations import location

        cache = LocalCache(settings.paths.data_dir / "cache" / "blobs", int(cfg.cache_mb * 1e6))
        return SqlBlobStore(cfg.url or location(settings, "catalog"), cache, cfg.chunk_kb * 1024,
                            migrate=settings.state.migrate)
    return FileBlobStore(settings.paths.sub("originals"))
