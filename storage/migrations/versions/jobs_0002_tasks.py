"""jobs: the tasks of queued ingestion and the vectors workers leave for the store's owner.

Revision ID: jobs_0002
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt
from storage.tables import ingest_tasks, ingest_vectors

revision = "jobs_0002"
down_revision = "jobs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    adopt(ingest_tasks, ingest_vectors)


def downgrade() -> None:
    op.drop_table("ingest_vectors")
    op.drop_table("ingest_tasks")
