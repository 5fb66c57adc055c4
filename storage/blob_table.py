"""Blobs in the state database (PostgreSQL, or the catalog's SQLite file): one row per blob and its bytes in rows
of `chunk_bytes`, written in one transaction (a blob is there whole or not at all) and streamed both ways, so that
no process holds a whole file in memory. Reads check size and SHA-256; a process keeps a verified local copy in
its cache (workers on machines that share no folder with the API)."""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from core.errors import FileChanged
from core.protocols import BlobInfo
from storage.blobs import BLOCK, LocalCache, damaged, file_sha256, missing, open_regular, verified
from storage.engine import SqlStore
from storage.tables import blob_chunks, blobs


class SqlBlobStore(SqlStore):
    """Implements core.protocols.BlobStore on the catalog's database."""

    branch = "catalog"
    sqlite_wal = True  # the catalog's file, already in WAL mode

    def __init__(self, location: Path | str, cache: LocalCache, chunk_bytes: int = BLOCK, migrate: bool = True) -> None:
        super().__init__(location, migrate=migrate)
        self.cache, self.chunk_bytes = cache, chunk_bytes

    def put(self, source: str | Path, sha256: str | None = None) -> BlobInfo:
        source = Path(source)
        sha = sha256 or file_sha256(source)
        known = self.info(sha)
        if known is not None:
            return known
        h, size, seq = hashlib.sha256(), 0, 0
        try:
            with self.write() as conn:
                stored = conn.execute(select(blobs.c.size).where(blobs.c.sha256 == sha)).first()
                if stored is not None:
                    return BlobInfo(sha, int(stored[0]))
                conn.execute(delete(blob_chunks).where(blob_chunks.c.sha256 == sha))
                with os.fdopen(open_regular(source), "rb") as fh:
                    for block in iter(lambda: fh.read(self.chunk_bytes), b""):
                        h.update(block)
                        size += len(block)
                        conn.execute(insert(blob_chunks).values(sha256=sha, seq=seq, data=block))
                        seq += 1
                if h.hexdigest() != sha:  # rolled back: nothing of it is kept
                    raise FileChanged("Le fichier a été modifié pendant sa copie.")
                conn.execute(insert(blobs).values(sha256=sha, size=size, chunks=seq, created=time.time()))
        except IntegrityError:
            found = self.info(sha)  # another process stored the same bytes at the same time
            if found is None:
                raise
            return found
        return BlobInfo(sha, size)

    def adopt(self, path: Path) -> BlobInfo:
        found = self.put(path)
        self.cache.keep(found.sha256, path)  # verified by put (hashed while stored): the local copy at no cost
        return found

    def info(self, sha256: str) -> BlobInfo | None:
        with self.read() as conn:
            row = conn.execute(select(blobs.c.size).where(blobs.c.sha256 == sha256)).first()
        return BlobInfo(sha256, int(row[0])) if row else None

    def _rows(self, sha: str, count: int) -> Iterator[bytes]:
        for seq in range(count):  # one row per query: memory stays at one chunk, whatever the file's size
            with self.read() as conn:
                data = conn.execute(select(blob_chunks.c.data).where(blob_chunks.c.sha256 == sha,
                                                                     blob_chunks.c.seq == seq)).scalar()
            if data is None:
                raise damaged(sha, f"partie {seq + 1} sur {count} manquante")
            yield bytes(data)

    def stream(self, sha256: str) -> Iterator[bytes]:
        with self.read() as conn:
            row = conn.execute(select(blobs.c.size, blobs.c.chunks).where(blobs.c.sha256 == sha256)).first()
        if row is None:
            raise missing(sha256)
        return verified(sha256, int(row.size), self._rows(sha256, int(row.chunks)))

    def local(self, sha256: str) -> Path:
        found = self.info(sha256)
        if found is None:
            raise missing(sha256)
        return self.cache.get(sha256, found.size, lambda: self.stream(sha256))

    def delete(self, sha256: str) -> None:
        with self.write() as conn:
            conn.execute(delete(blob_chunks).where(blob_chunks.c.sha256 == sha256))
            conn.execute(delete(blobs).where(blobs.c.sha256 == sha256))
        self.cache.drop(sha256)

    def stats(self) -> tuple[int, int]:
        """(blobs, bytes) stored."""
        with self.read() as conn:
            n, total = conn.execute(select(func.count(), func.coalesce(func.sum(blobs.c.size), 0))).one()
        return int(n), int(total)

    def shas(self) -> list[str]:
        with self.read() as conn:
            return list(conn.execute(select(blobs.c.sha256).order_by(blobs.c.sha256)).scalars())
