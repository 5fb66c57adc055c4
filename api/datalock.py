"""One owner per data folder: an exclusive lock taken first by every command that writes (and by the server).

A second writer gets a French error naming the owner and changes nothing. The lock is re-entrant inside one
process (the `serve` command and the app it starts share it) and released by the kernel if the owner dies.
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from core.errors import AppError

LOCK_NAME = "owner.lock"
_held: dict[Path, list] = {}  # resolved folder -> [fd, count]
_guard = threading.Lock()


class DataFolderBusy(AppError):
    code = "dossier_de_donnees_occupe"
    http_status = 409


def owner(data_dir: Path) -> dict | None:
    """Who holds the lock (pid, command, since), or None when it is free."""
    path = Path(data_dir) / LOCK_NAME
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        try:
            return json.loads(Path(path).read_text() or "{}")
        except (OSError, ValueError):
            return {}
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class DataLock:
    """`with DataLock(dir, "ingest"):` or `.acquire()` / `.close()`."""

    def __init__(self, data_dir: Path, command: str) -> None:
        self.folder = Path(data_dir)
        self.command = command
        self._key: Path | None = None

    def acquire(self) -> DataLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = self.folder.resolve()
        with _guard:
            if key in _held:
                _held[key][1] += 1
                self._key = key
                return self
            fd = os.open(key / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                info = {}
                try:
                    info = json.loads((key / LOCK_NAME).read_text() or "{}")
                except (OSError, ValueError):
                    pass
                who = f"« {info.get('command', '?')} », pid {info.get('pid', '?')}, depuis {info.get('since', '?')}"
                raise DataFolderBusy(
                    f"Le dossier de données {key} est déjà utilisé par un autre programme ({who}) : un seul peut y "
                    "écrire à la fois. Rien n'a été modifié. Attendez la fin de ce traitement, ou passez par le "
                    "serveur (l'API) s'il est lancé.") from None
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps({"pid": os.getpid(), "command": self.command, "argv": sys.argv[1:4],
                                     "since": datetime.now(UTC).isoformat(timespec="seconds")}).encode())
            _held[key] = [fd, 1]
            self._key = key
        return self

    def close(self) -> None:
        with _guard:
            if self._key is None or self._key not in _held:
                return
            entry = _held[self._key]
            entry[1] -= 1
            if entry[1] == 0:
                fcntl.flock(entry[0], fcntl.LOCK_UN)
                os.close(entry[0])
                del _held[self._key]
            self._key = None

    def __enter__(self) -> DataLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.close()
