"""Failed authentications per client, in the state database, so that every API replica counts the same failures.

Why the state database and not Redis: every replica already shares it (it holds the accounts the token is checked
against, so it is on the path of every authentication anyway), the embedded default has it and no Redis, and Redis
is there only when the work queue is (`queue.backend=redis`). One implementation, one Alembic migration, tested on
SQLite and PostgreSQL. Each failure is one INSERT (atomic on both engines, no read-modify-write to race on), so
the count over the window is exact whatever the number of replicas; the rows older than the window are deleted in
the same transaction, so the table holds at most the failures of one window."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from storage.engine import SqlStore
from storage.tables import auth_failures as T


class FailureLog(SqlStore):
    branch = "accounts"

    def add(self, client: str, at: float, expire_before: float) -> None:
        """Record one failure of `client` at `at` (seconds since the epoch) and forget every failure (any client)
        older than `expire_before`."""
        with self.write() as conn:
            conn.execute(T.insert().values(client=client[:200], at=at))
            conn.execute(delete(T).where(T.c.at < expire_before))

    def recent(self, client: str, since: float) -> tuple[int, float | None]:
        """How many failures `client` had at or after `since`, and the oldest of them."""
        with self.read() as conn:
            row = conn.execute(select(func.count(), func.min(T.c.at))
                               .where(T.c.client == client[:200], T.c.at >= since)).one()
        return int(row[0]), row[1]
