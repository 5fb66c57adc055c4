"""accounts: baseline (creates the tables, or adopts the SQLite file an earlier version wrote).

Revision ID: accounts_0001
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt
from storage.tables import users

revision = "accounts_0001"
down_revision = None
branch_labels = ("accounts",)
depends_on = None


def upgrade() -> None:
    adopt(users)


def downgrade() -> None:
    op.drop_table("users")
