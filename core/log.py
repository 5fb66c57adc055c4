"""Structured logging on the standard library: one JSON object per line, the request id of the current request on
every line, and no case content at INFO or above.

Case content (page text, a question, a quote, a name) may only travel in the `case` extra, which is written at DEBUG
and dropped from every record at INFO and above: an operator's log never holds what the magistrate reads.

    log = logging.getLogger("api")
    with request_context("r-123"):
        log.info("draft.created", extra={"fields": {"dossier": key, "sentences": 12}, "case": {"question": q}})
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

_REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_HANDLER_NAME = "assistant-parquet-json"


def current_request_id() -> str | None:
    return _REQUEST_ID.get()


@contextlib.contextmanager
def request_context(request_id: str | None) -> Iterator[None]:
    """Every record logged inside the block (same thread or task) carries this request id."""
    token = _REQUEST_ID.set(request_id)
    try:
        yield
    finally:
        _REQUEST_ID.reset(token)


class ContextFilter(logging.Filter):
    """Stamps the request id and removes case content from records at INFO and above."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _REQUEST_ID.get()
        if record.levelno >= logging.INFO and hasattr(record, "case"):
            record.case = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, event, request id, fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _REQUEST_ID.get(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({k: v for k, v in fields.items() if k not in line})
        case = getattr(record, "case", None)
        if case and record.levelno < logging.INFO:
            line["case"] = case
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = {"type": record.exc_info[0].__name__, "traceback": self.formatException(record.exc_info)}
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str | int = "INFO", stream: IO[str] | None = None) -> logging.Handler:
    """Send every logger's records to `stream` (stderr by default) as JSON lines; idempotent (a second call
    replaces the handler it installed, never adds one)."""
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(existing)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else level.upper())
    return handler
