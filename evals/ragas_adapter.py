"""ragas metrics, imported safely.

ragas 0.4.3 imports `langchain_community.chat_models.vertexai`, which current langchain-community releases no
longer ship (ragas issues #2741, #2745, #2995): an inert stand-in is registered before the import, as the
maintainers' pending fix does by making that import optional. Non-LLM metrics always run; LLM-judged metrics run
only with a configured judge, with their prompts adapted to French first (ragas' prompts are English)."""
from __future__ import annotations

import os
import sys
import types
import warnings
from functools import lru_cache


@lru_cache(maxsize=1)
def ragas_modules():
    # a self-hosted tool for the parquet sends nothing out: ragas' usage analytics are off before it is imported
    os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")
    if "langchain_community.chat_models.vertexai" not in sys.modules:
        try:
            import langchain_community.chat_models.vertexai  # noqa: F401
        except ImportError:
            stub = types.ModuleType("langchain_community.chat_models.vertexai")
            stub.ChatVertexAI = type("ChatVertexAI", (), {})
            sys.modules[stub.__name__] = stub
    import langchain_community.llms as community_llms

    if not hasattr(community_llms, "VertexAI"):
        community_llms.VertexAI = type("VertexAI", (), {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ragas.dataset_schema import SingleTurnSample
        from ragas.metrics import (
            IDBasedContextPrecision,
            IDBasedContextRecall,
            NonLLMContextRecall,
            NonLLMStringSimilarity,
        )
    return SingleTurnSample, IDBasedContextPrecision, IDBasedContextRecall, NonLLMContextRecall, NonLLMStringSimilarity


def non_llm_scores(retrieved_ids: list[str], reference_ids: list[str], retrieved_texts: list[str],
                   reference_texts: list[str], response: str, reference: str) -> dict[str, float]:
    """The ragas metrics that need no model: ID-based context precision/recall, context recall, string similarity."""
    sample_cls, id_precision, id_recall, ctx_recall, similarity = ragas_modules()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ids = sample_cls(retrieved_context_ids=retrieved_ids, reference_context_ids=reference_ids)
        texts = sample_cls(retrieved_contexts=retrieved_texts or [""], reference_contexts=reference_texts)
        answer = sample_cls(response=response, reference=reference)
        return {"ragas_id_context_precision": float(id_precision().single_turn_score(ids)),
                "ragas_id_context_recall": float(id_recall().single_turn_score(ids)),
                "ragas_nonllm_context_recall": float(ctx_recall().single_turn_score(texts)),
                "ragas_string_similarity": float(similarity().single_turn_score(answer))}


async def _adapted(metric, llm, language: str = "french") -> bool:
    """Adapt the metric's prompts to French with the judge itself; when the judge cannot (a small model's output
    breaks ragas' parser), keep ragas' English prompts and say so: the score is still computed."""
    try:
        adapted = await metric.adapt_prompts(language=language, llm=llm)
        metric.set_prompts(**adapted)
    except Exception as exc:  # ragas raises its own parser errors, langchain's, or ValueError on a bad reply
        warnings.warn(f"{metric.name}: adaptation des prompts en français impossible avec ce modèle "
                      f"({type(exc).__name__}) ; prompts anglais de ragas conservés", stacklevel=2)
        return False
    return True


async def judged_scores(samples: list[dict], base_url: str, model: str, api_key: str = "not-needed",
                        max_tokens: int = 512) -> list[dict]:
    """Faithfulness and context precision with a judge model, prompts adapted to French (ragas' English prompts
    when the judge cannot adapt them). Each row also says, per metric, whether French prompts were used
    (`<metric>_french_prompts` = 1.0 or 0.0); a verdict the judge's reply does not let ragas read scores NaN."""
    ragas_modules()
    from ragas.dataset_schema import SingleTurnSample
    from ragas.llms import LangchainLLMWrapper
    from ragas.metrics import Faithfulness, LLMContextPrecisionWithReference

    from generation.llm import langchain_chat_model

    # replies are bounded: a small judge that rambles would otherwise write until its context is full
    llm = LangchainLLMWrapper(langchain_chat_model(base_url, model, api_key, temperature=0, max_tokens=max_tokens,
                                                   max_retries=1))
    metrics = [Faithfulness(llm=llm), LLMContextPrecisionWithReference(llm=llm)]
    french = {m.name: await _adapted(m, llm) for m in metrics}
    out = []
    for s in samples:
        sample = SingleTurnSample(user_input=s["question"], response=s["response"],
                                  retrieved_contexts=s["contexts"], reference=s["reference"])
        row: dict[str, float] = {}
        for m in metrics:
            try:
                row[m.name] = float(await m.single_turn_ascore(sample))
            except Exception as exc:  # the judge's reply could not be parsed into a verdict
                warnings.warn(f"{m.name}: verdict illisible ({type(exc).__name__})", stacklevel=2)
                row[m.name] = float("nan")
            row[f"{m.name}_french_prompts"] = float(french[m.name])
        out.append(row)
    return out
