"""The tables of every store, as SQLAlchemy Core metadata (the shape the migrations create).

Columns keep the names and types of the SQLite files written by earlier versions, so that an existing data folder
is adopted as it is. Values that are documents (pages, chunks, drafts, proposals, progress) are JSON text."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, LargeBinary, MetaData, PrimaryKeyConstraint, String, Table, Text

metadata = MetaData()

# catalog: dossiers, documents with their ingestion state, pages, chunks
dossiers = Table(
    "dossiers", metadata,
    Column("id", Text, primary_key=True),
    Column("juridiction", Text, nullable=False),
    Column("title", Text),
    Column("created", Text),
)
documents = Table(
    "documents", metadata,
    Column("id", Text, primary_key=True),
    Column("dossier_id", Text, nullable=False),
    Column("cote", Text), Column("title", Text), Column("kind", Text), Column("sha256", Text), Column("filename", Text),
    Column("page_count", Integer), Column("status", Text), Column("error_code", Text), Column("error", Text),
    Column("warnings", Text), Column("pdf_path", Text),
    Column("updated", Text),
    Column("version", Integer, server_default="1"),
    Column("replaced_by", Text),
    Column("pdf_sha256", Text),  # the blob whose pages are read and shown (the original, or its conversion)
    Index("documents_dossier", "dossier_id"),
)
pages = Table(
    "pages", metadata,
    Column("document_id", Text), Column("number", Integer), Column("data", Text),
    PrimaryKeyConstraint("document_id", "number"),
)
chunks = Table(
    "chunks", metadata,
    Column("id", Text, primary_key=True), Column("document_id", Text), Column("dossier_id", Text), Column("data", Text),
    Index("chunks_document", "document_id"),
)

# catalog (blob store, blobs.backend=database): originals and converted PDFs by SHA-256, in rows of blobs.chunk_kb
blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("chunks", Integer, nullable=False),
    Column("created", Float),
)
blob_chunks = Table(
    "blob_chunks", metadata,
    Column("sha256", String(64), nullable=False), Column("seq", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("sha256", "seq"),
)

# jobs: ingestion jobs, their state, progress and report
jobs = Table(
    "jobs", metadata,
    Column("id", Text, primary_key=True), Column("dossier", Text), Column("juridiction", Text), Column("actor", Text),
    Column("state", Text), Column("progress", Text), Column("report", Text), Column("created", Text),
    Column("updated", Text), Column("options", Text),
    Index("jobs_dossier", "dossier"), Index("jobs_state", "state"),
)

# jobs (queued ingestion): one row per task, content-addressed key; vectors a worker computed for the store's owner
ingest_tasks = Table(
    "ingest_tasks", metadata,
    Column("key", String(40), primary_key=True),
    Column("job_id", Text, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("document_id", Text),
    Column("part", Integer, nullable=False),
    Column("size", Integer, nullable=False, server_default="0"),
    Column("state", String(16), nullable=False),  # queued | running | done | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("owner", Text),  # host:pid of the process that took it last
    Column("error", Text),
    Column("result", Text),
    Column("updated", Float, nullable=False),
    Index("ingest_tasks_job", "job_id", "stage"),
)
ingest_vectors = Table(
    "ingest_vectors", metadata,
    Column("chunk_id", Text, primary_key=True),
    Column("document_id", Text, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    Index("ingest_vectors_document", "document_id"),
)

# accounts: users and the hashes of their API tokens
users = Table(
    "users", metadata,
    Column("name", Text, primary_key=True), Column("role", Text), Column("juridiction", Text),
    Column("token_hash", Text, unique=True),
)
# accounts: one row per failed authentication, kept for the throttle's window (shared by every API replica)
auth_failures = Table(
    "auth_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client", String(200), nullable=False),
    Column("at", Float, nullable=False),  # seconds since the epoch
    Index("auth_failures_client", "client", "at"),
    Index("auth_failures_at", "at"),
)

# drafts, with their evidence and owner
drafts = Table(
    "drafts", metadata,
    Column("id", Text, primary_key=True), Column("dossier", Text), Column("created", Text), Column("data", Text),
    Column("juridiction", Text), Column("dossier_created", Text),
    Index("drafts_dossier", "dossier"),
)

# decisions: proposals and the magistrate's append-only decisions
proposals = Table(
    "proposals", metadata,
    Column("id", Text, primary_key=True), Column("dossier_id", Text), Column("created", Text), Column("data", Text),
)
decisions = Table(
    "decisions", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("proposal_id", Text, nullable=False), Column("dossier_id", Text), Column("decided_by", Text, nullable=False),
    Column("decided_at", Text, nullable=False), Column("action", Text, nullable=False), Column("changes", Text),
    Column("reason", Text), Column("proposal", Text, nullable=False), Column("supersedes", Integer),
    Index("decisions_proposal", "proposal_id"),
    sqlite_autoincrement=True,
)
purging = Table("purging", metadata, Column("dossier_id", Text, primary_key=True))

# audit: the HMAC-chained log
audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("dossier", String(200)),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Added after the first migrated version and not needed to read a file written before migrations (read-only
# opening): the blob store, and the blob a document's pages come from (such rows name their file in pdf_path).
NOT_READ_BEFORE = {"blobs", "blob_chunks", "documents.pdf_sha256"}

# Which tables each store (Alembic branch) owns.
BRANCHES: dict[str, tuple[Table, ...]] = {
    "catalog": (dossiers, documents, pages, chunks, blobs, blob_chunks),
    "jobs": (jobs, ingest_tasks, ingest_vectors),
    "accounts": (users, auth_failures),
    "drafts": (drafts,),
    "decisions": (proposals, decisions, purging),
    "audit": (audit_log,),
}
