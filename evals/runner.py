"""Evaluation run: our system and the naive RAG baseline on the same dataset, same LLM, same metrics."""
from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path

from core.citation import page_citation
from core.protocols import SearchFilter
from core.text import normalize_for_verify
from evals.baseline import NaiveRag, cited_sentences
from evals.metrics import (
    NothingToScore,
    abstention_prf,
    answer_content_correct,
    boilerplate_share,
    citation_hit,
    contradiction_points,
    contradiction_shown,
    contradictions_precision,
    identical_sections,
    key_fact_present,
    kinds_overlap,
    mrr,
    ratio,
    recall_at_k,
)
from generation.verifier import verify
from prompts import load_prompt

UNANSWERABLE = "Quel est le groupe sanguin de la victime ?"
ABSTAIN = "ne permet pas de répondre"
DEFAULT_THRESHOLDS = {"unsupported_rate": ("<=", 0.01), "citation_precision": (">=", 0.95),
                      "orientation_accuracy": (">=", 1.0)}


def _pages(catalog, dossier: str) -> dict[tuple[str | None, int], str]:
    out = {}
    for doc in catalog.documents(dossier):
        for p in catalog.pages(doc.id):
            out[page_citation(doc.cote, p)] = p.text
    return out


def _flat_words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", normalize_for_verify(text)).strip() + " "


def _own_words(text: str, page: str, others: list[str]) -> bool:
    """The page holds a run of five words of the sentence that no other cited page holds: it is the source of a part
    of the sentence (a line joining two clauses of two pages), which the verifier's overlap threshold alone cannot
    tell, since the first page may hold more than half of the sentence's words."""
    words = _flat_words(text).split()
    here, elsewhere = _flat_words(page), [_flat_words(o) for o in others]
    for i in range(len(words) - 4):
        run = " " + " ".join(words[i:i + 5]) + " "
        if run in here and not any(run in o for o in elsewhere):
            return True
    return False


def score_sentences(sentences: list[tuple[str, list[tuple[str | None, int]]]], pages: dict, min_overlap: float) -> dict:
    """ALCE-style citation metrics with our code checker as the judge."""
    n = supported = page_ok = citations = citations_ok = 0
    for text, cites in sentences:
        n += 1
        texts = [pages[c] for c in cites if c in pages]
        if texts and verify(text, texts, min_overlap).status == "supported":
            supported += 1
        alone = [c for c in cites if c in pages and verify(text, [pages[c]], min_overlap).status == "supported"]
        # ALCE: a citation is precise if it supports the sentence alone, or if the others do not without it
        needed = [c for c in cites if c in pages and c not in alone and texts and verify(text, texts, min_overlap)
                  .status == "supported" and (verify(text, [pages[o] for o in cites if o in pages and o != c],
                                                     min_overlap).status != "supported"
                                              or _own_words(text, pages[c], [pages[o] for o in cites
                                                                             if o in pages and o != c]))]
        citations += len(cites)
        citations_ok += len(alone) + len(needed)
        page_ok += bool(alone) or bool(needed)
    if n == 0:
        raise NothingToScore("aucune phrase à évaluer")
    return {"sentences": n, "citation_recall": supported / n, "unsupported_rate": 1 - supported / n,
            "page_accuracy": page_ok / n, "citation_precision": citations_ok / citations if citations else None}


def key_fact_recall(sentences, gold: dict, prefixes: tuple[str, ...] = ("D",)) -> float:
    """Key facts fully present by content (numbers, names, most content words) in sentences cited to their cote."""
    facts = [_flat_fact(k) for k in gold["key_facts"]]
    facts = [f for f in facts if (f["cote"] or "?")[0] in prefixes]
    return ratio(sum(key_fact_present(f, sentences) for f in facts), len(facts), "key_fact_recall")


def _flat_fact(kf: dict) -> dict:
    """Generated gold ({"text", "source": {...}}) and hand-made facts ({"text", "cote", ...}) in one shape."""
    src = kf.get("source") or kf
    return {"id": kf.get("id", ""), "text": kf["text"], "cote": src["cote"], "page": src.get("page"),
            "content": kf.get("content") or []}


