"""A central killed with SIGKILL comes back with every answered change, and replays still match."""

from __future__ import annotations

from tests.central.wire import new_case, new_id, new_parent, new_story
from tests.helpers.central import CentralServer, DeviceSession


def test_a_killed_server_restarts_with_everything_it_answered(central_server: CentralServer) -> None:
    central_server.add_user("kees", role="handler", team="Team Herstart")
    device = DeviceSession(central_server, "kees")
    try:
        case_id, parent_id = new_id(), new_id()
        batch = [new_parent(parent_id), new_case(case_id, parent_id, device.user_id),
                 new_story(case_id, "Vlak voor de storing.", device.user_id)]
        answered = device.push_ok(*batch)
        before = central_server.stats()
        central_server.kill()
        assert central_server.process is not None and central_server.process.returncode == -9
        central_server.restart()
        assert central_server.stats() == before
        assert device.push_ok(*batch) == answered  # the retry after a lost answer changes nothing
        changes, _, _ = device.pull_all()
        assert {case_id, parent_id, batch[2]["row_id"]} <= {c["row_id"] for c in changes}
        assert central_server.stats() == before
    finally:
        device.close()
