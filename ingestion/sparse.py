"""French BM25 sparse vectors (Snowball stemming, French stop words), identical for every store."""
from __future__ import annotations

import hashlib
from collections import Counter

from core.protocols import SparseVector
from core.tokens import tokens


def token_index(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "big") & 0x7FFFFFFF


class FrenchBM25:
    """BM25 term weights per document; IDF is applied by the store (sparse IDF modifier)."""

    name = "bm25-fr-snowball-v1"

    def __init__(self, k1: float = 1.2, b: float = 0.75, avg_len: float = 120.0) -> None:
        self.k1, self.b, self.avg_len = k1, b, avg_len

    def encode_document(self, text: str) -> SparseVector:
        toks = tokens(text)
        counts = Counter(token_index(t) for t in toks)
        norm = self.k1 * (1 - self.b + self.b * len(toks) / self.avg_len)
        items = sorted(counts.items())
        return SparseVector([i for i, _ in items], [tf * (self.k1 + 1) / (tf + norm) for _, tf in items])

    def encode_query(self, text: str) -> SparseVector:
        idx = sorted({token_index(t) for t in tokens(text)})
        return SparseVector(idx, [1.0] * len(idx))
