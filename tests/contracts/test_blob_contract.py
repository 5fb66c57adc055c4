"""The blob store contract, run on the fake, the data folder and the state database (SQLite file and the real
PostgreSQL): bytes round-trip by their SHA-256, a file stored twice is one blob, a file that does not hash to the
announced SHA-256 is refused and leaves nothing, and damaged bytes are never handed out (a French error)."""
from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import update

from core import protocols
from core.errors import DamagedFile, FileChanged, NotFound
from storage.blob_table import SqlBlobStore
from storage.blobs import FileBlobStore, LocalCache, MemoryBlobStore
from storage.tables import blob_chunks


@pytest.fixture(params=["memory", "folder", "sqlite", "postgresql"])
def blobs(request, tmp_path):
    if request.param == "memory":
        yield MemoryBlobStore(tmp_path / "local")
        return
    if request.param == "folder":
        yield FileBlobStore(tmp_path / "originals")
        return
    where = tmp_path / "catalog.sqlite" if request.param == "sqlite" else request.getfixturevalue("postgres").new_database()
    store = SqlBlobStore(where, LocalCache(tmp_path / "cache", 10_000_000), chunk_bytes=64 * 1024)
    yield store
    store.close()


def _file(tmp_path, name: str, size: int, seed: int = 1):
    data = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    path = tmp_path / name
    path.write_bytes(data[:size])
    return path, hashlib.sha256(data[:size]).hexdigest()


def _damage(blobs, sha: str) -> None:
    """Flip bytes where the store keeps them (the fake has no disk: its dict)."""
    if isinstance(blobs, MemoryBlobStore):
        blobs.blobs[sha] = b"X" + blobs.blobs[sha][1:]
    elif isinstance(blobs, FileBlobStore):
        path = blobs.root / sha
        data = bytearray(path.read_bytes())
        data[100] ^= 0xFF
        path.write_bytes(bytes(data))
        os.utime(path, ns=(1, 1))  # a new date: the process checks it again
    else:
        with blobs.write() as conn:
            conn.execute(update(blob_chunks).where(blob_chunks.c.sha256 == sha, blob_chunks.c.seq == 1)
                         .values(data=b"\0" * 64 * 1024))
        blobs.cache.drop(sha)


def test_is_a_blob_store(blobs):
    assert isinstance(blobs, protocols.BlobStore)


def test_bytes_round_trip_by_their_sha256_in_pieces(blobs, tmp_path):
    path, sha = _file(tmp_path, "piece.pdf", 300_000)
    info = blobs.put(path)
    assert info.sha256 == sha and info.size == 300_000 and blobs.info(sha) == info
    assert b"".join(blobs.stream(sha)) == path.read_bytes()
    assert blobs.local(sha).read_bytes() == path.read_bytes()
    assert blobs.put(path, sha) == info  # stored twice: one blob
    empty, empty_sha = _file(tmp_path, "vide", 0)
    assert blobs.put(empty).size == 0 and b"".join(blobs.stream(empty_sha)) == b""


def test_bytes_that_do_not_hash_to_the_announced_sha256_are_refused_and_leave_nothing(blobs, tmp_path):
    path, _ = _file(tmp_path, "piece.pdf", 200_000)
    wrong = "0" * 64
    with pytest.raises(FileChanged):
        blobs.put(path, wrong)
    assert blobs.info(wrong) is None
    with pytest.raises(NotFound) as missing:
        blobs.local(wrong)
    assert "introuvable" in missing.value.message


def test_damaged_bytes_are_a_french_error_never_the_piece(blobs, tmp_path):
    path, sha = _file(tmp_path, "piece.pdf", 200_000, seed=2)
    blobs.put(path)
    _damage(blobs, sha)
    with pytest.raises(DamagedFile) as err:
        b"".join(blobs.stream(sha))
    assert "endommagé" in err.value.message and "sauvegarde" in err.value.message
    with pytest.raises(DamagedFile):
        blobs.local(sha)


def test_an_adopted_file_is_moved_in_and_read_back_and_delete_removes_it(blobs, tmp_path):
    path, sha = _file(tmp_path, "converti.pdf", 150_000, seed=3)
    data = path.read_bytes()
    assert blobs.adopt(path).sha256 == sha and not path.exists()
    assert blobs.local(sha).read_bytes() == data
    blobs.delete(sha)
    assert blobs.info(sha) is None
    with pytest.raises(NotFound):
        blobs.local(sha)


def test_the_database_store_keeps_a_bounded_local_cache(tmp_path):
    store = SqlBlobStore(tmp_path / "catalog.sqlite", LocalCache(tmp_path / "cache", 250_000), chunk_bytes=32 * 1024)
    try:
        shas = [store.put(_file(tmp_path, f"p{i}", 100_000, seed=i)[0]).sha256 for i in range(4)]
        for sha in shas:
            store.local(sha)
        cached = {p.name for p in (tmp_path / "cache").iterdir()}
        assert shas[-1] in cached and sum((tmp_path / "cache" / n).stat().st_size for n in cached) <= 250_000
        (tmp_path / "cache" / shas[-1]).unlink()  # the cache is only a cache
        assert store.local(shas[0]).read_bytes() == (tmp_path / "p0").read_bytes()
    finally:
        store.close()
