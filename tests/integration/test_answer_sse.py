"""The ask route over real server-sent events on a loopback uvicorn: with an LLM configured the answer arrives
token by token, then the verified sentence; with the embedded default the chosen answer, then done."""
from __future__ import annotations

import json
import random

import httpx
import pytest

from api.app import create_app
from api.auth import TokenStore
from api.services import Services
from core.ids import dossier_key
from core.settings import DraftingSettings, Settings
from evals.datasets.render import Piece, render_pdf
from generation.drafting import Drafter
from generation.llm import FakeChatModel
from tests.server import LiveServer

pytestmark = pytest.mark.integration

PIECE = ("AUDITION EN GARDE À VUE\n\nLe 18 mars 2025 à 10h00, Kevin MARCHAL est entendu.\n"
         "Question : Combien avez-vous retiré de la revente des bijoux ?\n"
         "Réponse : J'en ai tiré à peu près 1 200 euros, qu'on a partagés.\n"
         "Question : Qui était avec vous ?\nRéponse : Je ne donnerai pas son nom.\n")


def _reply(system: str, user: str) -> str:
    line = next(x for x in user.splitlines() if "1 200 euros" in x)
    return f"Kevin MARCHAL a retiré environ 1 200 euros de la revente des bijoux [{line.split(']')[0].strip('[')}]."


def _events(client: httpx.Client, question: str) -> list[tuple[str, dict]]:
    out = []
    with client.stream("POST", "/dossiers/qa-sse/ask", json={"question": question}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        buffer = ""
        for text in r.iter_text():
            buffer += text
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                name = block.split("\n")[0].removeprefix("event: ")
                out.append((name, json.loads(block.split("data: ", 1)[1])))
    return out


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("sse")
    settings = Settings(paths={"data_dir": data}, vector_store={"backend": "memory"}, embedding={"backend": "hash"},
                        llm={"backend": "none"})
    sv = Services(settings)
    folder = data / "in"
    folder.mkdir()
    piece = Piece("D8", "Audition en garde à vue", "POLICE NATIONALE", PIECE.splitlines()[2:], "D8_audition.pdf")
    (folder / piece.filename).write_bytes(render_pdf(piece, random.Random(1)))
    assert not sv.ingestor.ingest([folder], dossier_key("TJ Paris", "qa-sse"), juridiction="TJ Paris").failed
    tokens = TokenStore(data / "db" / "users.sqlite")
    token = tokens.add("paris", "magistrat", "TJ Paris")
    tokens.close()
    with LiveServer(create_app(settings, services=sv)) as server:
        client = httpx.Client(base_url=server.url + "/api", headers={"Authorization": f"Bearer {token}"}, timeout=60)
        yield sv, client
    sv.close()


def test_with_an_llm_the_answer_streams_token_by_token_then_the_verified_sentence(served):
    sv, client = served
    sv.drafter = Drafter(sv.catalog, sv.search, FakeChatModel(_reply), DraftingSettings(llm_mode="always", min_similarity=-1.0))
    events = _events(client, "Combien Kevin MARCHAL a-t-il retiré de la revente des bijoux ?")
    names = [n for n, _ in events]
    assert "retract" not in names, [e for e in events if e[0] != "token"]
    tokens = [d["text"] for n, d in events if n == "token"]
    assert len(tokens) > 3 and names.index("token") < names.index("sentence") < names.index("done")
    sentence = next(d for n, d in events if n == "sentence")
    assert sentence["status"] == "supported" and "1 200 euros" in sentence["text"]
    assert sentence["citations"][0]["cote"] == "D8"
    done = events[-1][1]
    assert done["status"] == "answered" and done["span"] == "1 200 euros"


def test_the_embedded_default_sends_the_chosen_answer_then_done_and_abstains_honestly(served):
    sv, client = served
    sv.drafter = Drafter(sv.catalog, sv.search, None, DraftingSettings())
    events = _events(client, "Combien Kevin MARCHAL a-t-il retiré de la revente des bijoux ?")
    assert [n for n, _ in events] == ["sentence", "done"]
    assert events[0][1]["span"] == "1 200 euros" and "Combien" not in events[0][1]["text"]
    none = _events(client, "Quel est le numéro de téléphone du juge d'instruction ?")
    assert [n for n, _ in none] == ["abstention", "done"]
    assert none[-1][1]["status"] == "abstention" and none[-1][1]["answer"] == "Le dossier ne permet pas de répondre."
