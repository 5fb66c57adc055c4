"""French search tokens (accent-free, stop words out, Snowball stems; numbers and plates whole): one definition for
BM25, the verifier, salience, contradictions and metrics."""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

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
