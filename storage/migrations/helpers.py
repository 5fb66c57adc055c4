"""What the baseline migrations share: create a table, or adopt the one an earlier version wrote.

The files written before Alembic (SQLite, one per store) have the baseline's tables, sometimes without the columns
added later by hand-written ALTERs; adopting them means adding what is missing, never rewriting what is there."""
from __future__ import annotations

from alembic import op
from sqlalchemy import Table, inspect


def adopt(*tables: Table) -> None:
    """Create each table, or add the columns and indexes an existing one lacks (all are nullable or defaulted)."""
    bind = op.get_bind()
    insp = inspect(bind)
    existing = set(insp.get_table_names())
    for table in tables:
        if table.name not in existing:
            op.create_table(table.name, *[c._copy() for c in table.columns], **table.kwargs)
        else:
            have = {c["name"] for c in insp.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    op.add_column(table.name, column._copy())
        have_idx = {i["name"] for i in insp.get_indexes(table.name)} if table.name in existing else set()
        for index in table.indexes:
            if index.name not in have_idx:
                op.create_index(index.name, table.name, [c.name for c in index.columns], unique=bool(index.unique))


def dialect() -> str:
    return op.get_bind().dialect.name


def append_only(table: str, message: str, purge_table: str | None = None, purge_column: str = "dossier_id",
                name: str | None = None) -> None:
    """Refuse UPDATE and DELETE on `table` in the database itself; with `purge_table`, a DELETE is allowed for rows
    whose `purge_column` is listed there (the deletion of a whole dossier, done on purpose). Triggers are named
    `<name>_no_update` / `<name>_no_delete` (the names earlier versions gave them)."""
    name = name or table
    if dialect() == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {name}_no_update")
        op.execute(f"CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END;")
        op.execute(f"DROP TRIGGER IF EXISTS {name}_no_delete")
        when = (f"WHEN NOT EXISTS (SELECT 1 FROM {purge_table} WHERE {purge_column} = OLD.{purge_column}) "
                if purge_table else "")
        op.execute(f"CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {table} {when}"
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END;")
        return
    if dialect() == "postgresql":
        allow = (f"IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {purge_table} WHERE {purge_column} = "
                 f"OLD.{purge_column}) THEN RETURN OLD; END IF;" if purge_table else "")
        op.execute(f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN {allow} RAISE EXCEPTION '{message}'; END $$")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()")


def drop_append_only(table: str, name: str | None = None) -> None:
    name = name or table
    if dialect() == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {name}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {name}_no_delete")
    elif dialect() == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
