"""Drafts whose every sentence is cited and checked by code: evidence -> draft -> verify -> fall back."""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from core.citation import page_citation
from core.errors import AppError, InvalidInput
from core.models import Citation, format_citations
from core.protocols import ChatModel
from core.settings import DraftingSettings
from generation.consistency import itt_warnings
from generation.evidence import Evidence, analyse_dossier, number
from generation.pieces import LABELS
from generation.plans import plan as plan_sections
from generation.verifier import verify
from prompts import load_prompt

KINDS = {"synthese": "Synthèse des faits", "detention": "Réquisitions aux fins de placement en détention provisoire",
         "requisitoire": "Réquisitoire définitif", "resume": "Résumé de pièce"}


@dataclass
class Sentence:
    text: str
    citations: list[Citation]
    status: str  # supported | fallback | unsupported | a_completer
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "citations": [{"cote": c.cote, "page": c.page, "chunk_id": c.chunk_id}
                                                 for c in self.citations], "status": self.status}


@dataclass
class Section:
    title: str
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Draft:
    kind: str
    dossier: str
    sections: list[Section]
    removed: list[dict]
    model: str
    prompt: dict
    warnings: list[str]
    timings: dict
    evidence: list[dict]
    id: str = ""
    pieces: list[dict] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "dossier": self.dossier,
                "sections": [{"title": s.title, "sentences": [x.to_dict() for x in s.sentences]}
                             for s in self.sections],
                "removed": self.removed, "model": self.model, "prompt": self.prompt, "warnings": self.warnings,
                "blocking": self.blocking, "pieces": self.pieces, "timings": self.timings}

    def render_text(self, style: str = "page") -> str:
        lines = [f"{KINDS[self.kind].upper()} — dossier {self.dossier}",
                 "Projet généré par Mon assistant parquet — à vérifier", ""]
        lines += [f"⚠ BLOQUANT : {b}" for b in self.blocking] + ([""] if self.blocking else [])
        checks = [w for w in self.warnings if w.startswith("Cohérence")]
        lines += [f"⚠ {w}" for w in checks] + ([""] if checks else [])
        for s in self.sections:
            lines.append(s.title)
            for x in s.sentences:
                mark = {"supported": "", "fallback": "", "a_completer": "[À COMPLÉTER] "}.get(x.status, "[NON VÉRIFIÉ] ")
                lines.append(f"  {mark}{x.text} {format_citations(x.citations, style)}".rstrip())
            lines.append("")
        return "\n".join(lines)


_IDS = re.compile(r"\[(E\d+)\]")


def parse_cited(text: str) -> list[tuple[str, list[str]]]:
    """Split model output into sentences, each with the evidence ids it ends with."""
    out = []
    for raw in re.split(r"(?<=[.!?»\]])\s+(?=[A-ZÀ-Ý«])|\n+", text):
        ids = _IDS.findall(raw)
        sentence = _IDS.sub("", raw).strip(" -•*\t")
        sentence = re.sub(r"\s+([.,;:!?])", r"\1", sentence).strip()
        if len(sentence) > 3:
            out.append((sentence, ids))
    return out


def extractive(ev: Evidence) -> Sentence:
    """The evidence sentence itself, lightly normalised: never a claim the page does not make."""
    text = re.sub(r"^(Réponse|R)\s*:\s*", "", ev.text).strip()
    return Sentence(text, ev.citations, "fallback")


