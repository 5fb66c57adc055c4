"""decisions: baseline (creates the tables, or adopts the SQLite file an earlier version wrote).

Revision ID: decisions_0001
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt, append_only, drop_append_only
from storage.tables import decisions, proposals, purging

revision = "decisions_0001"
down_revision = None
branch_labels = ("decisions",)
depends_on = None


def upgrade() -> None:
    adopt(proposals, decisions, purging)
    append_only("decisions", "decisions are append-only", purge_table="purging")


def downgrade() -> None:
    drop_append_only("decisions")
    for name in ("decisions", "proposals", "purging"):
        op.drop_table(name)