# Piece types as the hand-made annotations name them -> the types our analysis may give.
GOLD_PIECE_TYPES = {
    "b1": {"casier"}, "pv de constatations": {"constatations"}, "audition de garde à vue": {"garde_a_vue"},
    "audition de témoin": {"audition_temoin"}, "audition de victime": {"audition_victime", "plainte"},
    "confrontation": {"confrontation"}, "enquête de personnalité": {"personnalite", "expertise_psy"},
    "expertise / rapport (umj, faed, adn)": {"expertise_medicale", "expertise_adn", "faed", "expertise",
                                             "expertise_psy"},
    "exploitation téléphonie": {"exploitation_telephonie", "reponse_requisition"},
    "interrogatoire au fond": {"interrogatoire"}, "interrogatoire de première comparution": {"interrogatoire_premiere"},
    "ordonnance de contrôle judiciaire": {"ordonnance_cj"},
    "ordonnance de placement en détention provisoire": {"ordonnance_detention"},
    "perquisition / saisie": {"perquisition"}, "plainte": {"plainte"},
    "réponse à réquisition": {"reponse_requisition", "exploitation_telephonie"}, "réquisition": {"requisition"},
    "réquisitoire introductif": {"requisitoire_introductif"},
}
DRAFT_KINDS = ("synthese", "requisitoire", "detention")


def answer_correct(answer: str, reference: str) -> bool:
    """By content (evals.metrics.answer_content_correct): the reference's numbers and names, most of its words."""
    return ABSTAIN not in answer and answer_content_correct(answer, reference)


def qa_abstention(items: list[dict], system: str) -> dict[str, float]:
    """Abstention precision (abstentions that were due) and recall (unanswerable questions abstained)."""
    rows = [(it["abstained"], it["unanswerable"]) for it in items
            if it.get("task") == "question" and it["system"] == system and "abstained" in it]
    try:
        scores = abstention_prf(rows)
    except NothingToScore:
        return {}
    return {"abstention_precision": scores["precision"], "abstention_recall": scores["recall"]}


