"""Bad input gets a clear 4xx, never a 5xx: oversized, malformed, unstorable and random bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.central.wire import change, new_id, new_letter, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession
from workbench.sync.protocol import MAX_BATCH, MAX_BODY_BYTES


@pytest.fixture(scope="module")
def device(server: CentralServer) -> Iterator[DeviceSession]:
    crew = Crew(server)
    made = crew.device()
    yield made
    crew.close()


def _raw(device: DeviceSession, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
    answer = device.http.post(path, content=body, headers={"Content-Type": "application/json"})
    return answer.status_code, answer.json()


def test_an_oversized_body_gets_413(device: DeviceSession) -> None:
    big = b'{"protocol": 1, "device_id": "x", "changes": [], "pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    status, body = _raw(device, "/v1/sync/push", big)
    assert status == 413
    assert "te groot" in body["detail"]

    def chunks() -> Iterator[bytes]:
        for _ in range(9):
            yield b" " * (1024 * 1024)

    answer = device.http.post("/v1/sync/push", content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413


@pytest.mark.parametrize("body", [
    b"{", b"not json", b"[1, 2", b"\xff\xfe", b"{" * 100_000 + b"}" * 100_000, b'{"a": NaN}', b'{"a": Infinity}',
])
def test_malformed_json_gets_422(device: DeviceSession, body: bytes) -> None:
    status, answer = _raw(device, "/v1/sync/push", body)
    assert status == 422
    assert answer["detail"].startswith("Ongeldig verzoek")


def test_unstorable_text_gets_422(device: DeviceSession) -> None:
    case_id = new_id()
    for text in ('"a\\u0000b"', '"\\ud800"'):
        payload = {"protocol": 1, "device_id": device.device_id, "changes": [
            change("case", case_id, {"phase": (None, "PLAATS")}, base_rev=1, case_id=case_id)]}
        body = json.dumps(payload).replace('"PLAATS"', text)
        status, answer = _raw(device, "/v1/sync/push", body.encode())
        assert status == 422, answer
    status, _ = _raw(device, "/v1/enroll", b'{"username": "a\\u0000", "password": "x", "device_id": "%s"}'
                     % new_id().encode())
    assert status == 422


def test_validation_errors_name_the_field(device: DeviceSession) -> None:
    good = change("case", new_id(), {"phase": ("a", "b")}, case_id=new_id())
    cases = [
        ({"protocol": 1, "device_id": device.device_id, "changes": []}, "changes"),
        ({"protocol": 2, "device_id": device.device_id, "changes": [good]}, "protocol"),
        ({"protocol": 1, "device_id": device.device_id, "changes": [{**good, "entity": "geheim"}]}, "entity"),
        ({"protocol": 1, "device_id": device.device_id, "changes": [{**good, "extra": 1}]}, "extra"),
        ({"protocol": 1, "device_id": device.device_id, "changes": [{**good, "base_rev": -1}]}, "base_rev"),
        ({"protocol": 1, "device_id": device.device_id, "changes": [{**good, "fields": {"Bad-Name": [1, 2]}}]},
         "fields"),
        ({"protocol": 1, "device_id": device.device_id, "changes": [good] * (MAX_BATCH + 1)}, "changes"),
        ({"protocol": 1, "device_id": "geen-uuid", "changes": [good]}, "device_id"),
    ]
    for payload, field in cases:
        answer = device.http.post("/v1/sync/push", json=payload)
        assert answer.status_code == 422, payload
        assert field in answer.json()["detail"], answer.json()


def test_bad_query_and_path_values_get_422(device: DeviceSession) -> None:
    for params in ({"cursor": "abc"}, {"cursor": -1}, {"cursor": 10**30}, {"limit": 0}, {"limit": 1001}):
        assert device.http.get("/v1/sync/pull", params=params).status_code == 422, params
    assert device.http.get("/v1/sync/rows/geheim").status_code == 422
    assert device.http.post("/v1/sync/fetch", json={"entity": "case", "row_ids": [new_id()] * 1001}).status_code == 422
    answer = device.http.post("/v1/cases/geen-uuid/assign", json={"handler_id": new_id(), "reason": "x"})
    assert answer.status_code == 422


def test_odd_but_valid_values_are_stored_and_returned_as_sent(device: DeviceSession) -> None:
    case_id, parent_id = open_case(device)
    odd: dict[str, Any] = {"achternaam": "ĳsselmeer ✓ — “quotes”", "city": "", "safety_notes": "é" * 10_000}
    [r] = device.push_ok(change("parent", parent_id, {k: (None, v) for k, v in odd.items()}, base_rev=1,
                                parent_id=parent_id))
    assert r["status"] == "applied"
    fetched = device.http.post("/v1/sync/fetch", json={"entity": "parent", "row_ids": [parent_id]}).json()
    assert {k: fetched["changes"][0]["fields"][k] for k in odd} == odd
    nested = {"nested": {"list": [1, 2.5, None, True, {"x": []}]}, "big": 2**62, "empty": ""}
    letter = new_letter(case_id, device.user_id)
    letter["fields"]["field_values"] = [None, nested]
    assert device.push_ok(letter)[0]["status"] == "applied"
    fetched = device.http.post("/v1/sync/fetch", json={"entity": "letter", "row_ids": [letter["row_id"]]}).json()
    assert fetched["changes"][0]["fields"]["field_values"] == nested
    [r] = device.push_ok(change("case", case_id, {"phase": (None, "afgesloten")}, base_rev=2**62, case_id=case_id))
    assert r["status"] == "conflict"
    too_far = change("case", case_id, {"phase": (None, "afgesloten")}, base_rev=10**30, case_id=case_id)
    answer = device.http.post("/v1/sync/push", json={"protocol": 1, "device_id": device.device_id,
                                                     "changes": [too_far]})
    assert answer.status_code == 422 and "base_rev" in answer.json()["detail"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _mutations(device_id: str) -> st.SearchStrategy[Any]:
    good = change("case", new_id(), {"phase": ("a", "b")}, case_id=new_id())
    change_like = st.fixed_dictionaries({}, optional={k: json_values | st.just(v) for k, v in good.items()})
    return st.one_of(
        json_values,
        st.fixed_dictionaries({"protocol": st.just(1) | json_values, "device_id": st.just(device_id) | json_values,
                               "changes": st.lists(change_like | json_values, max_size=3)}),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_bodies_never_get_a_5xx(device: DeviceSession, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(["/v1/sync/push", "/v1/enroll", "/v1/sync/fetch",
                                      f"/v1/cases/{new_id()}/assign"]))
    payload = data.draw(_mutations(device.device_id))
    answer = device.http.post(path, content=json.dumps(payload), headers={"Content-Type": "application/json"})
    assert answer.status_code < 500, (path, payload, answer.text)
    assert "detail" in answer.json() or answer.status_code == 200


def test_the_server_is_still_healthy_after_all_that(server: CentralServer) -> None:
    with server.client() as http:
        assert http.get("/v1/health").status_code == 200
    assert "Traceback" not in server.log_tail(10_000)
