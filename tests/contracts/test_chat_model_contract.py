"""One contract for every ChatModel: the scripted fake and the OpenAI-compatible client against a real server on
loopback (the bundled GGUF served by generation/llm_server.py, as in production with vLLM)."""
from __future__ import annotations

import json
import socket

import pytest

from core.errors import UpstreamUnavailable
from core.protocols import ChatModel
from core.settings import LLMSettings

SCHEMA = {"type": "object", "properties": {"ville": {"type": "string"}, "nombre": {"type": "integer"}},
          "required": ["ville", "nombre"], "additionalProperties": False}


def _fake_reply(system: str, user: str) -> str:
    return json.dumps({"ville": "Paris", "nombre": 3}) if "JSON" in system else "Bonjour, madame la procureure."


@pytest.fixture(scope="module", params=["fake", "openai_loopback"])
def chat(request, tmp_path_factory):
    from generation.llm import FakeChatModel, ManagedChatModel

    if request.param == "fake":
        yield FakeChatModel(_fake_reply)
        return
    model = ManagedChatModel(LLMSettings(max_tokens=80, timeout_s=120), tmp_path_factory.mktemp("llm") / "llm.log")
    yield model
    model.close()


def _dead(kind: str):
    """The same adapter with nothing behind it: an exhausted script, a port where no server listens."""
    from generation.llm import FakeChatModel, OpenAIChatModel

    if kind == "fake":
        return FakeChatModel([])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return OpenAIChatModel(f"http://127.0.0.1:{port}/v1", "x", "k", 2.0, 20, 0.0)


def test_chat_model_names_its_model(chat):
    assert isinstance(chat, ChatModel) and isinstance(chat.model_id, str) and chat.model_id


def test_completion_is_text(chat):
    reply = chat.complete("Tu réponds en français, en une phrase.", "Dis bonjour.")
    assert isinstance(reply, str) and reply.strip()


def test_a_json_schema_constrains_the_reply(chat):
    reply = chat.complete("Réponds en JSON.", "Ville : Paris. Nombre : 3.", json_schema=SCHEMA)
    data = json.loads(reply)
    assert set(data) == {"ville", "nombre"} and isinstance(data["ville"], str) and isinstance(data["nombre"], int)


def test_the_reply_streams_in_pieces(chat):
    pieces = list(chat.stream("Tu réponds en français, en une phrase.", "Dis bonjour."))
    assert len(pieces) > 1 and all(isinstance(p, str) for p in pieces) and "".join(pieces).strip()


@pytest.mark.parametrize("kind", ["fake", "openai_loopback"])
def test_an_unreachable_model_is_an_upstream_error_in_french(kind):
    with pytest.raises(UpstreamUnavailable) as err:
        _dead(kind).complete("s", "u")
    assert err.value.message[:1].isupper() and "Traceback" not in err.value.message
