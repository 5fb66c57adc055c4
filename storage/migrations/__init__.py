"""Alembic migrations of the state stores, one branch per store; revision ids are `<branch>_<NNNN>`.

HEADS is the newest revision of each branch, written down so that opening an up-to-date database never loads
Alembic (tests/unit/test_state_migrations.py checks it against the revision files)."""

HEADS = {"catalog": "catalog_0001", "jobs": "jobs_0001", "accounts": "accounts_0001", "drafts": "drafts_0001",
         "decisions": "decisions_0001", "audit": "audit_0001"}
