"""catalog: the blob store in the database (originals and converted PDFs by SHA-256, in chunked rows) and the
blob each document's pages are read from.

Revision ID: catalog_0002
"""
from __future__ import annotations

from alembic import op

from storage.migrations.helpers import adopt
from storage.tables import blob_chunks, blobs, documents

revision = "catalog_0002"
down_revision = "catalog_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    adopt(documents, blobs, blob_chunks)


def downgrade() -> None:
    op.drop_table("blob_chunks")
    op.drop_table("blobs")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("pdf_sha256")
