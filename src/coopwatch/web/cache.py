"""Whole answers remembered per generation of the record (pure ASGI, in front of the app).

A GET that answered 200 is kept, keyed by its path, query and whether it asked for HTML, and replayed as it
was until the record changes: every write bumps `record_generation` (store/cache.py), which is read once per
request (one indexed row), so a replayed answer is never older than the record. Downloads and large answers
are not kept; at most MAX_ENTRIES answers and MAX_BYTES bytes, least recently used out.
"""
from __future__ import annotations

from collections import OrderedDict

from ..store.cache import generation

MAX_ENTRIES = 1024
MAX_BYTES = 64 * 1024 * 1024
MAX_ANSWER = 1024 * 1024  # larger answers (big pages, exports) are made afresh each time
SKIPPED = (b"format=csv", b"format=jsonl", b"format=graphml")


class ResponseCache:
    def __init__(self, app, engine_of) -> None:
        self.app = app
        self.engine_of = engine_of  # the app's engine, looked up when the first request comes
        self.answers: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self.size = 0
        self.generation: int | None = None
        self.hits = self.misses = 0

    def _current_generation(self) -> int:
        with self.engine_of().connect() as conn:
            return generation(conn)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith("/static/") \
                or any(s in scope.get("query_string", b"") for s in SKIPPED):
            await self.app(scope, receive, send)
            return
        now = self._current_generation()
        if now != self.generation:
            self.answers.clear()
            self.size, self.generation = 0, now
        accept = next((v for k, v in scope.get("headers", []) if k == b"accept"), b"")
        key = (scope["path"], scope.get("query_string", b""), b"text/html" in accept)
        found = self.answers.get(key)
        if found is not None:
            self.hits += 1
            self.answers.move_to_end(key)
            status, headers, body = found
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        start: dict = {}
        parts: list[bytes] = []
        keep = True

        async def remembering_send(message) -> None:
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                parts.append(message.get("body", b""))
                if sum(map(len, parts)) > MAX_ANSWER:
                    keep = False
                    parts.clear()
                elif not message.get("more_body", False):
                    self._remember(key, now, start["status"], list(start.get("headers", [])), b"".join(parts))
            await send(message)

        await self.app(scope, receive, remembering_send)

    def _remember(self, key: tuple, at: int, status: int, headers: list, body: bytes) -> None:
        if at != self.generation or key in self.answers:
            return
        self.answers[key] = (status, headers, body)
        self.size += len(body)
        while len(self.answers) > MAX_ENTRIES or self.size > MAX_BYTES:
            _, (_, _, dropped) = self.answers.popitem(last=False)
            self.size -= len(dropped)
