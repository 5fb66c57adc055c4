"""Optional reranker: a sentence-transformers CrossEncoder from a folder the operator provides (off by default;
LegalBench-RAG found general rerankers can hurt legal retrieval — measure with benchmarks/retrieval.py first)."""
from __future__ import annotations

from collections.abc import Sequence

from core.errors import ConfigError


class CrossEncoderReranker:
    def __init__(self, model_path: str) -> None:
        from sentence_transformers import CrossEncoder

        try:
            self._model = CrossEncoder(model_path, device="cpu", local_files_only=True)
        except Exception as exc:  # library raises OSError/ValueError/HF errors for a bad folder
            raise ConfigError(f"Modèle de reclassement illisible : {model_path}") from exc

    def rerank(self, query: str, passages: Sequence[str]) -> list[float]:
        return [float(s) for s in self._model.predict([(query, p) for p in passages])]
