"""accounts: the failed authentications of the API's throttle, shared by every replica.

Revision ID: accounts_0002
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt
from storage.tables import auth_failures

revision = "accounts_0002"
down_revision = "accounts_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    adopt(auth_failures)


def downgrade() -> None:
    op.drop_table("auth_failures")
