"""How central runs an endpoint: the caller's authentication and the endpoint's work in ONE worker-thread hop.

FastAPI runs a sync dependency in a worker thread of its own, then the sync endpoint in another, then validates
the endpoint's answer in a third: three hops (each a thread hand-over and a wake-up of the event loop) for every
request. `HandlerRoute` turns each plain ``def`` endpoint into one that makes a single hop: a ``user: User``
parameter is read from the Authorization header on the event loop (no database), and the database lookup
(`accounts.authenticate`, which refuses a revoked device at once) runs in the endpoint's own thread, before the
endpoint. The answer is then validated and serialized by FastAPI on the event loop, as for an ``async`` endpoint.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from central import accounts
from central.accounts import Principal
from central.database import Database
from central.guard import PARSED

_bearer = HTTPBearer(auto_error=False, description="The device token from POST /v1/enroll.")
# The request's scope holds the caller's unchecked credentials under this key (for the 422 handler).
CREDENTIALS = "central.credentials"
_LANE = "__central_lane__"


def now() -> dt.datetime:
    """Central's clock (UTC), as every endpoint reads it."""
    return dt.datetime.now(dt.UTC)


def _header(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return f"Bearer {credentials.credentials}" if credentials is not None else None


def _principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, looked up in a thread of its own: only for ``async`` endpoints (HandlerRoute spares the
    plain ones this hop)."""
    return accounts.authenticate(request.app.state.db, _header(credentials), now())


User = Annotated[Principal, Depends(_principal)]


@dataclass(frozen=True, slots=True)
class Credentials:
    """The Authorization header of a request, not yet checked."""

    db: Database
    header: str | None = field(repr=False)  # holds the token: never in a repr, a log line or a traceback

    def principal(self) -> Principal:
        """The caller: `accounts.authenticate` (a select, and a write when last_seen is stale); ApiError 401."""
        return accounts.authenticate(self.db, self.header, now())


async def _credentials(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Credentials:
    found = Credentials(request.app.state.db, _header(credentials))
    request.scope[CREDENTIALS] = found
    return found


_Unchecked = Annotated[Credentials, Depends(_credentials)]
# For an ``async`` endpoint that makes its own hops: the unchecked credentials, to authenticate (Credentials.principal)
# in its first worker thread along with its first piece of work.
Caller = _Unchecked


def in_lane(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run the endpoint in the `anyio.CapacityLimiter` at ``app.state.<name>`` instead of the handler threads."""

    def mark(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        setattr(endpoint, _LANE, name)
        return endpoint

    return mark


def _one_hop(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """An ``async`` stand-in for a plain endpoint: authentication and the endpoint in one worker thread."""
    signature = inspect.signature(endpoint, eval_str=True)
    users = [name for name, param in signature.parameters.items() if param.annotation is User]
    params = [param.replace(annotation=_Unchecked) if param.name in users else param
              for param in signature.parameters.values()]
    lane: str | None = getattr(endpoint, _LANE, None)
    request_param = None
    if lane is not None:
        request_param = "central_request_"
        params.append(inspect.Parameter(request_param, inspect.Parameter.KEYWORD_ONLY, annotation=Request))

    async def handle(**values: Any) -> Any:
        limiter = None
        if request_param is not None:
            limiter = getattr(values.pop(request_param).app.state, lane or "", None)  # None without the lifespan

        def work() -> Any:
            for name in users:
                values[name] = values[name].principal()
            return endpoint(**values)

        work.__name__ = endpoint.__name__
        return await anyio.to_thread.run_sync(work, limiter=limiter)

    handle.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        setattr(handle, attribute, getattr(endpoint, attribute))
    return handle


class _CheckedRequest(Request):
    """A request whose JSON body the RequestGuard parsed (and checked) already: not parsed a second time."""

    async def json(self) -> Any:
        if PARSED in self.scope:
            return self.scope[PARSED]
        return await super().json()


class HandlerRoute(APIRoute):
    """The route class of central's app: plain ``def`` endpoints make one worker-thread hop (see the module),
    and a JSON body is the value the RequestGuard parsed."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if inspect.isfunction(endpoint) and not (inspect.iscoroutinefunction(endpoint)
                                                 or inspect.isgeneratorfunction(endpoint)
                                                 or inspect.isasyncgenfunction(endpoint)):
            endpoint = _one_hop(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_checked_body(request: Request) -> Response:
            return await handler(_CheckedRequest(request.scope, request.receive))

        return with_checked_body
