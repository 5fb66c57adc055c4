"""N simulated magistrates for T seconds on loopback: search, ask and orientation against a live server.

Starts its own server (`assistant-parquet serve`, embedded backends) in a fresh data dir unless --url is given.
Traffic goes to 127.0.0.1 only; every loop is bounded by the deadline."""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
from _common import ROOT, percentile, print_table, write_json

QUESTIONS = ["Quelle est la durée de l'ITT de la victime ?", "Qu'a-t-on découvert lors de la perquisition ?",
             "Le mis en cause reconnaît-il les faits ?", "Quelle immatriculation le témoin a-t-il relevée ?"]


def start_server(data: Path) -> tuple[subprocess.Popen, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAP_PATHS__DATA_DIR": str(data), "MAP_LLM__BACKEND": "none"}
    token = subprocess.run([sys.executable, "-m", "api.cli", "users", "add", "charge", "--role", "magistrat",
                            "--juridiction", "TJ Paris"], env=env, cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                return proc, url, token
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def seed(client: httpx.Client) -> None:
    for folder in sorted((ROOT / "examples").iterdir()):
        if not folder.is_dir():
            continue
        client.post("/dossiers", json={"id": folder.name})
        files = [("files", (p.name, p.read_bytes())) for p in sorted(folder.glob("*.pdf"))]
        job = client.post(f"/dossiers/{folder.name}/documents", files=files).json()["job"]
        while client.get(f"/jobs/{job}").json()["state"] in ("queued", "running"):
            time.sleep(0.3)


async def user(client: httpx.AsyncClient, deadline: float, stats: dict, rng: random.Random) -> None:
    while time.monotonic() < deadline:
        kind = rng.choice(["search", "search", "ask", "orientation"])
        start = time.perf_counter()
        try:
            if kind == "search":
                r = await client.post("/dossiers/instruction-000/search", json={"query": rng.choice(QUESTIONS), "k": 8})
            elif kind == "ask":
                r = await client.post("/dossiers/instruction-000/ask", json={"question": rng.choice(QUESTIONS)})
            else:
                r = await client.post(f"/dossiers/{rng.choice(['route-000-delit_mid', 'route-002-recidivism'])}/orientation")
            ok = r.status_code < 400
        except httpx.HTTPError:
            ok = False
        stats[kind].append((time.perf_counter() - start, ok))
        await asyncio.sleep(rng.uniform(2.0, 8.0))  # a magistrate reads the result before the next action


async def run(url: str, token: str, users: int, seconds: float) -> dict:
    stats: dict[str, list] = defaultdict(list)
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=users)
    async with httpx.AsyncClient(base_url=url + "/api", headers={"Authorization": f"Bearer {token}"}, timeout=120,
                                 limits=limits) as client:
        await asyncio.gather(*(user(client, deadline, stats, random.Random(i)) for i in range(users)))
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--url")
    ap.add_argument("--token")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = ap.parse_args()
    proc = None
    url, token = args.url, args.token
    if not url:
        proc, url, token = start_server(Path(tempfile.mkdtemp(prefix="bench-load-")))
    try:
        with httpx.Client(base_url=url + "/api", headers={"Authorization": f"Bearer {token}"}, timeout=600) as c:
            seed(c)
        stats = asyncio.run(run(url, token, args.users, args.seconds))
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)
    rows, out = [], []
    for kind, samples in sorted(stats.items()):
        times = [t * 1000 for t, _ in samples]
        errors = sum(1 for _, ok in samples if not ok)
        rows.append([kind, len(samples), errors, f"{percentile(times, 0.5):.0f}", f"{percentile(times, 0.95):.0f}"])
        out.append({"endpoint": kind, "requests": len(samples), "errors": errors,
                    "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)})
    print_table(f"Load: {args.users} users, {args.seconds:.0f} s, loopback, embedded backends",
                ["endpoint", "requests", "errors", "p50 ms", "p95 ms"], rows)
    write_json(args.json, {"users": args.users, "seconds": args.seconds, "endpoints": out})


if __name__ == "__main__":
    main()
