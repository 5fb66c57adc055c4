"""`eval facts`: the rule extractor on passages (JSONL lines {"id", "text", "facts"?}), no embedding, no store.

Scoring, per fact key, over all passages:
- a key the gold does not state counts as "not stated"; a prediction of null (or [] for a list key) is "not stated";
- TP: the prediction is stated and equal to the gold value; FP: the prediction is stated and differs from the gold
  (including when the gold does not state the key); FN: the gold states the key and the prediction is not equal.
  A wrong value therefore counts once as FP and once as FN;
- equality: numbers within 0.005 (readings in mg/L, g/L) or exactly for integers (km/h, days); booleans and
  strings exactly; breath readings as ordered lists; drug substances as sets of canonical names (« THC » and
  « cannabis (THC) » are « cannabis »); prior convictions as lists of the same length whose entries agree on every
  date and offence code the gold gives;
- precision = TP/(TP+FP), recall = TP/(TP+FN), F1 their harmonic mean; micro-averaged over the keys for the total.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from core.errors import AppError
from evals.metrics import NothingToScore, prf, shown
from orientation.derive import derive
from orientation.extract import FACT_KEYS, extract, offence_code, text_views
from orientation.grid import load_limits
from orientation.lexicon import canonical_substance, fold

LIST_KEYS = {"alcohol_air_mg_l_readings", "drugs_substances"}  # [] = not stated; prior_convictions [] = empty B1
FLOAT_KEYS = {"alcohol_blood_g_l"}


def predict(text: str, limits: dict) -> dict[str, Any]:
    """The value of every fact key for one passage, as `orient --json` gives it (legal recidivism as derived)."""
    facts = extract(text_views(text))
    derived, _ = derive(facts, limits)
    values = {k: (f.value if f else None) for k, f in facts.items()}
    values["legal_recidivism"] = recidivism_value(values["legal_recidivism"], derived["legal_recidivism"])
    return {k: values.get(k) for k in FACT_KEYS}


def recidivism_value(stated_value: bool | None, derived_value: bool | None) -> bool | None:
    """Legal recidivism as a fact: what the text states, else a recidivism computed from the B1 (a computed
    "no" from an empty or old record is the absence of the circumstance, not a statement)."""
    if stated_value is not None:
        return stated_value
    return True if derived_value else None


def stated(key: str, value: Any) -> bool:
    if value is None:
        return False
    return not (key in LIST_KEYS and value == [])


def _substances(values: list) -> set[str]:
    return {canonical_substance(str(v)) or str(v).strip().lower() for v in values}


def _prior_ok(got: dict, gold: dict) -> bool:
    for field in ("date", "final_date", "offence"):
        want = gold.get(field)
        if want is None:
            continue
        have = got.get(field)
        if field == "offence":
            if _code(want) != _code(have) and not (_code(want) == str(want).strip().lower() and have and
                                                   str(have).strip().lower()[:12] in str(want).strip().lower()):
                return False
        elif have != want:
            return False
    return True


CODE_RE = re.compile(r"\b([LR])\s?\.?\s?(\d{3}-\d+(?:-\d+)?)|\b(\d{3}-\d+(?:-\d+)?)", re.IGNORECASE)


def _code(offence: Any) -> str:
    """'L.234-1 conduite en état alcoolique' -> 'L234-1'; '222-20-1 CP …' -> '222-20-1'."""
    text = str(offence or "")
    m = CODE_RE.search(text)
    if not m:  # an offence told in words ("conduite sous l'empire d'un état alcoolique") is compared by its code
        m = CODE_RE.search(offence_code(fold(text)) or "")
        if not m:
            return text.strip().lower()
    return (m.group(1).upper() + m.group(2)) if m.group(1) else m.group(3)


def equal(key: str, got: Any, gold: Any) -> bool:
    if not stated(key, got) or not stated(key, gold):
        return not stated(key, got) and not stated(key, gold)
    if key == "alcohol_air_mg_l_readings":
        return isinstance(got, list) and len(got) == len(gold) and all(abs(float(a) - float(b)) <= 0.005
                                                                       for a, b in zip(got, gold, strict=False))
    if key == "drugs_substances":
        return _substances(got) == _substances(gold)
    if key == "prior_convictions":
        return len(got) == len(gold) and all(_prior_ok(a, b) for a, b in zip(got, gold, strict=False))
    if key in FLOAT_KEYS:
        return isinstance(got, int | float) and abs(float(got) - float(gold)) <= 0.005
    if isinstance(gold, bool) or isinstance(got, bool):
        return got is gold
    return got == gold


def unlisted_no(key: str, got: Any, gold: dict) -> bool:
    """A « no » (False, or an empty criminal record) on a key the gold leaves out entirely. The annotators list the
    facts that decide the orientation and the grid reads an unlisted yes/no as no, so such a value agrees with the
    gold's reading of the file even when nobody wrote it down (« né le 02/04/1987 » → not a minor; « obtempère
    immédiatement » → no refusal to comply). A key the gold lists as null is a stated absence and stays scored."""
    return key not in gold and (got is False or (key == "prior_convictions" and got == []))


def score(pairs: list[tuple[dict, dict]], listed_only: bool = False) -> dict[str, dict]:
    """pairs of (predicted, gold) fact dicts -> per-key counts and P/R/F1, plus 'ALL' micro-averaged.
    `listed_only`: an unlisted « no » (see unlisted_no) is not counted as a false positive."""
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in FACT_KEYS}
    for pred, gold in pairs:
        for key in FACT_KEYS:
            got, want = pred.get(key), gold.get(key)
            if stated(key, want) and equal(key, got, want):
                counts[key]["tp"] += 1
                continue
            if stated(key, got) and not (listed_only and unlisted_no(key, got, gold)):
                counts[key]["fp"] += 1
            if stated(key, want):
                counts[key]["fn"] += 1
    out = {}
    total = {"tp": 0, "fp": 0, "fn": 0}
    for key, c in counts.items():
        for x in total:
            total[x] += c[x]
        if c["tp"] + c["fp"] + c["fn"]:
            out[key] = _prf(c)
    if not out:
        raise NothingToScore("aucun fait énoncé ni prédit dans le jeu de données")
    out["ALL"] = _prf(total)
    return out


def _prf(c: dict) -> dict:
    return {**c, **prf(c["tp"], c["fp"], c["fn"], "facts")}


def read_dataset(path: Path) -> list[dict]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AppError(f"Jeu de données illisible : {path} ({exc.strerror}).", code="entree_invalide") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AppError(f"{path.name}, ligne {n} : JSON invalide ({exc.msg}).", code="entree_invalide") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise AppError(f"{path.name}, ligne {n} : champ « text » absent.", code="entree_invalide")
        row.setdefault("id", f"ligne-{n}")
        rows.append(row)
    if not rows:
        raise AppError(f"{path.name} : aucune ligne.", code="entree_invalide")
    return rows


def evaluate_facts(dataset: Path, out: Path) -> dict:
    """Predict every passage, write DIR/predictions.jsonl, and score against the gold when there is one."""
    rows = read_dataset(dataset)
    limits = load_limits()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    predictions = [{"id": r["id"], "facts": predict(r["text"], limits)} for r in rows]
    elapsed = time.perf_counter() - started
    with (out / "predictions.jsonl").open("w", encoding="utf-8") as fh:
        for p in predictions:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    result: dict[str, Any] = {"passages": len(rows), "seconds": round(elapsed, 3),
                              "passages_per_second": round(len(rows) / elapsed, 1) if elapsed else None}
    gold_rows = [(p["facts"], r["facts"]) for p, r in zip(predictions, rows, strict=True) if isinstance(r.get("facts"), dict)]
    if gold_rows:
        result["scores"] = score(gold_rows)
        result["scores_unlisted_no_agrees"] = score(gold_rows, listed_only=True)["ALL"]
        result["errors"] = [
            {"id": r["id"], "key": k, "predicted": p["facts"].get(k), "gold": r["facts"].get(k)}
            for p, r in zip(predictions, rows, strict=True) if isinstance(r.get("facts"), dict)
            for k in FACT_KEYS if not equal(k, p["facts"].get(k), r["facts"].get(k))]
        (out / "report.md").write_text(report(dataset, result), encoding="utf-8")
    return result


def report(dataset: Path, result: dict) -> str:
    lines = [f"# Faits extraits — {dataset.name}", "", (__doc__ or "").strip().split("\n\n", 1)[1], "",
             f"{result['passages']} passages, {result['passages_per_second']} passages/s.", "",
             "| fait | précision | rappel | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|"]
    for key, m in result["scores"].items():
        lines.append(f"| {key} | {shown(m['precision'])} | {shown(m['recall'])} | {shown(m['f1'])} | {m['tp']} | {m['fp']} | "
                     f"{m['fn']} |")
    if result.get("scores_unlisted_no_agrees"):
        m = result["scores_unlisted_no_agrees"]
        lines += ["", f"Sans compter comme faux positif un « non » sur un fait que le gold ne liste pas : précision "
                      f"{shown(m['precision'])}, rappel {shown(m['recall'])}, F1 {shown(m['f1'])} (fp {m['fp']})."]
    if result.get("errors"):
        lines += ["", "## Écarts", "", "| id | fait | prédit | gold |", "|---|---|---|---|"]
        for e in result["errors"]:
            lines.append(f"| {e['id']} | {e['key']} | {json.dumps(e['predicted'], ensure_ascii=False)} | "
                         f"{json.dumps(e['gold'], ensure_ascii=False)} |")
    return "\n".join(lines) + "\n"
