"""drafts: baseline (creates the tables, or adopts the SQLite file an earlier version wrote).

Revision ID: drafts_0001
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt
from storage.tables import drafts

revision = "drafts_0001"
down_revision = None
branch_labels = ("drafts",)
depends_on = None


def upgrade() -> None:
    adopt(drafts)


def downgrade() -> None:
    op.drop_table("drafts")
