"""The replay that measures central's intake sends what devices sent, and counts an answer that differs."""

from __future__ import annotations

import os
from pathlib import Path

from bench.sync_replay import PUSHES, CentralCopy, Recording, recording_sync, replay, replay_on_copy
from tests.helpers.central import PG_ENV, CentralServer
from tests.helpers.devices import make_device
from tests.helpers.factories import make_case

PASSWORD = "replay-wachtwoord"


def test_a_recorded_sync_replays_on_the_copy_and_differs_on_the_original(tmp_path: Path) -> None:
    db_url = None if os.environ.get(PG_ENV) else f"sqlite:///{tmp_path / 'central.db'}"
    server = CentralServer(tmp_path / "central", db_url=db_url).start()
    copies: list[CentralCopy] = []
    try:
        devices = []
        for n in range(2):
            server.add_user(f"replay-{n}", role="handler", team="Team Replay", password=PASSWORD)
            device = make_device(tmp_path, name=f"replay-{n}", url=server.url, username=f"replay-{n}",
                                 password=PASSWORD)
            with device.ws.unit_of_work() as uow:
                make_case(uow, n)
            devices.append(device)
        server.stop()
        copies = [CentralCopy(server, tmp_path, f"replay-{n}") for n in range(2)]
        server.start()
        recording = Recording([[] for _ in devices])
        pushed = [recording_sync(d, server.url, recording.syncs[i])() for i, d in enumerate(devices)]
        for device in devices:
            device.close()

        assert recording.changes == sum(pushed) > 0
        assert [x.target in PUSHES for x in recording.syncs[0]].count(True) == 1
        assert all(x.status < 300 for sync in recording.syncs for x in sync)

        # Another central does not know these devices: every answer differs from the recorded one, and is counted.
        stranger = CentralServer(tmp_path / "stranger", db_url=None if db_url is None else
                                 f"sqlite:///{tmp_path / 'stranger.db'}").start()
        try:
            _wall, _each, differ = replay(stranger.url, recording)
        finally:
            stranger.close()
        assert len(differ) == recording.requests
        assert all(": 401, recorded 2" in line for line in differ)

        for copy in copies:  # each copy takes the recording in as the original did
            wall, each, errors, cpu = replay_on_copy(copy, tmp_path, recording, workers=1)
            assert errors == []
            assert wall > 0 and len(each) == 2 and cpu > 0
        assert len({copy.url for copy in copies}) == 2
    finally:
        server.close()
        for copy in copies:
            copy.drop()
