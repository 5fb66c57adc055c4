"""The remote embedding adapter's pure parts: prefixes per model, model-name comparison, settings."""
from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.settings import Settings
from ingestion.openai_embedder import OpenAIEmbedder, default_prefixes, same_model


def test_e5_models_get_their_prefixes_and_others_none():
    assert default_prefixes("intfloat/multilingual-e5-large") == ("query: ", "passage: ")
    assert default_prefixes("BAAI/bge-m3") == ("", "")
    assert default_prefixes("e5-mistral/bge-like") == ("", "")  # the model's own name decides, not its folder
    custom = OpenAIEmbedder("http://127.0.0.1:9/v1", "intfloat/multilingual-e5-large", query_prefix="Question : ",
                            passage_prefix="")
    assert (custom.query_prefix, custom.passage_prefix) == ("Question : ", "")


def test_the_answered_model_must_be_the_configured_one():
    assert same_model("BAAI/bge-m3", "BAAI/bge-m3") and same_model("BAAI/bge-m3", "baai/bge-m3")
    assert same_model("BAAI/bge-m3", "bge-m3") and same_model("BAAI/bge-m3", None)
    assert not same_model("BAAI/bge-m3", "intfloat/multilingual-e5-large")


def test_settings_from_the_environment_and_a_missing_url_refused_in_french(monkeypatch):
    monkeypatch.setenv("MAP_EMBEDDING__BACKEND", "openai")
    monkeypatch.setenv("MAP_EMBEDDING__MODEL", "BAAI/bge-m3")
    monkeypatch.setenv("MAP_EMBEDDING__DIMENSION", "1024")
    monkeypatch.setenv("MAP_EMBEDDING__API_KEY", "secret-value")
    settings = Settings()
    assert settings.embedding.dimension == 1024 and "secret-value" not in str(settings.masked())
    with pytest.raises(ConfigError, match="embedding.base_url"):
        OpenAIEmbedder.from_settings(settings.embedding)
    monkeypatch.setenv("MAP_EMBEDDING__BASE_URL", "http://tei:80/v1")
    embedder = OpenAIEmbedder.from_settings(Settings().embedding)
    assert (embedder.name, embedder.dimension, embedder.query_prefix) == ("BAAI/bge-m3", 1024, "")