def load_dataset(dataset: Path) -> dict:
    """Generated folders (gold.json) and hand-made sets (questions.jsonl, see README) as one structure."""
    drafts: dict[str, dict] = {}   # dossier -> {"folder", "key_facts"}
    questions: list[dict] = []
    route: list[Path] = []
    for folder in sorted(p for p in dataset.iterdir() if (p / "gold.json").exists()):
        gold = json.loads((folder / "gold.json").read_text())
        if gold["kind"] == "route":
            route.append(folder)
            continue
        drafts[folder.name] = {"folder": folder, "key_facts": gold["key_facts"]}
        questions += [{"dossier": folder.name, "folder": folder, "question": q["question"], "answer": q["answer"],
                       "sources": q["sources"]} for q in gold["questions"]]
        questions.append({"dossier": folder.name, "folder": folder, "question": UNANSWERABLE, "answer": None,
                          "sources": []})
    handmade = dataset / "questions.jsonl"
    if not handmade.exists() and not drafts and not route:
        return _load_sets(dataset)
    if handmade.exists():
        for n, line in enumerate(handmade.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                folder = dataset / row["dossier"]
                question = row["question"]
            except (json.JSONDecodeError, KeyError) as exc:
                raise NothingToScore(f"questions.jsonl ligne {n} illisible ({exc})") from exc
            sources = [{"cote": c["cote"], "page": int(c["page"])} for c in row.get("gold_citations", [])]
            questions.append({"dossier": row["dossier"], "folder": folder, "question": question,
                              "answer": row.get("reference_answer"), "sources": sources})
            if row.get("gold_facts") and not (dataset / "key_facts.json").exists():
                entry = drafts.setdefault(row["dossier"], {"folder": folder, "key_facts": []})
                entry["key_facts"] += [{"text": f["text"], "source": {"cote": f["cote"], "page": int(f["page"]),
                                                                       "needle": f.get("needle", f["text"])}}
                                       for f in row["gold_facts"]]
        _annotations(dataset, drafts, questions)
    if not drafts and not questions and not route:
        raise NothingToScore(f"aucun élément évaluable dans {dataset} (gold.json ou questions.jsonl)")
    return {"drafts": drafts, "questions": questions, "route": route}


def _annotations(dataset: Path, drafts: dict, questions: list[dict]) -> None:
    """key_facts.json, contradictions.json and pieces.json of a hand-made set (each row may name its dossier;
    otherwise the set's single dossier)."""
    names = sorted({q["dossier"] for q in questions})
    for filename, key in (("key_facts.json", "key_facts"), ("contradictions.json", "contradictions"),
                          ("pieces.json", "pieces")):
        path = dataset / filename
        if not path.exists():
            continue
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise NothingToScore(f"{path.name} illisible ({exc})") from exc
        for row in rows:
            dossier = row.get("dossier") or (names[0] if len(names) == 1 else None)
            if dossier is None:
                raise NothingToScore(f"{path.name} : précisez « dossier » pour chaque ligne (plusieurs dossiers)")
            entry = drafts.setdefault(dossier, {"folder": dataset / dossier, "key_facts": []})
            entry.setdefault(key, []).append(row)


def _load_sets(parent: Path) -> dict:
    """A folder of hand-made sets (e.g. evals/handmade/): each subfolder is one set; dossiers are renamed after
    their set so that two sets may both call their folder « dossier »."""
    merged: dict = {"drafts": {}, "questions": [], "route": []}

    def rename(sub: Path, name: str) -> str:
        return sub.name if name == "dossier" else f"{sub.name}-{name}"

    for sub in sorted(p for p in parent.iterdir() if p.is_dir() and (p / "questions.jsonl").exists()):
        data = load_dataset(sub)
        for name, entry in data["drafts"].items():
            merged["drafts"][rename(sub, name)] = entry
        merged["questions"] += [q | {"dossier": rename(sub, q["dossier"])} for q in data["questions"]]
    if not merged["drafts"] and not merged["questions"]:
        raise NothingToScore(f"aucun élément évaluable dans {parent} (gold.json ou questions.jsonl)")
    return merged


def _draft_sentences(draft) -> list[tuple[str, list[tuple[str | None, int]]]]:
    return [(s.text, [(c.cote, c.page) for c in s.citations]) for sec in draft.sections for s in sec.sentences
            if s.status != "a_completer"]


def score_drafts(drafts: dict, entry: dict, pages: dict, min_overlap: float) -> tuple[dict, dict]:
    """Every drafting metric of one dossier, by content; and the detail of what was missed, to read failures."""
    sentences = [x for d in drafts.values() for x in _draft_sentences(d)]
    try:
        scores = score_sentences(sentences, pages, min_overlap)
    except NothingToScore:
        scores = {"sentences": 0, "citation_recall": 0.0, "unsupported_rate": 1.0, "page_accuracy": 0.0,
                  "citation_precision": None}  # nothing cited: nothing to measure, not a precision of 0
    detail: dict = {}
    facts = [_flat_fact(k) for k in entry.get("key_facts", [])]
    if facts:
        for kind in ("synthese", "requisitoire"):
            got = [key_fact_present(f, _draft_sentences(drafts[kind])) for f in facts]
            name = "key_fact_recall" if kind == "synthese" else f"key_fact_recall_{kind}"
            scores[name] = ratio(sum(got), len(got), name)
            detail[f"missed_{kind}"] = [f["id"] or f["text"][:60] for f, ok in zip(facts, got, strict=True) if not ok]
    if entry.get("contradictions"):
        section = [(s.text, [(c.cote, c.page) for c in s.citations]) for sec in drafts["synthese"].sections
                   if "contradiction" in sec.title.lower() for s in sec.sentences]
        got = [contradiction_shown(c, section) for c in entry["contradictions"]]
        scores["contradictions_shown"] = ratio(sum(got), len(got), "contradictions_shown")
        detail["missed_contradictions"] = [c.get("id") or c.get("topic") for c, ok in
                                           zip(entry["contradictions"], got, strict=True) if not ok]
        scores["contradictions_precision"] = contradictions_precision(entry["contradictions"], section)
        detail["unmatched_contradictions"] = [p[0][0][:120] for p in contradiction_points(section)
                                              if not any(contradiction_shown(c, p) for c in entry["contradictions"])]
    scores["boilerplate_share"] = boilerplate_share([t for t, _ in sentences]) if sentences else 1.0
    scores["words_synthese"] = sum(len(t.split()) for t, _ in _draft_sentences(drafts["synthese"]))
    scores["kinds_overlap"] = kinds_overlap({k: [t for t, _ in _draft_sentences(d)] for k, d in drafts.items()})
    scores["identical_sections"] = identical_sections({k: [[s.text for s in sec.sentences if s.status != "a_completer"]
                                                          for sec in d.sections] for k, d in drafts.items()})
    pieces = {p["cote"]: p for p in drafts["synthese"].pieces}
    scores["pieces"] = len(pieces)
    scores["pieces_without_cote"] = len(drafts["synthese"].blocking)
    if entry.get("pieces"):
        typed = [(p, pieces.get(p["cote"], {}).get("type")) for p in entry["pieces"]
                 if p.get("type", "").lower() in GOLD_PIECE_TYPES]
        if typed:
            ok = [t in GOLD_PIECE_TYPES[p["type"].lower()] for p, t in typed]
            scores["piece_type_accuracy"] = ratio(sum(ok), len(ok), "piece_type_accuracy")
            detail["mistyped"] = [f"{p['cote']}: {p['type']} -> {t}" for (p, t), good in zip(typed, ok, strict=True)
                                  if not good]
    return scores, detail


def run(services, dataset: Path, progress=None, with_baseline: bool = True, judge: bool = False) -> dict:
    """Every stage of an evaluation in order: drafts, questions, the optional judge, orientation; then the summary."""
    data = load_dataset(dataset)
    baseline = NaiveRag(services.catalog, services.embedder, services.llm) if with_baseline else None
    state = _Run(services, baseline)
    for dossier, entry in data["drafts"].items():
        state.drafts(dossier, entry)
        if progress:
            progress(dossier)
    for q in data["questions"]:
        state.question(q)
    if judge:
        state.judge()
    if not data["route"]:
        return _summarise(dataset, state.agg, state.latency, state.items, {"ours": {}, "baseline": {}}, services, {})
    per_case, orientation_facts = state.orientation(dataset, data["route"])
    return _summarise(dataset, state.agg, state.latency, state.items, per_case, services, orientation_facts)


class _Run:
    """What the stages of one evaluation accumulate: scored items, per-system metric values and latencies."""

    def __init__(self, services, baseline: NaiveRag | None) -> None:
        self.services, self.baseline = services, baseline
        self.min_overlap = services.settings.drafting.min_overlap
        self.items: list[dict] = []
        self.agg: dict[str, dict[str, list]] = {"ours": defaultdict(list), "baseline": defaultdict(list)}
        self.latency: dict[str, dict[str, list[float]]] = {"ours": defaultdict(list), "baseline": defaultdict(list)}
        self.judged_samples: dict[str, list[dict]] = {"ours": [], "baseline": []}
        self._ingested: set[str] = set()

    def ensure(self, dossier: str, folder: Path) -> None:
        """Ingest a dossier once (idempotent)."""
        if dossier not in self._ingested:
            self.services.ingestor.ingest([folder], dossier)
            self._ingested.add(dossier)

    def drafts(self, dossier: str, entry: dict) -> None:
        """Stage 1: our three kinds of drafts scored by content and citations, then the baseline's synthèse."""
        self.ensure(dossier, entry["folder"])
        pages = _pages(self.services.catalog, dossier)
        drafts = {}
        for kind in DRAFT_KINDS:
            start = time.perf_counter()
            drafts[kind] = self.services.drafter.stream(dossier, kind)
            self.latency["ours"][kind].append(time.perf_counter() - start)
        scores, detail = score_drafts(drafts, entry, pages, self.min_overlap)
        for k, v in scores.items():
            self.agg["ours"][k].append(v)
        self.items.append({"system": "ours", "task": "drafts", "dossier": dossier} | scores | detail)
        if self.baseline:
            self._baseline_synthese(dossier, entry, pages)

    def _baseline_synthese(self, dossier: str, entry: dict, pages: dict) -> None:
        assert self.baseline is not None
        start = time.perf_counter()
        text, _ = self.baseline.synthese(dossier)
        self.latency["baseline"]["synthese"].append(time.perf_counter() - start)
        sentences = cited_sentences(text)
        try:
            scores = score_sentences(sentences, pages, self.min_overlap)
        except NothingToScore:
            scores = {"sentences": 0, "citation_recall": 0.0, "unsupported_rate": 1.0, "page_accuracy": 0.0,
                      "citation_precision": None}
        if entry.get("key_facts"):
            scores["key_fact_recall"] = key_fact_recall(sentences, {"key_facts": entry["key_facts"]}, tuple("ABCD"))
        scores["boilerplate_share"] = boilerplate_share([t for t, _ in sentences]) if sentences else 1.0
        for k, v in scores.items():
            self.agg["baseline"][k].append(v)
        self.items.append({"system": "baseline", "task": "synthese", "dossier": dossier} | scores)

    def question(self, q: dict) -> None:
        """Stage 2: one question asked of both systems (answer, retrieved pages), each answer scored."""
        dossier = q["dossier"]
        self.ensure(dossier, q["folder"])
        pages = _pages(self.services.catalog, dossier)
        start = time.perf_counter()
        hits = self.services.search.search(q["question"], SearchFilter(dossier_id=dossier), 10)
        ours = self.services.drafter.ask(dossier, q["question"])
        self.latency["ours"]["ask"].append(time.perf_counter() - start)
        answers = {"ours": (ours["answer"], [f"{h.chunk.cote}:{h.chunk.page}" for h in hits],
                            [h.chunk.text for h in hits])}
        if self.baseline:
            start = time.perf_counter()
            text, _ = self.baseline.answer(dossier, q["question"], k=4)
            self.latency["baseline"]["ask"].append(time.perf_counter() - start)
            ranked = self.baseline.retrieve(dossier, q["question"], k=10)
            answers["baseline"] = (text, [f"{c['cote']}:{c['page']}" for c in ranked], [c["text"] for c in ranked])
        for name, (answer, ids, texts) in answers.items():
            self.items.append(self._score_answer(name, q, answer, ids, texts, ours, pages))

    def _score_answer(self, name: str, q: dict, answer: str, ids: list[str], texts: list[str], ours: dict,
                      pages: dict) -> dict:
        from evals.ragas_adapter import non_llm_scores

        agg = self.agg[name]
        reference_ids = [f"{s['cote']}:{s['page']}" for s in q["sources"]]
        row = {"system": name, "task": "question", "dossier": q["dossier"], "question": q["question"],
               "answer": answer[:500]}
        row["abstained"], row["unanswerable"] = ABSTAIN in answer, q["answer"] is None
        if q["answer"] is None:
            agg["abstention_accuracy"].append(float(row["abstained"]))
            return row
        self.judged_samples[name].append({"question": q["question"], "response": answer, "contexts": texts[:4],
                                          "reference": q["answer"]})
        row["correct"] = answer_correct(answer, q["answer"])
        agg["answer_correctness"].append(float(row["correct"]))
        if name == "ours" and q["sources"]:  # right by content and citing a page that states it
            cited = [(c["cote"], int(c["page"])) for st in ours["sentences"] for c in st["citations"]]
            gold = [(x["cote"], int(x["page"])) for x in q["sources"]]
            agg["answer_cited_correctness"].append(float(row["correct"] and citation_hit(cited, gold)))
        if reference_ids:
            rank = next((i for i, x in enumerate(ids, start=1) if x in reference_ids), None)
            row["rank"] = rank
            row |= non_llm_scores(ids, reference_ids, texts, [pages.get((s["cote"], s["page"]), "") for s in q["sources"]],
                                  answer, q["answer"])
            agg["ranks"].append(rank)
            for key in ("ragas_id_context_precision", "ragas_id_context_recall", "ragas_nonllm_context_recall",
                        "ragas_string_similarity"):
                agg[key].append(row[key])
        return row

    def judge(self) -> None:
        """Stage 3 (optional): ragas' LLM-judged metrics on the answered questions, with a configured judge."""
        import asyncio

        from evals.ragas_adapter import judged_scores

        cfg = self.services.settings.llm
        if not (cfg.judge_base_url and cfg.judge_model):
            raise NothingToScore("--judge demande llm.judge_base_url et llm.judge_model")
        for name, samples in self.judged_samples.items():
            if samples:
                for scores in asyncio.run(judged_scores(samples, cfg.judge_base_url, cfg.judge_model,
                                                        cfg.api_key.get_secret_value())):
                    for k, v in scores.items():
                        self.agg[name][f"judge_{k}"].append(v)

    def orientation(self, dataset: Path, route: list[Path]) -> tuple[dict[str, dict[str, float]], dict]:
        """Stage 4: our orientation on the road files (per edge case), then the baseline's; (per case, facts)."""
        from evals.orientation_eval import evaluate_orientation

        orientation = evaluate_orientation(self.services, dataset)
        self.agg["ours"]["orientation_accuracy"].append(orientation["orientation_accuracy"])
        for it in orientation["items"]:
            self.items.append({"system": "ours", "task": "orientation"} | it)
            self.latency["ours"]["orientation"].append(it["seconds"])
        per_case: dict[str, dict[str, float]] = {"ours": orientation["per_profile"], "baseline": {}}
        if self.baseline:
            per_case["baseline"] = self._baseline_orientation(route)
        return per_case, orientation["facts"]

    def _baseline_orientation(self, route: list[Path]) -> dict[str, float]:
        from orientation.grid import ORIENTATIONS

        assert self.baseline is not None
        codes = ", ".join(sorted(ORIENTATIONS))
        prompt = load_prompt("orienter_rag_naive")
        by_case: dict[str, list[bool]] = defaultdict(list)
        for folder in route:
            gold = json.loads((folder / "gold.json").read_text())
            contexts = self.baseline.retrieve(folder.name, "alcoolémie taux permis antécédents orientation", k=6)
            start = time.perf_counter()
            try:
                reply = self.services.llm.complete(*prompt.render(codes=codes, contexts=[c["text"] for c in contexts]))
            except Exception:  # the baseline has no fallback: a failure is a wrong answer
                reply = ""
            self.latency["baseline"]["orientation"].append(time.perf_counter() - start)
            found = re.search("|".join(sorted(ORIENTATIONS, key=len, reverse=True)), reply or "")
            ok = bool(found) and found.group(0) == gold["expected_orientation"]
            by_case[gold["profile"]].append(ok)
            self.items.append({"system": "baseline", "task": "orientation", "file": folder.name,
                               "profile": gold["profile"], "expected": gold["expected_orientation"],
                               "got": found.group(0) if found else None, "correct": ok})
        self.agg["baseline"]["orientation_accuracy"].append(
            sum(sum(v) for v in by_case.values()) / sum(len(v) for v in by_case.values()))
        return {k: sum(v) / len(v) for k, v in sorted(by_case.items())}


def _summarise(dataset, agg, latency, items, per_case, services, orientation_facts) -> dict:
    systems = {}
    for name, values in agg.items():
        if not values:
            continue
        measured = {k: [x for x in v if x is not None] for k, v in values.items()
                    if k not in ("ranks", "sentences", "pieces", "pieces_without_cote") and v}
        # a metric with nothing to measure in every case stays None (« rien à mesurer »), never 0
        metrics = {k: round(sum(v) / len(v), 4) if v else None for k, v in measured.items()}
        for k in ("words_synthese", "kinds_overlap", "boilerplate_share", "unsupported_rate"):
            if [x for x in values.get(k, []) if x is not None]:
                metrics[f"{k}_max"] = round(max(x for x in values[k] if x is not None), 4)
        if values.get("pieces_without_cote"):
            metrics["pieces_without_cote"] = sum(values["pieces_without_cote"])
        ranks = values.get("ranks", [])
        if ranks:
            metrics |= {"retrieval_recall_at_5": round(recall_at_k(ranks, 5), 4),
                        "retrieval_recall_at_10": round(recall_at_k(ranks, 10), 4), "retrieval_mrr": round(mrr(ranks), 4)}
        metrics["latency_synthese_s"] = round(sum(latency[name]["synthese"]) / max(1, len(latency[name]["synthese"])), 3)
        for kind in ("requisitoire", "detention"):
            if latency[name].get(kind):
                metrics[f"latency_{kind}_s"] = round(sum(latency[name][kind]) / len(latency[name][kind]), 3)
        metrics["latency_ask_s"] = round(sum(latency[name]["ask"]) / max(1, len(latency[name]["ask"])), 3)
        metrics |= qa_abstention(items, name)
        systems[name] = metrics
    return {"dataset": str(dataset), "systems": systems, "per_case": per_case,
            "latency": {k: dict(v) for k, v in latency.items()}, "items": items,
            "model": services.llm.model_id if services.llm else "aucun",
            "orientation_facts": orientation_facts}


def check_thresholds(results: dict, thresholds: dict[str, tuple[str, float]]) -> list[str]:
    failures = []
    ours = results["systems"]["ours"]
    for metric, (op, limit) in thresholds.items():
        if metric not in ours:
            failures.append(f"{metric}: absent des résultats")
            continue
        value = ours[metric]
        if value is None:
            failures.append(f"{metric}: rien à mesurer")
            continue
        ok = value <= limit if op == "<=" else value >= limit
        if not ok:
            failures.append(f"{metric} = {value} (seuil {op} {limit})")
    return failures


def compare(a: dict, b: dict) -> list[tuple[str, float, float, float]]:
    """(metric, before, after, delta) for every metric of 'ours' present in both runs."""
    before, after = a["systems"]["ours"], b["systems"]["ours"]
    return [(k, before[k], after[k], round(after[k] - before[k], 4)) for k in sorted(before)
            if k in after and before[k] is not None and after[k] is not None]

