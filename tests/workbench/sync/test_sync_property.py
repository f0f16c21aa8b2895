"""Three devices, random offline edits, syncs and cut connections; after healing: one state, lost 0, duplicated 0."""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from tests.helpers.cutting_proxy import Cut, CuttingProxy
from tests.helpers.devices import Device, make_device, summary_digest_for
from tests.helpers.factories import make_case
from workbench.parties.models import Parent
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.sync.conflicts import KEEP_LOCAL, KEEP_SERVER, ConflictService
from workbench.sync.sanity import local_digest
from workbench.sync.transport import CentralUnreachable

pytestmark = [pytest.mark.sync, pytest.mark.slow]
FIELDS = ("city", "phone", "email")
VALUES = {"city": ("Haarlem", "Leiden", "Delft", "Zwolle"), "phone": ("06 11111111", "06 22222222", "06 33333333"),
          "email": ("a@example.org", "b@example.org", "c@example.org")}
_users = itertools.count()


class ThreeDevices(RuleBasedStateMachine):
    """The model: which values were typed where, and how many story entries were added."""

    central: Any = None
    proxy: CuttingProxy | None = None

    @initialize()
    def setup(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="sync-prop-"))
        user = f"handler{next(_users)}"
        self.central.add_user(user, role="handler", team="Team Prop", password="pw")
        self.devices = [make_device(self.tmp, name=f"d{i}", url=self.central.url, username=user, password="pw")
                        for i in range(3)]
        with self.devices[0].ws.unit_of_work() as uow:
            self.parent_id, self.case_id = make_case(uow, city="Zaandam", phone="06 12345678",
                                                     email="start@example.org")
        self.devices[0].sync()
        for device in self.devices[1:]:
            device.sync()
        self.typed: list[tuple[int, str, str]] = []  # (step, field, value), in the order they were typed
        # (field, value) someone saw on their device and typed over: a value equal to it was seen, not lost.
        self.replaced: set[tuple[str, str]] = set()
        self.stories = 0
        self.step = 0

    def teardown(self) -> None:
        for device in getattr(self, "devices", []):
            device.close()

    @rule(d=st.integers(0, 2), field=st.sampled_from(FIELDS), data=st.data())
    def edit(self, d: int, field: str, data: st.DataObject) -> None:
        value = data.draw(st.sampled_from(VALUES[field]))
        with self.devices[d].ws.unit_of_work() as uow:
            parent = uow.session.get(Parent, self.parent_id)
            assert parent is not None
            before = getattr(parent, field)
            setattr(parent, field, value)
        if before == value:
            return  # typing the value the device already shows is no change: nothing to keep
        self.step += 1
        self.typed.append((self.step, field, value))
        self.replaced.add((field, before))

    @rule(d=st.integers(0, 2))
    def add_story(self, d: int) -> None:
        with self.devices[d].ws.unit_of_work() as uow:
            StoryService().add(uow, self.case_id, kind="telefoon", text=f"Telefoongesprek {self.stories}.")
        self.stories += 1

    @rule(d=st.integers(0, 2))
    def sync(self, d: int) -> None:
        self.devices[d].sync()

    @rule(d=st.integers(0, 2), where=st.sampled_from(("request", "response")), at=st.integers(1, 4000))
    def sync_through_a_cut(self, d: int, where: str, at: int) -> None:
        assert self.proxy is not None
        cut = Cut(request_bytes=at) if where == "request" else Cut(response_bytes=at)
        self.proxy.plan[:] = [cut]
        # A cut connection raises CentralUnreachable: nothing may be lost, the next sync finishes the job.
        with contextlib.suppress(CentralUnreachable):
            self.devices[d].sync(url=self.proxy.url)
        self.proxy.plan.clear()

    @precondition(lambda self: any(dev.open_conflicts() for dev in self.devices))
    @rule(keep_local=st.booleans())
    def resolve_a_conflict(self, keep_local: bool) -> None:
        for device in self.devices:
            conflicts = device.open_conflicts()
            if conflicts:
                with device.ws.unit_of_work() as uow:
                    ConflictService().resolve(uow, conflicts[0].id, choice=KEEP_LOCAL if keep_local else KEEP_SERVER)
                if keep_local:
                    self.step += 1
                    self.typed.append((self.step, conflicts[0].field, conflicts[0].local_value))
                return

    @invariant()
    def story_entries_are_never_duplicated(self) -> None:
        for device in getattr(self, "devices", []):
            with device.ws.unit_of_work() as uow:
                count = uow.session.scalar(select(func.count()).select_from(StoryEntry)
                                           .where(StoryEntry.case_id == self.case_id))
            assert count is not None and count <= self.stories

    def heal_and_check(self) -> None:
        for _round in range(6):
            reports = [device.sync() for device in self.devices]
            if all(r.pushed == 0 and r.pulled == 0 for r in reports):
                break
        states = [device.state() for device in self.devices]
        assert states[0] == states[1] == states[2], "the devices differ after healing"
        assert local_digest_of(self.devices[0]) == summary_digest_for(self.devices[0]), \
            "a device differs from central after healing"
        with self.devices[0].ws.unit_of_work() as uow:
            count = uow.session.scalar(select(func.count()).select_from(StoryEntry)
                                       .where(StoryEntry.case_id == self.case_id))
            parent = uow.session.get(Parent, self.parent_id)
            assert parent is not None
            final = {f: getattr(parent, f) for f in FIELDS}
        assert count == self.stories, "a story entry was lost or duplicated"
        held = {(c.field, v) for dev in self.devices for c in _all_conflicts(dev)
                for v in (c.local_value, c.server_value)}
        for step, field, value in self.typed:
            superseded = any(s > step and f == field for s, f, _v in self.typed) or (field, value) in self.replaced
            assert value == final[field] or (field, value) in held or superseded, \
                f"the value typed for {field} at step {step} was lost"


def local_digest_of(device: Device) -> str:
    from workbench.sync.client import transport_for
    from workbench.sync.engine import SyncEngine

    transport = transport_for(device.ws)
    try:
        return local_digest(SyncEngine(device.ws.store, device.ws.actor, transport))[1]
    finally:
        transport.close()


def _all_conflicts(device: Device) -> list[Any]:
    from workbench.sync.models import Conflict

    with device.ws.unit_of_work() as uow:
        return list(uow.session.scalars(select(Conflict)))


def test_three_devices_converge_without_losing_or_duplicating(central: Any) -> None:
    proxy = CuttingProxy(central.port)

    class Machine(ThreeDevices):
        def teardown(self) -> None:
            try:
                if hasattr(self, "devices"):
                    self.heal_and_check()
            finally:
                super().teardown()

    Machine.central = central
    Machine.proxy = proxy
    try:
        run_state_machine_as_test(Machine, settings=settings(
            max_examples=12, stateful_step_count=20, deadline=None, derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]))
    finally:
        proxy.close()
