"""Talking to central over HTTP(S): one method per endpoint, every failure turned into a Dutch message."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, overload

import httpx
from pydantic import BaseModel, ValidationError

from workbench.errors import UserError
from workbench.sync.protocol import (
    DEVICE_REVOKED,
    AnchorClaim,
    AnchorHeld,
    AssignRequest,
    DeviceReport,
    EnrollRequest,
    EnrollResponse,
    FetchRequest,
    FetchResponse,
    NumbersRequest,
    NumbersResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    RowVersions,
    ServerChange,
    SnapshotHeader,
    Summary,
    SummaryWanted,
    TeamDevices,
    TokenRotation,
)
from workbench.sync.round_protocol import RoundRequest, RoundResponse
from workbench.sync.trail_protocol import TrailBatch, TrailHeld

M = TypeVar("M", bound=BaseModel)


class CentralUnreachable(UserError):
    """No answer from central (offline, cut connection, timeout): try again later; nothing was lost."""


class CentralRefused(UserError):
    """Central answered with a refusal (4xx); retrying the same request will not help.

    Attributes:
        status: the HTTP status.
        code: central's machine-readable reason (protocol.ANCHOR_MOVED, TRAIL_GAP, ...), or None.
    """

    def __init__(self, message: str, *, status: int, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class DeviceRevoked(CentralRefused):
    """Central says this device was revoked (lost, stolen, its user disabled): the device must erase itself.

    Attributes:
        reason: central's Dutch explanation, with the administrator's reason.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason, status=401)
        self.reason = reason


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(response: httpx.Response) -> str:
    detail = _body(response).get("detail")
    return detail[:1000] if isinstance(detail, str) else response.reason_phrase


