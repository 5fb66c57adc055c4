"""DOCX export of a draft (python-docx): header 'Projet … à vérifier', sections, citations."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import RGBColor

from core.models import format_citations
from generation.drafting import KINDS, Draft


def write_docx(draft: Draft, path: Path, style: str = "page") -> Path:
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Projet généré par Mon assistant parquet — à vérifier"
    doc.add_heading(f"{KINDS[draft.kind]} — dossier {draft.dossier}", level=1)
    for section in draft.sections:
        doc.add_heading(section.title, level=2)
        for s in section.sentences:
            para = doc.add_paragraph()
            run = para.add_run(s.text + " ")
            if s.status in ("unsupported", "a_completer"):
                run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
            para.add_run(format_citations(s.citations, style)).italic = True
    doc.save(str(path))
    return path
