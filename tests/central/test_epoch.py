"""Central's epoch: made with the database, sent with every pull, changed by `central new-epoch` or a device ahead."""

from __future__ import annotations

import json

from tests.central.wire import new_story, open_case
from tests.helpers.central import CentralServer, Crew


def _epoch(server: CentralServer) -> dict[str, str]:
    return dict(json.loads(server.cli("epoch").stdout))


def test_every_pull_carries_the_epoch_and_new_epoch_changes_it(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    first = _epoch(server)
    assert first["reason"] == "nieuwe database" and len(first["epoch"]) == 36
    assert anna.pull()["epoch"] == first["epoch"]
    done = server.cli("new-epoch", "--reason", "back-up van maandag teruggezet")
    changed = json.loads(done.stdout)
    assert changed["epoch"] != first["epoch"] and changed["reason"] == "back-up van maandag teruggezet"
    assert anna.pull()["epoch"] == changed["epoch"] == _epoch(server)["epoch"]
    refused = server.cli("new-epoch", "--reason", "  ", check=False)
    assert refused.returncode == 1 and "reden (--reason)" in refused.stderr and "Traceback" not in refused.stderr
    assert _epoch(server)["epoch"] == changed["epoch"]


def test_a_device_of_the_current_epoch_ahead_of_central_begins_one_new_epoch(server: CentralServer,
                                                                            crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    case_id, _ = open_case(anna)
    anna.push_ok(new_story(case_id, "Iets.", anna.user_id))
    _, _, head = anna.pull_all()
    known = anna.pull()["epoch"]
    # A device that never heard of an epoch, or knows an older one, begins nothing: it will compare anyway.
    assert anna.http.get("/v1/sync/pull", params={"cursor": head + 50}).json()["epoch"] == known
    assert _epoch(server)["epoch"] == known
    ahead = anna.http.get("/v1/sync/pull", params={"cursor": head + 50, "epoch": known}).json()
    assert ahead["epoch"] != known and ahead["changes"] == []
    reason = _epoch(server)["reason"]
    assert "teruggezet" in reason and str(head + 50) in reason
    # A second device ahead that still knows the old epoch does not begin yet another one.
    again = bram.http.get("/v1/sync/pull", params={"cursor": head + 70, "epoch": known}).json()
    assert again["epoch"] == ahead["epoch"] == _epoch(server)["epoch"]
    # A device in step is not ahead, whatever it knows.
    assert anna.http.get("/v1/sync/pull", params={"cursor": head, "epoch": ahead["epoch"]}).json()["epoch"] == \
        ahead["epoch"]


def test_a_malformed_epoch_is_refused_with_a_reason(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    answer = anna.http.get("/v1/sync/pull", params={"cursor": 0, "epoch": "geen-uuid"})
    assert answer.status_code == 422 and "epoch" in answer.json()["detail"]
