"""ragas' LLM-judged metrics (`eval run --judge`) through the embedded OpenAI-compatible server (bundled SmolLM2).

The tiny model's scores mean nothing: the test checks that the judged metrics run end to end (French prompts, or
ragas' English prompts when the model cannot adapt them, which is recorded) and that the scores are computed and
stored in the results, not their value."""
from __future__ import annotations

import json
import math
import shutil

import pytest

from core.settings import LLMSettings, Settings
from tests.conftest import EXAMPLES

pytestmark = [pytest.mark.integration, pytest.mark.slow]  # tens of judge calls on the 135M model: minutes


def test_judged_ragas_metrics_are_computed_and_stored_with_the_embedded_server(tmp_path):
    from api.services import Services
    from evals.runner import run
    from generation.llm import EmbeddedServer

    gold = json.loads((EXAMPLES / "instruction-000" / "gold.json").read_text())
    dataset = tmp_path / "set"
    shutil.copytree(EXAMPLES / "instruction-000", dataset / "affaire", ignore=shutil.ignore_patterns("gold.json"))
    q = gold["questions"][0]
    (dataset / "questions.jsonl").write_text(json.dumps({
        "dossier": "affaire", "question": q["question"], "reference_answer": q["answer"],
        "gold_citations": [{"cote": s["cote"], "page": s["page"]} for s in q["sources"]]}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    server = EmbeddedServer(LLMSettings(max_tokens=256, timeout_s=120), tmp_path / "judge.log")
    url = server.start()
    services = Services(Settings(paths={"data_dir": tmp_path / "var"}, vector_store={"backend": "memory"},
                                 embedding={"backend": "hash"},
                                 llm={"backend": "none", "judge_base_url": url, "judge_model": LLMSettings().model}))
    try:
        results = run(services, dataset, with_baseline=False, judge=True)
    finally:
        services.close()
        server.stop()
    ours = results["systems"]["ours"]
    judged = {k: v for k, v in ours.items() if k.startswith("judge_")}
    assert {"judge_faithfulness", "judge_llm_context_precision_with_reference"} <= set(judged)
    # whether ragas' prompts could be adapted to French by this judge is recorded, per metric (1.0 or 0.0)
    assert {"judge_faithfulness_french_prompts", "judge_llm_context_precision_with_reference_french_prompts"} <= set(
        judged)
    assert all(isinstance(v, float) for v in judged.values())
    assert all(math.isnan(v) or 0.0 <= v <= 1.0 for v in judged.values())
    saved = [row for row in results["items"] if row.get("task") == "question"]
    assert saved, "the judged run keeps its per-question rows"
