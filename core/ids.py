"""Content-derived identifiers: re-running any step yields the same ids, so nothing duplicates."""
from __future__ import annotations

import hashlib
import uuid

_NAMESPACE = uuid.UUID("6f1c0a52-5d0e-4a4e-9a47-6d61702d7061")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def document_id(dossier_id: str, sha256: str) -> str:
    """A document is identified by its dossier and its bytes."""
    return hashlib.sha256(f"{dossier_id}:{sha256}".encode()).hexdigest()[:24]


def chunk_id(document_id: str, page: int, index: int) -> str:
    """A chunk is identified by its document, page and position on that page."""
    return f"{document_id}-p{page:04d}-c{index:03d}"


def point_uuid(chunk_id: str) -> str:
    """Vector stores want UUIDs: derive one deterministically from the chunk id."""
    return str(uuid.uuid5(_NAMESPACE, chunk_id))


def dossier_key(juridiction: str, visible_id: str) -> str:
    """The internal key of a dossier: its juridiction's tag and the id its users typed.

    Two juridictions may use the same visible id without ever sharing (or learning about) each other's dossier:
    the catalog, the vector-store filter, drafts, proposals and jobs all carry this key."""
    tag = hashlib.sha256(juridiction.encode()).hexdigest()[:12]
    return f"{tag}~{visible_id}"


def visible_dossier_id(key: str) -> str:
    """The id the users of the dossier's juridiction typed ('~' never occurs in a visible id)."""
    return key.split("~", 1)[-1]