@cache
def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Certificate checking as the system (or the given CA file) says; built once, it costs ~30 ms."""
    return ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()


class Transport:
    """An HTTP client for one central; TLS certificates are checked (a CA file may be given)."""

    def __init__(self, base_url: str, *, token: str | None = None, ca_file: Path | None = None,
                 timeout: float = 30.0, client: httpx.Client | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        verify: Any = _tls_context(str(ca_file) if ca_file else None)
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.Client(base_url=self.base_url, headers=headers, verify=verify,
                                              timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def use_token(self, token: str) -> None:
        """Send ``token`` from the next request on (after a rotation)."""
        self._client.headers["Authorization"] = f"Bearer {token}"

    @overload
    def _call(self, method: str, path: str, answer: type[M], *, body: BaseModel | None = None,
              params: dict[str, Any] | None = None) -> M: ...

    @overload
    def _call(self, method: str, path: str, answer: None, *, body: BaseModel | None = None,
              params: dict[str, Any] | None = None) -> None: ...

    def _call(self, method: str, path: str, answer: type[M] | None, *, body: BaseModel | None = None,
              params: dict[str, Any] | None = None) -> M | None:
        try:
            response = self._client.request(
                method, path, params=params,
                content=body.model_dump_json() if body is not None else None,
                headers={"Content-Type": "application/json"} if body is not None else None)
        except httpx.HTTPError:
            raise _unreachable() from None
        self._refusal(response)
        if answer is None:
            return None
        try:
            return answer.model_validate_json(response.content)
        except ValidationError:
            raise _incomplete() from None

    @staticmethod
    def _refusal(response: httpx.Response) -> None:
        """Raise for a failure status: CentralUnreachable for 5xx, CentralRefused for 4xx."""
        if response.status_code >= 500:
            raise CentralUnreachable("De centrale had een storing. Uw wijzigingen blijven bewaard en "
                                     "gaan mee bij de volgende synchronisatie.")
        if response.status_code == 401 and _body(response).get("code") == DEVICE_REVOKED:
            raise DeviceRevoked(_detail(response))
        if response.status_code >= 400:
            code = _body(response).get("code")
            raise CentralRefused(f"De centrale weigerde het verzoek: {_detail(response)}",
                                 status=response.status_code, code=code if isinstance(code, str) else None)

    def rotate_token(self) -> TokenRotation:
        return self._call("POST", "/v1/sync/token", TokenRotation)

    def enroll(self, request: EnrollRequest) -> EnrollResponse:
        return self._call("POST", "/v1/enroll", EnrollResponse, body=request)

    def push(self, request: PushRequest) -> PushResponse:
        return self._call("POST", "/v1/sync/push", PushResponse, body=request)

    def round_trip(self, request: RoundRequest) -> RoundResponse:
        return self._call("POST", "/v1/sync/round", RoundResponse, body=request)

    def pull(self, cursor: int, limit: int, *, epoch: str | None = None,
             summary: SummaryWanted | None = None) -> PullResponse:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if epoch is not None:
            params["epoch"] = epoch
        if summary is not None:
            params["summary"] = summary
        return self._call("GET", "/v1/sync/pull", PullResponse, params=params)

    @contextmanager
    def snapshot(self) -> Iterator[tuple[SnapshotHeader, Iterator[ServerChange]]]:
        """Every row the user may see now, read as it streams in (see `SnapshotHeader`).

        The rows iterator raises CentralUnreachable when the stream is cut or a line is damaged, also when
        fewer rows arrive than the header announced.
        """
        with ExitStack() as stack:
            try:
                response = stack.enter_context(self._client.stream("GET", "/v1/sync/snapshot"))
            except httpx.HTTPError:
                raise _unreachable() from None
            if response.status_code >= 400:
                response.read()
                self._refusal(response)
            lines = response.iter_lines()
            try:
                header = SnapshotHeader.model_validate_json(next(lines))
            except (httpx.HTTPError, StopIteration, ValidationError):
                raise _incomplete() from None
            yield header, _rows(lines, header.count)

    def summary(self) -> Summary:
        return self._call("GET", "/v1/sync/summary", Summary)

    def row_versions(self, entity: str) -> RowVersions:
        return self._call("GET", f"/v1/sync/rows/{entity}", RowVersions)

    def fetch(self, request: FetchRequest) -> FetchResponse:
        return self._call("POST", "/v1/sync/fetch", FetchResponse, body=request)

    def reserve_numbers(self, request: NumbersRequest) -> NumbersResponse:
        return self._call("POST", "/v1/sync/numbers", NumbersResponse, body=request)

    def anchor_held(self) -> AnchorHeld:
        return self._call("GET", "/v1/sync/anchor", AnchorHeld)

    def claim_anchor(self, claim: AnchorClaim) -> AnchorHeld:
        return self._call("POST", "/v1/sync/anchor", AnchorHeld, body=claim)

    def trail_held(self) -> TrailHeld:
        return self._call("GET", "/v1/sync/audit", TrailHeld)

    def send_trail(self, batch: TrailBatch) -> TrailHeld:
        return self._call("POST", "/v1/sync/audit", TrailHeld, body=batch)

    def report_device(self, report: DeviceReport) -> None:
        self._call("POST", "/v1/sync/device-report", None, body=report)

    def team_devices(self) -> TeamDevices:
        return self._call("GET", "/v1/team/devices", TeamDevices)

    def assign(self, case_id: str, request: AssignRequest) -> None:
        self._call("POST", f"/v1/cases/{case_id}/assign", None, body=request)


def _unreachable() -> CentralUnreachable:
    return CentralUnreachable("De centrale is niet bereikbaar. Uw wijzigingen blijven bewaard en gaan mee bij "
                              "de volgende synchronisatie.")


def _incomplete() -> CentralUnreachable:
    return CentralUnreachable("Het antwoord van de centrale was onvolledig; het wordt later opnieuw geprobeerd.")


def _rows(lines: Iterator[str], count: int) -> Iterator[ServerChange]:
    """The `count` rows after a snapshot header; fewer (a cut stream) or a damaged line is CentralUnreachable."""
    seen = 0
    try:
        for line in lines:
            if not line:
                continue
            yield ServerChange.model_validate_json(line)
            seen += 1
    except (httpx.HTTPError, ValidationError):
        raise _incomplete() from None
    if seen != count:
        raise _incomplete()
