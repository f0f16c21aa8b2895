"""Arbitrary JSON against push, pull and the device report of a real central: never a 5xx, nothing invalid kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.central.wire import change, new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession
from workbench.errors import ValidationError
from workbench.sync.fields import FIELDS
from workbench.sync.protocol import CENTRAL_OWNED, summary_digest
from workbench.sync.values import check_fields

FUZZ = settings(derandomize=True, max_examples=200, deadline=None, database=None)


@dataclass
class Target:
    """A device with real rows, so fuzzed changes also reach the value checks of existing rows."""

    device: DeviceSession
    case_id: str
    parent_id: str
    story_id: str


@pytest.fixture(scope="module")
def target(server: CentralServer) -> Iterator[Target]:
    crew = Crew(server)
    device = crew.device()
    case_id, parent_id = open_case(device)
    story = new_story(case_id, author_id=device.user_id)
    device.push_ok(story)
    yield Target(device, case_id, parent_id, story["row_id"])
    crew.close()


leaves = (st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
          | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40)
          | st.sampled_from(["2026-11-29", "2026-02-30", "2026-11-29T09:30:00", "2026-11-29T09:30:00+00:00",
                             "999990019", "999990018", "aangemeld", "open", "draft", "ouder", "", "A" * 300]))
json_values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


def values_for(entity: str) -> st.SearchStrategy[Any]:
    names = sorted(FIELDS.get(entity, {})) or ["id"]
    field_names = st.sampled_from(names) | st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
    value = json_values | st.integers(min_value=0, max_value=300).map(_deep)
    return st.dictionaries(field_names, st.tuples(json_values, value), max_size=5)


@st.composite
def changes(draw: st.DrawFn, t: Target) -> Any:
    """Mostly a change to one of the target's own rows (so it gets past authorization), with fuzzed values."""
    own = [("case", t.case_id, {"case_id": t.case_id}), ("parent", t.parent_id, {"parent_id": t.parent_id}),
           ("story_entry", t.story_id, {"case_id": t.case_id})]
    entity, row_id, scope = draw(st.sampled_from(own))
    if draw(st.integers(0, 3)) == 0:
        entity = draw(st.sampled_from(sorted(FIELDS) + sorted(CENTRAL_OWNED)))
        row_id = draw(st.sampled_from([row_id, row_id.upper()]) | st.uuids().map(str))
    base = change(entity, row_id, {}, op=draw(st.sampled_from(["update", "insert"])),
                  base_rev=draw(st.integers(min_value=0, max_value=3) | st.integers(min_value=-1, max_value=2**70)),
                  **scope)
    base["fields"] = {k: list(v) for k, v in draw(values_for(entity)).items()}
    if draw(st.integers(0, 3)):
        return base
    key = draw(st.sampled_from(sorted(base)))
    return {**base, key: draw(json_values)}  # one part of the change replaced by anything


@st.composite
def push_bodies(draw: st.DrawFn, t: Target) -> str:
    body: Any = {"protocol": 1, "device_id": t.device.device_id, "changes": draw(st.lists(changes(t), max_size=3))}
    if draw(st.integers(0, 9)) == 0:
        body = draw(json_values)
    text = json.dumps(body)
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("0", draw(st.sampled_from(["1e999", "-1e999", "1e308", "0.0"])), 1)
    return text


@st.composite
def report_bodies(draw: st.DrawFn, t: Target) -> Any:
    """A valid report with some of its values replaced by anything."""
    moments = (st.sampled_from(["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2026-11-29T09:30:00"])
               | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
               | st.datetimes().map(lambda d: d.isoformat())
               | st.sampled_from(["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2026-11-29T09:30+99:00"])
               | json_values)
    counts = (st.sampled_from([2**31, 2**63, 10**30, -1]) | st.integers(min_value=-(2**70), max_value=2**70)
              | json_values)
    body: dict[str, Any] = {"device_id": draw(st.sampled_from([t.device.device_id] * 3 + [t.device.device_id.upper()])),
                            "last_sync_at": "2026-11-29T09:30:00+00:00", "pending_changes": 0, "open_conflicts": 0}
    fuzzed = {"device_id": json_values, "last_sync_at": moments, "pending_changes": counts, "open_conflicts": counts,
              "extra": json_values}
    for key in draw(st.lists(st.sampled_from(sorted(fuzzed)), max_size=3, unique=True)):
        body[key] = draw(fuzzed[key])
    return body if draw(st.integers(0, 19)) else draw(json_values)


def _ok(answer: Any, what: object) -> None:
    assert answer.status_code < 500, (what, answer.text[:500])
    if answer.status_code >= 400:
        assert isinstance(answer.json().get("detail"), str), answer.text[:500]


@FUZZ
@given(data=st.data())
def test_fuzzed_pushes_never_get_a_5xx(target: Target, data: st.DataObject) -> None:
    body = data.draw(push_bodies(target))
    answer = target.device.http.post("/v1/sync/push", content=body, headers={"Content-Type": "application/json"})
    _ok(answer, body[:300])


@FUZZ
@given(data=st.data())
def test_fuzzed_pulls_never_get_a_5xx(target: Target, data: st.DataObject) -> None:
    junk = st.integers(min_value=-(2**70), max_value=2**70).map(str) | st.text(max_size=30)
    params = data.draw(st.fixed_dictionaries({}, optional={"cursor": junk, "limit": junk, "extra": junk}))
    _ok(target.device.http.get("/v1/sync/pull", params=params), params)


@FUZZ
@given(data=st.data())
def test_fuzzed_device_reports_never_get_a_5xx(target: Target, data: st.DataObject) -> None:
    body = data.draw(report_bodies(target))
    answer = target.device.http.post("/v1/sync/device-report", content=json.dumps(body),
                                     headers={"Content-Type": "application/json"})
    _ok(answer, body)


def test_after_the_fuzzing_central_is_consistent(server: CentralServer, target: Target, crew: Crew) -> None:
    # Every row the fuzzed device can pull holds only values the shared definitions accept.
    pulled, _, _ = target.device.pull_all()
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for item in pulled:
        key = (item["entity"], item["row_id"])
        latest[key] = {**latest.get(key, {}), **item["fields"], "$rev": item["rev"]}
    for (entity, row_id), row in latest.items():
        if entity in CENTRAL_OWNED:
            continue
        try:
            check_fields(entity, {k: v for k, v in row.items() if k != "$rev"})
        except ValidationError as exc:
            pytest.fail(f"central kept a wrong value in {entity} {row_id}: {exc.field}: {exc.message}")
    # The summary matches what the pull delivered.
    summary = target.device.http.get("/v1/sync/summary").json()
    assert summary["digest"] == summary_digest([f"{e}:{r}:{row['$rev']}" for (e, r), row in latest.items()])
    # A normal device still pushes and pulls.
    fresh = crew.device()
    case_id, _ = open_case(fresh)
    [r] = fresh.push_ok(change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1,
                               case_id=case_id))
    assert r["status"] == "applied"
    seen, _, _ = fresh.pull_all()
    assert any(c["row_id"] == case_id and c["fields"].get("phase") == "eerste_toets" for c in seen)
    assert "Traceback" not in server.log_tail(10_000)
