"""Devices and people on a real central: list, revoke, disable, role and team, token rotation, the admin log."""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.central.wire import new_case, new_id, new_parent
from tests.helpers.central import CentralServer, Crew, DeviceSession

ANY_ID = str(uuid.uuid4())


def _authenticated_calls(server: CentralServer) -> list[tuple[str, str]]:
    """Every (method, path) of central's API that takes a device token, from its own OpenAPI description."""
    with server.client() as http:
        spec = http.get("/openapi.json").json()
    calls = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if operation.get("security"):
                concrete = re.sub(r"\{case_id\}", ANY_ID, re.sub(r"\{entity\}", "case", path))
                calls.append((method.upper(), concrete))
    return calls


def _refusals(device: DeviceSession, calls: list[tuple[str, str]]) -> list[Any]:
    out = []
    for method, path in calls:
        body = {} if method == "POST" else None
        answer = device.http.request(method, path, json=body)
        out.append((method, path, answer.status_code, answer.json()))
    return out


def test_a_revoked_device_is_refused_at_once_on_every_endpoint_and_told_why(
        server: CentralServer, crew: Crew) -> None:
    lost = crew.device()
    other = DeviceSession(server, lost.enrollment["username"])  # the same user's second laptop
    crew.devices.append(other)
    calls = _authenticated_calls(server)
    assert len(calls) >= 10 and ("POST", "/v1/sync/token") in calls
    assert lost.pull()["next_cursor"] >= 0
    done = server.cli("revoke-device", lost.device_id, "--reason", "laptop gestolen uit de auto")
    assert "ingetrokken" in done.stdout
    for method, path, status, body in _refusals(lost, calls):
        assert status == 401, (method, path, status, body)
        assert body["code"] == "device_revoked", (method, path)
        assert "laptop gestolen uit de auto" in body["detail"]
    # Only that laptop: the user's other device still works.
    assert other.pull()["next_cursor"] >= 0
    # Enrolling the revoked device again is refused (a thief who learns the password gets nothing).
    again = lost.http.post("/v1/enroll", json={"username": lost.enrollment["username"],
                                               "password": "Welkom-bij-de-test-1", "device_id": lost.device_id,
                                               "device_name": "x"})
    assert again.status_code == 403 and "ingetrokken" in again.json()["detail"]


def test_revoking_with_bad_input_says_what_is_wrong_and_exits_non_zero(server: CentralServer, crew: Crew) -> None:
    device = crew.device()
    for args, words in [
        (("revoke-device", device.device_id, "--reason", "  "), "reden"),
        (("revoke-device", str(uuid.uuid4()), "--reason", "kwijt"), "niet bekend"),
        (("revoke-device", "abc", "--reason", "kwijt"), "DEVICE_ID"),
        (("revoke-device", device.device_id), "--reason"),
        (("disable-user", "niemand-" + crew.tag, "--reason", "weg"), "bestaat niet"),
        (("set-role", device.enrollment["username"], "baas"), "Onbekende rol"),
        (("set-team", device.enrollment["username"], "Team dat niet bestaat " + crew.tag), "bestaat niet"),
        (("devices", "--user", "niemand-" + crew.tag), "bestaat niet"),
        (("admin-log", "--limit", "0"), "--limit"),
    ]:
        done = server.cli(*args, check=False)
        assert done.returncode != 0, args
        assert words in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    # A prefix of eight characters is enough; revoking twice is refused with the date of the first time.
    server.cli("revoke-device", device.device_id[:8], "--reason", "kwijt")
    twice = server.cli("revoke-device", device.device_id, "--reason", "kwijt", check=False)
    assert twice.returncode == 1 and "al ingetrokken" in twice.stderr


