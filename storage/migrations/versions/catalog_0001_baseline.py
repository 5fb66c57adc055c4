"""catalog: baseline (creates the tables, or adopts the SQLite file an earlier version wrote).

Revision ID: catalog_0001
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt
from storage.tables import chunks, documents, dossiers, pages

revision = "catalog_0001"
down_revision = None
branch_labels = ("catalog",)
depends_on = None


def upgrade() -> None:
    adopt(dossiers, documents, pages, chunks)


def downgrade() -> None:
    for name in ("chunks", "pages", "documents", "dossiers"):
        op.drop_table(name)
