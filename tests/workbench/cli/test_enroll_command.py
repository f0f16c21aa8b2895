"""`workbench enroll` on a profile that already holds cases: it enrolls, pushes them and says what was renumbered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.central import CentralServer
from tests.workbench.cli.conftest import Cli

pytestmark = pytest.mark.sync


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralServer]:
    server = CentralServer(tmp_path / "central").start()
    try:
        yield server
    finally:
        server.close()


def test_a_demo_profile_with_cases_enrolls_and_syncs_them_all(demo: Cli, central: CentralServer) -> None:
    central.add_user("joris", role="handler", team="Team Noord", password="pw-joris")
    before = demo("search", "UHT")
    assert before.returncode == 0, before.stderr
    numbers = before.stdout.split()
    assert len(numbers) == 40
    enrolled = demo("enroll", "--server", central.url, "--user", "joris", WORKBENCH_CENTRAL_PASSWORD="pw-joris")
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Apparaat gekoppeld" in enrolled.stdout and "gegevens verstuurd" in enrolled.stdout
    again = demo("enroll", "--server", central.url, "--user", "joris", WORKBENCH_CENTRAL_PASSWORD="pw-joris")
    assert again.returncode == 0, again.stderr  # running it again is harmless: still one device
    synced = demo("sync", "--json")
    assert synced.returncode == 0, synced.stderr
    summary = json.loads(synced.stdout)
    assert summary["geweigerd"] == 0 and summary["verstuurd"] == 0 and summary["gelijk_met_centrale"] is True
    stats = central.stats()
    assert stats["cases"] == 40 and stats["devices"] == 1
    for number in numbers:  # every case is still found by the number it had, renumbered or not
        found = demo("search", number)
        assert found.returncode == 0 and found.stdout.strip(), number