def test_devices_lists_user_device_enrolled_last_seen_pending_and_state(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    answer = anna.http.post("/v1/sync/device-report", json={
        "device_id": anna.device_id, "last_sync_at": None, "pending_changes": 7, "open_conflicts": 0,
        "quarantined_rows": 0, "audit_pending": 12})
    assert answer.status_code == 204, answer.text
    server.cli("revoke-device", bram.device_id, "--reason", "kwijt")
    lines = [json.loads(line) for line in server.cli("devices", "--json").stdout.splitlines()]
    mine = {line["device_id"]: line for line in lines}
    assert mine[anna.device_id]["user"] == anna.enrollment["username"]
    assert mine[anna.device_id]["pending_changes"] == 7 and mine[anna.device_id]["state"] == "actief"
    assert mine[anna.device_id]["audit_pending"] == 12  # audit events still only on the laptop
    assert mine[bram.device_id]["state"] == "ingetrokken"
    assert {"enrolled_at", "last_seen_at", "name"} <= set(mine[anna.device_id])
    only = server.cli("devices", "--user", anna.enrollment["username"]).stdout.splitlines()
    assert only[0].split()[:2] == ["GEBRUIKER", "APPARAAT"] and len(only) == 2
    assert anna.device_id in only[1] and "actief" in only[1] and " 7 " in only[1] and " 12 " in only[1]


def test_a_disabled_user_is_refused_everywhere_and_cannot_enroll(server: CentralServer, crew: Crew) -> None:
    device = crew.device()
    name = device.enrollment["username"]
    second = DeviceSession(server, name)
    crew.devices.append(second)
    server.cli("disable-user", name, "--reason", "uit dienst")
    for session in (device, second):
        answer = session.http.get("/v1/sync/pull")
        assert answer.status_code == 401 and answer.json()["code"] == "device_revoked"
        assert "uit dienst" in answer.json()["detail"]
    fresh = server.client().post("/v1/enroll", json={"username": name, "password": "Welkom-bij-de-test-1",
                                                     "device_id": str(uuid.uuid4()), "device_name": "nieuw"})
    assert fresh.status_code == 403 and "uitgeschakeld" in fresh.json()["detail"]
    states = {json.loads(line)["device_id"]: json.loads(line)["state"]
              for line in server.cli("devices", "--json", "--user", name).stdout.splitlines()}
    assert states == {device.device_id: "ingetrokken", second.device_id: "ingetrokken"}


def test_role_and_team_changes_reach_the_devices_and_every_action_is_in_the_admin_log(
        server: CentralServer, crew: Crew) -> None:
    handler, lead = crew.device(), crew.device("team_lead", team="zuid")
    name = handler.enrollment["username"]
    _changes, _revoked, cursor = handler.pull_all()
    server.cli("set-role", name, "reviewer")
    server.cli("set-team", name, crew.team("zuid"))
    same = server.cli("set-role", name, "reviewer")
    assert "niets veranderd" in same.stdout
    changes, _revoked, _cursor = handler.pull_all(cursor)
    mine = [c for c in changes if c["entity"] == "user" and c["row_id"] == handler.user_id]
    assert mine and mine[-1]["fields"].get("team_id") == lead.enrollment["team_id"]
    assert any(c["fields"].get("role") == "reviewer" for c in mine)
    # Central itself acts on the new role at once: a reviewer cannot open a case.
    case_id, parent_id = new_id(), new_id()
    results = handler.push_ok(new_parent(parent_id), new_case(case_id, parent_id, handler.user_id))
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert "beslisser" in results[0]["reason"]
    log = [json.loads(line) for line in server.cli("admin-log", "--json", "--limit", "1000").stdout.splitlines()]
    actions = [(row["action"], row["target"]) for row in log if row["target"] == name]
    assert ("add-user", name) in actions and ("set-role", name) in actions and ("set-team", name) in actions
    assert actions.count(("set-role", name)) == 1  # the no-op was not logged
    role = next(row for row in log if row["action"] == "set-role" and row["target"] == name)
    assert role["detail"] == {"from": "handler", "to": "reviewer"} and role["actor"]
    text = server.cli("admin-log").stdout
    assert f"set-team  {name}" in text


def test_a_rotated_token_replaces_the_old_one_once_the_new_one_is_used(server: CentralServer, crew: Crew) -> None:
    device = crew.device()
    old = device.token
    first = device.http.post("/v1/sync/token")
    assert first.status_code == 200, first.text
    new = first.json()["device_token"]
    assert new != old and first.json()["renew_after"] < first.json()["expires_at"]
    # The answer may have been lost: the old token still works, and can rotate again.
    assert device.http.get("/v1/sync/pull").status_code == 200
    again = device.http.post("/v1/sync/token")
    assert again.status_code == 200
    newest = again.json()["device_token"]
    device.http.headers["Authorization"] = f"Bearer {new}"
    assert device.http.get("/v1/sync/pull").status_code == 401  # superseded by the second rotation
    device.http.headers["Authorization"] = f"Bearer {newest}"
    assert device.http.get("/v1/sync/pull").status_code == 200
    device.http.headers["Authorization"] = f"Bearer {old}"
    answer = device.http.get("/v1/sync/pull")
    assert answer.status_code == 401 and "code" not in answer.json()


def test_an_expired_token_is_refused_with_its_own_reason(tmp_path: Path) -> None:
    server = CentralServer(tmp_path / "central", env={"CENTRAL_TOKEN_DAYS": str(3 / 86400)}).start()
    try:
        crew = Crew(server)
        device = crew.device()
        assert device.http.get("/v1/sync/pull").status_code == 200
        time.sleep(3.2)
        answer = device.http.get("/v1/sync/pull")
        assert answer.status_code == 401 and answer.json()["code"] == "token_expired"
        assert "verlopen" in answer.json()["detail"]
        states = [json.loads(line)["state"] for line in server.cli("devices", "--json").stdout.splitlines()]
        assert states == ["sleutel verlopen"]
        crew.close()
    finally:
        server.close()


@pytest.mark.parametrize("value", ["dertig", "0", "-1", "400"])
def test_serve_refuses_a_wrong_token_lifetime(tmp_path: Path, value: str) -> None:
    server = CentralServer(tmp_path / "central", env={"CENTRAL_TOKEN_DAYS": value})
    done = server.cli("serve", "--port", "1", check=False)
    assert done.returncode == 1 and "CENTRAL_TOKEN_DAYS" in done.stderr and "Traceback" not in done.stderr
    server.close()
