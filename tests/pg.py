"""A throw-away PostgreSQL server for the tests: initdb into a temporary folder, started on a free loopback port.

Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<version>/bin). initdb refuses to run as
root, so when the tests run as root the cluster belongs to the `postgres` system user (`runuser -u postgres`).
Durability is switched off (fsync, synchronous_commit): the data is deleted at the end anyway."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


def pg_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder; a clear error when the package is missing."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return Path(shutil.which("initdb") or "").parent
    raise RuntimeError("PostgreSQL is not installed: the storage contract tests need a real server "
                       "(apt-get install -y postgresql, or `make setup`).")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """Start with `start()`, get a fresh database with `new_database()`, stop and delete with `stop()`."""

    def __init__(self) -> None:
        self.bin = pg_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="map-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.startup_s = 0.0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60)

    def start(self) -> PostgresServer:
        began = time.monotonic()
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                  "-w", "-t", "30", "start")
        self.startup_s = time.monotonic() - began
        self._watchdog()
        return self

    def _watchdog(self) -> None:
        """A detached shell that stops and deletes the server if this process dies without its teardown (a test
        run killed by a timeout), so that no orphan server is left behind."""
        stop = f"{self.bin / 'pg_ctl'} -D {self.data} -m immediate -w stop"
        if self.as_root:
            stop = f"runuser -u postgres -- {stop}"
        script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
                  f"[ -d {self.data} ] && {stop} >/dev/null 2>&1; rm -rf {self.root}")
        subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty namespace (one per test keeps the tests apart): a schema first on the search path, much
        cheaper than a database; returns its SQLAlchemy URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return self.url("postgres") + f"?options=-csearch_path%3D{name}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
