"""State in a relational database through SQLAlchemy 2 + Alembic: SQLite files in the data dir by default,
PostgreSQL (or any SQLAlchemy URL) when `state.url` is set. Every store (catalog, jobs, accounts, drafts,
decisions, audit) has one Alembic branch; the same migration files run on both engines."""
