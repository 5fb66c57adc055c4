"""assistant-parquet: one line on error (in French), non-zero exit; --json for machines.

One module per command group; importing them registers their commands on `app`."""
from __future__ import annotations

import sys

import typer
from rich.console import Console

# Importing a group's module registers its commands; this order is the order of `--help`.
# isort: off
from api.cli import ingest, admin, questions, orientation, draft, evaluation, doctor, demo  # noqa: F401
# isort: on
from api.cli.common import app
from core.errors import AppError


def main() -> None:
    """Exit codes: 0 done; 1 done with some files (or checks) failed; 2 the command itself failed."""
    import click

    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except AppError as exc:
        Console(stderr=True).print(f"❌ {exc.message} [{exc.code}]")
        sys.exit(2)
    except (typer.Exit, SystemExit) as exc:
        sys.exit(getattr(exc, "exit_code", getattr(exc, "code", 0)) or 0)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 — never a bare traceback for a magistrate
        from ingestion.safety import is_disk_full

        reason = ("Disque plein : libérez de la place dans le dossier de données puis relancez."
                  if is_disk_full(exc) else f"Erreur inattendue ({type(exc).__name__}) : la commande a échoué.")
        Console(stderr=True).print(f"❌ {reason}")
        sys.exit(2)
