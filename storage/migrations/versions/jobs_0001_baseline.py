"""jobs: baseline (creates the tables, or adopts the SQLite file an earlier version wrote).

Revision ID: jobs_0001
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt
from storage.tables import jobs

revision = "jobs_0001"
down_revision = None
branch_labels = ("jobs",)
depends_on = None


def upgrade() -> None:
    adopt(jobs)


def downgrade() -> None:
    op.drop_table("jobs")
