"""Search in a dossier and questions answered with a cited sentence (or an abstention)."""
from __future__ import annotations

import sys

import typer
from rich.table import Table

from api.cli.common import JURIDICTION, app, audit_access, console, key_of, open_services, print_json


@app.command()
def search(query: str, dossier: str = typer.Option(...), k: int = typer.Option(8, "-k"),
           as_json: bool = typer.Option(False, "--json"), juridiction: str = JURIDICTION) -> None:
    """Hybrid search in one dossier."""
    from core.protocols import SearchFilter
    from retrieval.normalize import highlight_terms

    sv = open_services("search", write=False)
    key = key_of(dossier, juridiction)
    passages = sv.search.search(query, SearchFilter(dossier_id=key, juridiction=juridiction), k)
    audit_access(sv.settings, "search", key, juridiction=juridiction, query=query, returned=[p.chunk.id for p in passages])
    state = sv.search.indexing(key)
    if as_json:
        print_json([p.to_dict() for p in passages])
        if state:
            sys.stderr.write(state.message + "\n")
        return
    if state:
        console.print(f"[yellow]⚠ {state.message}[/]")
    table = Table("rang", "cote", "page", "score", "extrait")
    terms = highlight_terms(query)
    for i, p in enumerate(passages, start=1):
        snippet = " ".join(p.chunk.text.split())[:220]
        for t in terms:
            snippet = _highlight(snippet, t)
        table.add_row(str(i), p.chunk.cote or "—", str(p.chunk.page), f"{p.score:.4f}", snippet)
    console.print(table)


def _highlight(text: str, term: str) -> str:
    import re

    from core.text import strip_accents

    folded = strip_accents(text).lower()
    out, last = [], 0
    for m in re.finditer(re.escape(term), folded):
        out += [text[last:m.start()], f"[bold yellow]{text[m.start():m.end()]}[/]"]
        last = m.end()
    return "".join(out) + text[last:]


@app.command()
def ask(question: str, dossier: str = typer.Option(...), as_json: bool = typer.Option(False, "--json"),
        juridiction: str = JURIDICTION) -> None:
    """Answer a question about a dossier with citations, or abstain."""
    sv = open_services("ask", write=False)
    key = key_of(dossier, juridiction)
    try:
        answer = sv.drafter.ask(key, question)
    finally:
        sv.close()
    audit_access(sv.settings, "ask", key, juridiction=juridiction, question=question, status=answer["status"],
           cited=[c for s in answer["sentences"] for c in s["citations"]])
    if as_json:
        print_json(answer)
        return
    sys.stdout.write(answer["answer"] + "\n")
    if answer["status"] == "abstention" and answer.get("reason"):
        sys.stdout.write(f"  ({answer['reason']})\n")
    if answer.get("notice"):
        sys.stdout.write(f"  ⚠ {answer['notice']}\n")
