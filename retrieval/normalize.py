"""French query normalisation so that '0,62' finds '0.62' and 'AB 123 CD' finds 'AB-123-CD'."""
from __future__ import annotations

import re

from core.text import normalize_for_match


def normalize_query(query: str) -> str:
    """Collapse whitespace, unify apostrophes; numbers and plates are unified by the shared tokenizer."""
    q = query.replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", q).strip()


def highlight_terms(query: str) -> list[str]:
    """Normalised query words worth highlighting in a snippet (length ≥ 3 or containing a digit)."""
    return [w for w in re.findall(r"[\w.]+", normalize_for_match(query)) if len(w) >= 3 or any(c.isdigit() for c in w)]