class Drafter:
    def __init__(self, catalog, search, llm: ChatModel | None, settings: DraftingSettings,
                 llm_is_tiny: bool = False, judge: ChatModel | None = None) -> None:
        self.catalog, self.search, self.settings = catalog, search, settings
        self.judge = judge
        mode = settings.llm_mode
        self.llm = None if mode == "never" or (mode == "auto" and llm_is_tiny) else llm
        self.notice = ("Modèle embarqué trop petit pour rédiger en français : projet composé des extraits cités, "
                       "chacun vérifié sur sa page." if llm is not None and self.llm is None and llm_is_tiny else None)
        self.prompt = load_prompt("rediger_section")
        # each kind of draft has its own instructions (plan, tone, what may not be written) for a real model
        self.prompts = {kind: load_prompt(f"rediger_{kind}") for kind in ("synthese", "requisitoire", "detention")}
        self.judge_prompt = load_prompt("juger_phrase")
        self._answerer = None

    def _prompt_for(self, kind: str | None):
        return self.prompts.get(kind or "", self.prompt)

    def _prompts_used(self, kind: str | None = None) -> dict:
        """Name and version of the prompts behind a draft (stored with it): the drafting prompt of its kind, and the
        judge's when sentences were judged."""
        prompt = self._prompt_for(kind)
        used = {"name": prompt.name, "version": prompt.version}
        if self.judge is not None and self.settings.use_judge:
            used["judge"] = {"name": self.judge_prompt.name, "version": self.judge_prompt.version}
        return used

    # evidence -------------------------------------------------------------------------------------------
    def _pages(self, dossier: str) -> dict[tuple[str, int], str]:
        out = {}
        for doc in self.catalog.documents(dossier):
            chunks = {c.pdf_page: c for c in self.catalog.chunks(doc.id)}
            for p in self.catalog.pages(doc.id):
                c = chunks.get(p.number)
                cote, number = (c.cote, c.page) if c else page_citation(doc.cote, p)
                if cote:
                    out[(cote, number)] = p.text
        return out

    def plan(self, dossier: str, kind: str, cote: str | None) -> tuple[list, object]:
        """Map (every piece read once) then reduce (sections of this kind within its word budget)."""
        if kind == "resume" and not cote:
            raise InvalidInput("Le résumé porte sur une pièce : précisez la cote.", param="cote")
        analysis = analyse_dossier(self.catalog, dossier)
        budget = self.settings.budget_words.get(kind, 1200)
        return plan_sections(kind, analysis, budget, self._pages(dossier), cote), analysis

    # draft ----------------------------------------------------------------------------------------------
    def stream(self, dossier: str, kind: str, cote: str | None = None,
               on_sentence: Callable[[str, Sentence], None] | None = None) -> Draft:
        if kind not in KINDS:
            raise InvalidInput(f"Type d'acte inconnu « {kind} ».", param="kind")
        self.catalog.dossier(dossier)
        started = time.perf_counter()
        warnings: list[str] = [self.notice] if self.notice else []
        removed: list[dict] = []
        sections: list[Section] = []
        first_at = None
        model_used = "extractif"
        all_evidence: list[Evidence] = []
        planned, analysis = self.plan(dossier, kind, cote)
        warnings += itt_warnings(analysis.items)
        for part in planned:
            evidence = [Evidence("", ln.text, ln.citations[0], part.title, extra=ln.citations[1:])
                        for ln in part.lines]
            number(evidence, start=len(all_evidence) + 1)
            all_evidence += evidence
            section = Section(part.title)
            for sentence in self._section(kind, part.title, evidence, removed, warnings):
                if sentence.status == "supported":
                    model_used = self.llm.model_id if self.llm else model_used
                section.sentences.append(sentence)
                first_at = first_at or time.perf_counter()
                if on_sentence:
                    on_sentence(part.title, sentence)
            if not evidence and kind in ("synthese", "resume"):
                # a synthesis is a reading aid: an empty section is left out and said in the warnings
                if part.placeholder:
                    warnings.append(f"{part.title} : {part.placeholder}")
                continue
            if evidence and part.note:
                note = Sentence(part.note, [], "a_completer")
                section.sentences.append(note)
                if on_sentence:
                    on_sentence(part.title, note)
            if not evidence:
                placeholder = Sentence(part.placeholder or "À compléter par le magistrat.", [], "a_completer")
                section.sentences.append(placeholder)
                if on_sentence:
                    on_sentence(part.title, placeholder)
            sections.append(section)
        pieces = [{"cote": p.cote, "type": p.kind, "label": LABELS[p.kind], "date": p.date.isoformat() if p.date
                   else None, "personnes": [d for _, d in p.heard]} for p in analysis.pieces]
        draft = Draft(kind, dossier, sections, removed, model_used,
                      self._prompts_used(kind), sorted(set(warnings)),
                      {"first_sentence_s": round((first_at or time.perf_counter()) - started, 3),
                       "total_s": round(time.perf_counter() - started, 3)},
                      [{"id": e.id, "text": e.text, "cote": e.citation.cote, "page": e.citation.page,
                        "chunk_id": e.citation.chunk_id} for e in all_evidence],
                      pieces=pieces, blocking=analysis.warnings)
        draft.id = hashlib.sha256(json.dumps(draft.to_dict(), sort_keys=True).encode()).hexdigest()[:16]
        return draft

    def _section(self, kind: str, title: str, evidence: list[Evidence], removed: list[dict],
                 warnings: list[str]) -> Iterator[Sentence]:
        if not evidence:
            return
        if self.llm is None:
            yield from (extractive(e) for e in evidence)
            return
        system, user = self._prompt_for(kind).render(document_title=KINDS[kind], section_title=title,
                                                     evidence=evidence, max_sentences=max(3, len(evidence)))
        try:
            output = self.llm.complete(system, user)
        except AppError as exc:
            warnings.append(f"{exc.message} Projet composé des extraits cités.")
            yield from (extractive(e) for e in evidence)
            return
        by_id = {e.id: e for e in evidence}
        covered: set[str] = set()
        for text, ids in parse_cited(output):
            cited = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
            if not cited:
                removed.append({"text": text, "reason": "aucune source valide citée"})
                continue
            reasons = self.check(text, [e.text for e in cited])
            if not reasons:
                covered.update(e.id for e in cited)
                yield Sentence(text, [c for e in cited for c in e.citations], "supported")
            else:
                removed.append({"text": text, "reason": "; ".join(reasons)})
        for e in evidence:  # whatever the model left out or got wrong is restored from the cited page itself
            if e.id not in covered:
                covered.add(e.id)
                yield extractive(e)

    def check(self, sentence: str, evidence: list[str]) -> list[str]:
        """Why a model-written sentence is not supported by its evidence (empty list: supported).
        Code checks first (numbers, dates, names, plates, words), then embedding similarity, then the judge."""
        verdict = verify(sentence, evidence, self.settings.min_overlap)
        if verdict.reasons:
            return verdict.reasons
        embedder = getattr(self.search, "embedder", None)
        if embedder is not None:
            import numpy as np

            vecs = np.asarray(embedder.embed_passages([sentence, " ".join(evidence)]))
            cosine = float(vecs[0] @ vecs[1] / (np.linalg.norm(vecs[0]) * np.linalg.norm(vecs[1]) + 1e-9))
            if cosine < self.settings.min_similarity:
                return [f"similarité insuffisante avec la source ({cosine:.2f} < {self.settings.min_similarity:.2f})"]
        if self.judge is not None and self.settings.use_judge:
            system, user = self.judge_prompt.render(evidence=evidence, sentence=sentence)
            try:
                answer = self.judge.complete(system, user)
            except AppError:
                return ["juge indisponible : phrase non validée"]
            if not answer.strip().upper().startswith("OUI"):
                return ["le modèle juge estime la phrase non justifiée par ses sources"]
        return []

    def ask(self, dossier: str, question: str, on_event=None) -> dict:
        """A short cited answer or an explicit abstention (generation/answer.py); kept here for existing callers."""
        from generation.answer import Answerer

        if self._answerer is None:
            self._answerer = Answerer(self.catalog, self.search, self.llm, self.check)
        return self._answerer.ask(dossier, question, on_event=on_event)
