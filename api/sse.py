"""Server-sent events: (name, data) pairs as `event:` / `data:` frames, JSON in French kept unescaped."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator


def sse(events: Iterable[tuple[str, object]]) -> Iterator[str]:
    for name, data in events:
        yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
