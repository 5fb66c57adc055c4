"""Which cote and which page a page is cited as: one rule for chunking, drafting, the page reader, facts and evals."""
from __future__ import annotations

from core.models import Page


def page_citation(document_cote: str | None, page: Page) -> tuple[str | None, int]:
    """(cote, page number) under which `page` is cited.

    The document's cote wins (manifest, file name, majority of stamps, or the greffier's correction); a page's own
    stamp only names the cote of a document that has none (a file holding several pieces, split page by page).
    The page number is the one stamped within the cote (« Cote D12 — page 3/5 ») when that stamp is of the cited
    cote, else the page of the PDF: a stale stamp (the cote was corrected since) never gives a page number.
    """
    cote = document_cote or page.cote
    number = page.cote_page if (page.cote_page and page.cote == cote) else page.number
    return cote, number
