"""Remote embeddings over the OpenAI-compatible POST /v1/embeddings (vLLM, Hugging Face TEI, Albert API).

The only module importing the `openai` client for embeddings: batched calls, a timeout per call, retries with
exponential backoff on 429 / 5xx / connection errors, every answer checked (count, model, dimension) before a
vector is used, and library errors turned into French errors."""
from __future__ import annotations

import random
import time
from collections.abc import Sequence

from core.errors import ConfigError, UpstreamBadResponse, UpstreamUnavailable
from core.settings import EmbeddingSettings

# e5 models were trained with these prefixes; bge-m3 and most others take the text as it is.
E5_PREFIXES = ("query: ", "passage: ")


def default_prefixes(model: str) -> tuple[str, str]:
    """(query prefix, passage prefix) a model expects when the settings do not say: e5 models want
    « query: » / « passage: », others nothing."""
    return E5_PREFIXES if "e5" in model.lower().rsplit("/", 1)[-1] else ("", "")


def same_model(configured: str, answered: str | None) -> bool:
    """A server may answer with or without the organisation prefix, or in lower case (« baai/bge-m3 »)."""
    if not answered:
        return True
    a, b = configured.casefold(), answered.casefold()
    return a == b or a.rsplit("/", 1)[-1] == b.rsplit("/", 1)[-1]


class OpenAIEmbedder:
    """Embedder Protocol over an OpenAI-compatible server; `name` is the model, recorded with the collection."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None, dimension: int | None = None,
                 batch_size: int = 32, timeout_s: float = 30.0, retries: int = 4, backoff_s: float = 0.5,
                 query_prefix: str | None = None, passage_prefix: str | None = None) -> None:
        from openai import OpenAI

        self.base_url, self.name = base_url, model
        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=0)
        self._dimension = dimension
        self.batch_size, self.timeout_s, self.retries, self.backoff_s = max(1, batch_size), timeout_s, retries, backoff_s
        qp, pp = default_prefixes(model)
        self.query_prefix = qp if query_prefix is None else query_prefix
        self.passage_prefix = pp if passage_prefix is None else passage_prefix

    @classmethod
    def from_settings(cls, cfg: EmbeddingSettings) -> OpenAIEmbedder:
        if not cfg.base_url or not cfg.model:
            raise ConfigError("Embeddings distants : renseignez embedding.base_url (ex. http://tei:80/v1) et "
                              "embedding.model (ex. BAAI/bge-m3).", code="configuration")
        return cls(cfg.base_url, cfg.model, api_key=cfg.api_key.get_secret_value() if cfg.api_key else None,
                   dimension=cfg.dimension, batch_size=cfg.batch_size, timeout_s=cfg.timeout_s, retries=cfg.retries,
                   backoff_s=cfg.retry_backoff_s, query_prefix=cfg.query_prefix, passage_prefix=cfg.passage_prefix)

    @property
    def dimension(self) -> int:
        """The configured dimension, or the one the server answers for a probe (asked once)."""
        if self._dimension is None:
            self._dimension = len(self._request(["dimension"])[0])
        return self._dimension

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            out += self._request([self.passage_prefix + t for t in texts[i:i + self.batch_size]])
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._request([self.query_prefix + text])[0]

    def _request(self, inputs: list[str]) -> list[list[float]]:
        import openai

        attempts = self.retries + 1
        last: Exception | None = None
        for attempt in range(attempts):
            if attempt:
                time.sleep(min(8.0, self.backoff_s * 2 ** (attempt - 1)) * (0.75 + random.random() / 2))
            try:
                response = self._client.embeddings.create(model=self.name, input=inputs, encoding_format="float")
            except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as exc:
                last = exc  # timeouts are APIConnectionError too: all worth another try
                continue
            except openai.AuthenticationError as exc:
                raise ConfigError(f"Le serveur d'embeddings {self.base_url} refuse la clé d'API (réglage "
                                  "embedding.api_key).", code="embeddings_cle_refusee") from exc
            except openai.NotFoundError as exc:
                raise ConfigError(f"Le serveur d'embeddings {self.base_url} ne connaît pas le modèle « {self.name} » "
                                  "(réglage embedding.model) ou n'offre pas /v1/embeddings.",
                                  code="embeddings_modele_inconnu") from exc
            except openai.APIStatusError as exc:
                raise UpstreamBadResponse(f"Le serveur d'embeddings {self.base_url} a refusé la demande (HTTP "
                                          f"{exc.status_code}).", code="embeddings_refus") from exc
            return self._checked(response, len(inputs))
        raise UpstreamUnavailable(
            f"Le serveur d'embeddings {self.base_url} (modèle {self.name}) ne répond pas après {attempts} essais "
            f"({_cause(last)}) : vérifiez qu'il est démarré et joignable (réglage embedding.base_url).",
            code="embeddings_indisponibles") from last

    def _checked(self, response, expected: int) -> list[list[float]]:
        """Vectors in input order, after checking they are what was asked: never store a wrong vector."""
        if not same_model(self.name, getattr(response, "model", None)):
            raise UpstreamBadResponse(f"Le serveur d'embeddings répond avec le modèle « {response.model} » alors que "
                                      f"« {self.name} » est configuré (embedding.model) : vecteurs refusés, rien "
                                      "n'est enregistré avec eux.", code="embeddings_modele_different")
        data = sorted(response.data or [], key=lambda d: d.index)
        if len(data) != expected:
            raise UpstreamBadResponse(f"Le serveur d'embeddings a renvoyé {len(data)} vecteurs pour {expected} "
                                      "textes : réponse refusée.", code="embeddings_reponse_invalide")
        vectors = [list(map(float, d.embedding)) for d in data]
        sizes = {len(v) for v in vectors}
        want = self._dimension
        if len(sizes) != 1 or (want is not None and sizes != {want}):
            got = ", ".join(map(str, sorted(sizes)))
            raise UpstreamBadResponse(f"Le serveur d'embeddings renvoie des vecteurs de dimension {got} ; {want} est "
                                      f"attendu pour « {self.name} » (réglage embedding.dimension et collection) : "
                                      "vecteurs refusés, rien n'est enregistré avec eux.",
                                      code="embeddings_dimension_differente")
        if self._dimension is None:
            self._dimension = sizes.pop()  # first answer fixes it: later answers must agree
        return vectors


def _cause(exc: Exception | None) -> str:
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return "délai dépassé"
    if isinstance(exc, openai.RateLimitError):
        return "trop de requêtes, HTTP 429"
    if isinstance(exc, openai.APIStatusError):
        return f"erreur du serveur, HTTP {exc.status_code}"
    return "connexion impossible"
