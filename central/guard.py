"""ASGI guard in front of the app: oversized bodies get 413, JSON the database cannot store gets 422, and every
refused request (4xx) gets a log line (uvicorn's access line for every request is off unless asked for).

The guard parses each JSON body once and leaves the value in the request's scope (`PARSED`), where central's
routes take it instead of parsing the body again (central.handling.HandlerRoute).
"""

from __future__ import annotations

import json
import logging
import math
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workbench.sync.protocol import MAX_BODY_BYTES

log = logging.getLogger(__name__)

# An oversized body is read to its end (and dropped) up to this size, so the client can read the 413.
DRAIN_LIMIT = 64 * 1024 * 1024
# Deeper JSON is refused before any model sees it (pydantic gives up, with a 500, at 255 levels).
MAX_NESTING = 64
# The scope key of the body's value, as parsed and checked here.
PARSED = "central.parsed_json"
# A NUL or a lone surrogate in parsed text can only come from such an escape (JSON refuses raw control
# characters in text, and UTF-8 cannot encode surrogates): a body without one needs no look at its text.
_TEXT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


class BadJSON(ValueError):
    """The body is not JSON we accept (the message is Dutch and names what is wrong)."""


def _reject_constant(name: str) -> Any:
    raise BadJSON(f"{name} is geen geldig JSON-getal")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise BadJSON(f"{text[:20]} is geen eindig getal")
    return number


def check_json(body: bytes) -> Any:
    """Parse ``body`` and return its value; refuse what JSON allows but a database cannot hold (NaN, 1e999,
    NUL, lone surrogates, nesting deeper than MAX_NESTING)."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite)
    except BadJSON:
        raise
    except UnicodeDecodeError:
        raise BadJSON("de inhoud is geen UTF-8") from None
    except (ValueError, RecursionError):
        raise BadJSON("de inhoud is geen geldige JSON (of te diep genest)") from None
    if _TEXT_ESCAPE.search(body) is None:
        _check_depth(value)
    else:
        _check_every_value(value)
    return value


def _check_depth(value: Any) -> None:
    """Refuse nesting deeper than MAX_NESTING (a value at depth MAX_NESTING + 1), one level of containers at a
    time."""
    level = [value] if isinstance(value, (dict, list)) else []
    depth = 1
    while level:
        if depth == MAX_NESTING and any(level):
            raise BadJSON(f"de inhoud is dieper genest dan {MAX_NESTING} niveaus")
        inner: list[Any] = []
        for item in level:
            inner.extend(v for v in (item.values() if isinstance(item, dict) else item) if isinstance(v, (dict, list)))
        level = inner
        depth += 1


def _check_every_value(value: Any) -> None:
    """Refuse nesting deeper than MAX_NESTING, and text with a NUL or a lone surrogate."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            raise BadJSON(f"de inhoud is dieper genest dan {MAX_NESTING} niveaus")
        if isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((inner, depth + 1) for inner in item.values())
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise BadJSON("tekst met een NUL-teken (\\u0000) wordt niet aangenomen")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise BadJSON("tekst met een losse surrogaat (\\ud800-\\udfff) wordt niet aangenomen") from None


class RequestGuard:
    """Reads the whole body (at most ``max_bytes``) before the app sees it, and checks it."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, original_send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, original_send)
            return

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400:
                _note_refusal(scope, message["status"])
            await original_send(message)

        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                declared_size = int(declared)
            except ValueError:
                await _answer(send, 400, "Ongeldige Content-Length.")
                return
            if declared_size > DRAIN_LIMIT:
                await _answer(send, 413, self._too_large())
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.max_bytes:
                chunks.append(chunk)
            elif size > DRAIN_LIMIT:
                break
            if not message.get("more_body", False):
                break
        if size > self.max_bytes:
            # Read (and drop) the rest first, so the client sees the 413 instead of a reset connection.
            await _answer(send, 413, self._too_large())
            return
        body = b"".join(chunks)
        if body:
            try:
                scope[PARSED] = check_json(body)
            except BadJSON as exc:
                await _answer(send, 422, f"Ongeldig verzoek: {exc}.")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        return f"Het verzoek is te groot (meer dan {self.max_bytes // (1024 * 1024)} MB); stuur kleinere batches."


def _note_refusal(scope: Scope, status: int) -> None:
    """One line per refused request: method, path (no query, no body, no token) and the client's address."""
    client = scope.get("client")
    log.warning("refused %s %s: %d (client %s)", scope["method"], scope["path"], status,
                client[0] if client else "-")


async def _answer(send: Send, status: int, detail: str) -> None:
    payload = json.dumps({"detail": detail}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})
