"""Enrollment and device tokens against a real central: credentials, throttling, token checks."""

from __future__ import annotations

import uuid

from tests.helpers.central import TEST_PASSWORD, CentralServer, Crew, DeviceSession


def _enroll(server: CentralServer, username: str, password: str, device_id: str | None = None) -> dict:
    with server.client() as http:
        answer = http.post("/v1/enroll", json={"username": username, "password": password,
                                               "device_id": device_id or str(uuid.uuid4())})
    return {"status": answer.status_code, **answer.json()}


def test_enrollment_answers_the_user_and_a_token_that_works(server: CentralServer, crew: Crew) -> None:
    lead = crew.device("team_lead")
    assert lead.enrollment["role"] == "team_lead"
    assert lead.enrollment["team_name"] == crew.team()
    assert lead.enrollment["display_name"].startswith("Test ")
    assert len(lead.token) >= 40
    assert lead.http.get("/v1/sync/summary").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_dutch_401(server: CentralServer, crew: Crew) -> None:
    handler = crew.device()
    username = handler.enrollment["username"]
    wrong = _enroll(server, username, "niet-het-wachtwoord")
    unknown = _enroll(server, f"niemand_{crew.tag}", TEST_PASSWORD)
    assert wrong["status"] == unknown["status"] == 401
    assert wrong["detail"] == unknown["detail"] == "Gebruikersnaam of wachtwoord klopt niet."
    assert "device_token" not in wrong


def test_enrollment_is_throttled_per_username_after_five_failures(server: CentralServer, crew: Crew) -> None:
    victim, bystander = crew.device(name="victim"), crew.device(name="bystander")
    for _ in range(5):
        assert _enroll(server, victim.enrollment["username"], "fout")["status"] == 401
    throttled = _enroll(server, victim.enrollment["username"], TEST_PASSWORD)
    assert throttled["status"] == 429
    assert "Te veel mislukte aanmeldpogingen" in throttled["detail"]
    assert _enroll(server, bystander.enrollment["username"], TEST_PASSWORD)["status"] == 200


def test_a_device_enrolled_for_one_user_cannot_be_taken_over_by_another(server: CentralServer, crew: Crew) -> None:
    first, second = crew.device(), crew.device()
    answer = _enroll(server, second.enrollment["username"], TEST_PASSWORD, device_id=first.device_id)
    assert answer["status"] == 409
    assert "andere gebruiker" in answer["detail"]


def test_reenrolling_a_device_replaces_its_token(server: CentralServer, crew: Crew) -> None:
    device = crew.device()
    again = DeviceSession(server, device.enrollment["username"], device_id=device.device_id)
    try:
        assert again.token != device.token
        assert device.http.get("/v1/sync/summary").status_code == 401
        assert again.http.get("/v1/sync/summary").status_code == 200
    finally:
        again.close()


def test_missing_unknown_and_malformed_tokens_get_401(server: CentralServer) -> None:
    with server.client() as http:
        for headers in ({}, {"Authorization": "Bearer nep-sleutel"}, {"Authorization": "Basic YTpi"},
                        {"Authorization": "Bearer"}, {"Authorization": "Bearer " + "x" * 5000}):
            for method, path in (("GET", "/v1/sync/pull"), ("GET", "/v1/sync/summary"),
                                 ("GET", "/v1/sync/rows/case")):
                answer = http.request(method, path, headers=headers)
                assert answer.status_code == 401, (headers, path, answer.text)
                assert "apparaat" in answer.json()["detail"]


def test_health_and_openapi(server: CentralServer) -> None:
    with server.client() as http:
        assert http.get("/v1/health").json() == {"status": "ok", "protocol": 1}
        spec = http.get("/openapi.json").json()
    for path in ("/v1/enroll", "/v1/sync/push", "/v1/sync/pull", "/v1/sync/summary", "/v1/sync/rows/{entity}",
                 "/v1/sync/fetch", "/v1/cases/{case_id}/assign", "/v1/health"):
        assert path in spec["paths"], path
    assert "PushRequest" in spec["components"]["schemas"]
