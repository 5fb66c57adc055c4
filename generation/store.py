"""Drafts persisted in SQLite (with their evidence), so that a draft, its stream and its DOCX survive a restart.

Each draft records its owner when it is made: the dossier key, the juridiction and the dossier's creation time, so
that a dossier deleted then re-created under the same id never hands out the old dossier's drafts."""
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
        columns = {r[1] for r in self._conn.execute("PRAGMA table_info(drafts)")}
        for col in ("juridiction", "dossier_created"):
            if col not in columns:  # drafts made before ownership was recorded have no owner: nobody reads them
                self._conn.execute(f"ALTER TABLE drafts ADD COLUMN {col} TEXT")
        self._conn.execute("CREATE INDEX IF NOT EXISTS drafts_dossier ON drafts(dossier)")
        self._lock = threading.Lock()

    def save(self, draft: Draft, juridiction: str | None = None, dossier_created: str | None = None) -> None:
        """Store the draft with its owner (juridiction and incarnation of the dossier it was made from)."""
        data = draft.to_dict() | {"evidence": draft.evidence,
                                  "citations": [[[c.model_dump() for c in s.citations] for s in sec.sentences]
                                                for sec in draft.sections]}
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO drafts (id, dossier, data, juridiction, dossier_created) "
                               "VALUES (?,?,?,?,?)", (draft.id, draft.dossier, json.dumps(data, ensure_ascii=False),
                                                      juridiction, dossier_created))

    def owner(self, draft_id: str) -> tuple[str, str | None, str | None]:
        """(dossier key, juridiction, dossier creation time) recorded when the draft was made."""
        row = self._conn.execute("SELECT dossier, juridiction, dossier_created FROM drafts WHERE id=?",
                                 (draft_id,)).fetchone()
        if not row:
            raise NotFound("Projet introuvable.", param="draft")
        return row[0], row[1], row[2]

    def delete_dossier(self, dossier: str) -> list[str]:
        """Delete every draft of a dossier; returns their ids (to delete their exports too)."""
        with self._lock:
            ids = [r[0] for r in self._conn.execute("SELECT id FROM drafts WHERE dossier=?", (dossier,))]
            self._conn.execute("DELETE FROM drafts WHERE dossier=?", (dossier,))
        return ids

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
                      d["timings"], d["evidence"], pieces=d.get("pieces", []), blocking=d.get("blocking", []))
        draft.id = d["id"]
        return draft

    def close(self) -> None:
        self._conn.close()
