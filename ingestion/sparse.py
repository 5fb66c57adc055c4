"""French BM25 sparse vectors (Snowball stemming, French stop words), identical for every store."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

import snowballstemmer

from core.protocols import SparseVector
from core.text import normalize_for_match, strip_accents

STOPWORDS = set(strip_accents(w) for w in """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon ne nos
notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l a m
n s t y ete etee etees etes etant suis es est sommes etes sont serai sera serons seront serais serait etais etait
etions etiez etaient fus fut ai as avons avez ont aurai aura aurons auront avais avait avions aviez avaient eu
ceci cela celle celui ci la-bas leurs lors dont donc ni or car si sans sous chez entre vers apres avant tres plus
moins aussi comme tout tous toute toutes cet cette quel quelle quels quelles
""".split())
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


_STEMMER = snowballstemmer.stemmer("french")


def tokens(text: str) -> list[str]:
    """Normalised, accent-free, stop-word-free, stemmed tokens; numbers and plates kept whole."""
    out = []
    for tok in _TOKEN.findall(normalize_for_match(text)):
        if tok in STOPWORDS or (len(tok) < 2 and not tok.isdigit()):
            continue
        out.append(tok if any(ch.isdigit() for ch in tok) else _stem(tok))
    return out


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
