"""Drafts persisted in SQLite (with their evidence), so that a draft, its stream and its DOCX survive a restart."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from core.errors import NotFound
from core.models import Citation
from generation.drafting import Draft, Section, Sentence


class DraftStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("CREATE TABLE IF NOT EXISTS drafts (id TEXT PRIMARY KEY, dossier TEXT, created TEXT "
                           "DEFAULT CURRENT_TIMESTAMP, data TEXT)")
        self._lock = threading.Lock()

    def save(self, draft: Draft) -> None:
        data = draft.to_dict() | {"evidence": draft.evidence,
                                  "citations": [[[c.model_dump() for c in s.citations] for s in sec.sentences]
                                                for sec in draft.sections]}
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO drafts (id, dossier, data) VALUES (?,?,?)",
                               (draft.id, draft.dossier, json.dumps(data, ensure_ascii=False)))

    def get(self, draft_id: str) -> Draft:
        row = self._conn.execute("SELECT data FROM drafts WHERE id=?", (draft_id,)).fetchone()
        if not row:
            raise NotFound("Projet introuvable.", param="draft")
        d = json.loads(row[0])
        sections = []
        for sec, cites in zip(d["sections"], d["citations"], strict=True):
            sentences = [Sentence(s["text"], [Citation(**c) for c in sc], s["status"])
                         for s, sc in zip(sec["sentences"], cites, strict=True)]
            sections.append(Section(sec["title"], sentences))
        draft = Draft(d["kind"], d["dossier"], sections, d["removed"], d["model"], d["prompt"], d["warnings"],
                      d["timings"], d["evidence"])
        draft.id = d["id"]
        return draft

    def close(self) -> None:
        self._conn.close()
