"""A team lead's profile: demo cases spread over five handlers of one team, and what central said of their devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers.factories import FixedClock
from tests.helpers.fakes import MemorySecrets
from tests.ui.conftest import PASS, RecordingNav, page_under_test
from workbench.demo.basics import BASE_DATE
from workbench.demo.generator import generate
from workbench.progress import CancelToken, NoProgress
from workbench.staff.models import Role, User
from workbench.sync.models import DeviceStatus
from workbench.vault import KdfParams
from workbench.workspace import Workspace

# Days since each handler's laptop last synced (None: never), in the order of their names.
SYNC_AGES = (0, 1, 5, None, 2)
# The lead looks at the team on the demo world's own today: its promises fall due in the weeks around that day,
# so on the real clock a year on, the reliability chart would have no week with a promise due in it.
NOW = dt.datetime.combine(BASE_DATE, dt.time(10, 0), tzinfo=dt.UTC)


@pytest.fixture
def lead_profile(tmp_path: Path, secrets: MemorySecrets) -> Path:
    """Tessa leads the team and holds cases herself; four handlers; every laptop at its own freshness."""
    folder = tmp_path / "lead"
    ws = Workspace.create(folder, PASS, secrets=secrets, kdf=KdfParams.cheap(), display_name="Tessa Teamleider")
    generate(ws.store, ws.actor, cases=80, seed=23, handlers=5, progress=NoProgress(), cancel=CancelToken())
    with ws.unit_of_work() as uow:
        me = uow.session.get(User, ws.actor.user_id)
        assert me is not None
        me.role = Role.TEAM_LEAD
        users = list(uow.session.scalars(select(User).order_by(User.display_name)))
        for n, user in enumerate(users):
            age = SYNC_AGES[n % len(SYNC_AGES)]
            last = None if age is None else NOW - dt.timedelta(days=age)
            uow.session.add(DeviceStatus(device_id=f"dev-{n}", user_id=user.id,
                                         device_name=f"Laptop {user.display_name.split()[0]}",
                                         last_sync_at=last, pending_changes=(n * 3) % 7,
                                         open_conflicts=1 if n == 2 else 0, reported_at=last))
    ws.close()
    return folder


@pytest.fixture
def lead_workspace(lead_profile: Path, secrets: MemorySecrets) -> Iterator[Workspace]:
    yield Workspace.open(lead_profile, PASS, secrets=secrets, clock=FixedClock(NOW))


@pytest.fixture
def team_page(qtbot: Any, lead_workspace: Workspace, lead_profile: Path, nav: RecordingNav) -> Iterator[Any]:
    from ui.sync.driver import SyncDriver
    from ui.team.team_page import TeamPage

    driver = SyncDriver()  # never attached: it only carries the page's network calls (reassigning)
    for page in page_under_test(qtbot, lead_workspace, lead_profile, nav, TeamPage, (1400, 860)):
        page.ctx.sync = driver
        yield page
    driver.shutdown()
