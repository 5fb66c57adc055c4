"""audit: baseline (creates the tables, or adopts the SQLite file an earlier version wrote).

Revision ID: audit_0001
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt, append_only, drop_append_only
from storage.tables import audit_log

revision = "audit_0001"
down_revision = None
branch_labels = ("audit",)
depends_on = None


def upgrade() -> None:
    adopt(audit_log)
    append_only("audit_log", "audit log is append-only", name="audit")


def downgrade() -> None:
    drop_append_only("audit_log", name="audit")
    op.drop_table("audit_log")
