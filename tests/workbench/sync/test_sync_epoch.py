"""Central restored from a backup: a device that meets the new epoch gives back what central lacks, loses nothing."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.central.wire import new_story, open_case
from tests.helpers.central import CentralServer, DeviceSession
from tests.helpers.devices import Device, make_device
from tests.helpers.factories import make_case
from workbench.cases.models import Case
from workbench.cli.sync_commands import cmd_sync
from workbench.story.service import StoryService
from workbench.sync.epoch import explain
from workbench.sync.models import OutboxEntry

pytestmark = pytest.mark.sync


class Backup:
    """A copy of central's database taken while the server is stopped, and put back the same way."""

    def __init__(self, server: CentralServer) -> None:
        self.server = server
        self.folder = server.workdir / "backup"
        self.pg_copy: str | None = None
        self._admin = server._pg._admin if server._pg is not None else None

    def take(self) -> None:
        self.server.stop()
        pg = self.server._pg
        if pg is not None:
            self.pg_copy = f"{pg.name}_bk"
            self._pg(f'CREATE DATABASE "{self.pg_copy}" TEMPLATE "{pg.name}"')
        else:
            self.folder.mkdir()
            for path in self._sqlite_files():
                shutil.copy2(path, self.folder / path.name)
        self.server.start()

    def restore(self) -> None:
        self.server.stop()
        pg = self.server._pg
        if pg is not None:
            self._pg(f'DROP DATABASE "{pg.name}" WITH (FORCE)')
            self._pg(f'CREATE DATABASE "{pg.name}" TEMPLATE "{self.pg_copy}"')
        else:
            for path in self._sqlite_files():
                path.unlink()
            for path in self.folder.iterdir():
                shutil.copy2(path, self.server.workdir / path.name)
        self.server.start()

    def drop(self) -> None:
        if self.pg_copy is not None:
            self._pg(f'DROP DATABASE IF EXISTS "{self.pg_copy}" WITH (FORCE)')

    def _sqlite_files(self) -> list[Path]:
        return sorted(self.server.workdir.glob("central.db*"))

    def _pg(self, sql: str) -> None:
        import psycopg

        assert self._admin is not None
        with psycopg.connect(self._admin, autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CentralServer]:
    running = CentralServer(tmp_path / "central").start()
    backup = Backup(running)
    running.backup = backup  # type: ignore[attr-defined]
    try:
        yield running
    finally:
        running.close()
        backup.drop()


def _data(device: Device) -> dict[tuple[str, str], dict[str, Any]]:
    """Every row of the device without its revision: what a person would miss."""
    return {key: data for key, (_rev, data) in device.state(include_central_owned=False).items()}


def _work_after_the_backup(device: Device, case_id: str) -> str:
    """Changes that reach central after its backup was taken; returns the id of a new case."""
    with device.ws.unit_of_work() as uow:
        StoryService().add(uow, case_id, kind="telefoon", text="Na de back-up gebeld.")
        case = uow.session.get(Case, case_id)
        assert case is not None
        case.urgent_eviction = True
        _parent_id, new_case = make_case(uow, 7)
    return new_case


def _restore_scenario(server: CentralServer, tmp_path: Path, unique: Callable[[str], str], *, operator_says: bool,
                      final: Callable[[Device], Any] | None = None,
                      ) -> tuple[Device, str, dict[tuple[str, str], dict[str, Any]], Any]:
    user = unique("anna")
    server.add_user(user, role="handler", team=unique("Team Oost"), password="pw")
    anna = make_device(tmp_path, name="anna", url=server.url, username=user, password="pw")
    with anna.ws.unit_of_work() as uow:
        _parent_id, case_id = make_case(uow)
        StoryService().add(uow, case_id, kind="huisbezoek", text="Voor de back-up.")
    anna.sync()
    server.backup.take()  # type: ignore[attr-defined]
    new_case = _work_after_the_backup(anna, case_id)
    anna.sync()
    before = _data(anna)
    assert ("case", new_case) in before
    server.backup.restore()  # type: ignore[attr-defined]
    if operator_says:
        server.cli("new-epoch", "--reason", "back-up van maandag teruggezet")
    report = (final or Device.sync)(anna)
    return anna, user, before, report


@pytest.mark.parametrize("operator_says", [True, False], ids=["central-new-epoch", "device-ahead"])
def test_an_epoch_change_loses_nothing(server: CentralServer, tmp_path: Path, unique: Callable[[str], str],
                                       operator_says: bool) -> None:
    anna, user, before, report = _restore_scenario(server, tmp_path, unique, operator_says=operator_says)
    try:
        assert report.epoch_changed and report.central_behind
        assert report.repushed >= 3  # the new case, its parent, the story entry and the changed case field
        assert report.purged == []
        assert _data(anna) == before  # nothing local was lost or rolled back to central's older version
        with anna.ws.unit_of_work() as uow:
            assert uow.session.query(OutboxEntry).count() == 0
        assert report.in_step
        # Central has everything again: a second laptop of the same handler receives exactly the same rows.
        second = make_device(tmp_path, name="anna2", url=server.url, username=user, password="pw")
        try:
            assert _data(second) == before
        finally:
            second.close()
        epoch = json.loads(server.cli("epoch").stdout)
        assert epoch["reason"] == "back-up van maandag teruggezet" if operator_says else "teruggezet" in epoch["reason"]
        # A second sync finds nothing more to do.
        again = anna.sync()
        assert not again.epoch_changed and again.repushed == 0 and again.in_step
    finally:
        anna.close()


def test_the_cli_says_central_was_restored_and_what_was_sent_again(
        server: CentralServer, tmp_path: Path, unique: Callable[[str], str],
        capsys: pytest.CaptureFixture[str]) -> None:
    def by_cli(device: Device) -> int:
        capsys.readouterr()
        return cmd_sync(argparse.Namespace(json=False), device.ws)

    anna, _user, before, status = _restore_scenario(server, tmp_path, unique, operator_says=True, final=by_cli)
    try:
        out = capsys.readouterr().out
        assert status == 0
        assert "De centrale is teruggezet (nieuw tijdperk)." in out
        assert re.search(r"[3-9] gegevens zijn opnieuw naar de centrale gestuurd", out), out
        assert "Op dit apparaat is niets verloren gegaan." in out
        assert _data(anna) == before
        cmd_sync(argparse.Namespace(json=True), anna.ws)
        quiet = json.loads(capsys.readouterr().out)
        assert (quiet["centrale_miste_gegevens"], quiet["opnieuw_verstuurd"]) == (False, 0)
    finally:
        anna.close()


def test_central_holding_our_rows_older_is_noticed_without_a_new_epoch(
        server: CentralServer, tmp_path: Path, unique: Callable[[str], str]) -> None:
    """Restored, no new epoch, and others wrote so much since that this device is not ahead of central."""
    team = unique("Team Oost")
    user = unique("anna")
    server.add_user(user, role="handler", team=team, password="pw")
    server.add_user(unique("bram"), role="handler", team=team)
    anna = make_device(tmp_path, name="anna", url=server.url, username=user, password="pw")
    try:
        with anna.ws.unit_of_work() as uow:
            _parent_id, case_id = make_case(uow)
        anna.sync()
        server.backup.take()  # type: ignore[attr-defined]
        _work_after_the_backup(anna, case_id)
        anna.sync()
        before = _data(anna)
        server.backup.restore()  # type: ignore[attr-defined]
        bram = DeviceSession(server, unique("bram"))
        try:
            bram_case, _ = open_case(bram)
            bram.push_ok(*[new_story(bram_case, f"Notitie {n}.", bram.user_id) for n in range(30)])
        finally:
            bram.close()
        with anna.ws.unit_of_work() as uow:  # a change of her own, so the after-sync check runs
            StoryService().add(uow, case_id, kind="notitie", text="Na het terugzetten.")
        report = anna.sync()
        assert report.central_behind and not report.epoch_changed and report.repushed >= 3
        after = _data(anna)
        assert {key: value for key, value in after.items() if key in before} == before
        assert report.in_step
    finally:
        anna.close()


def test_a_case_whose_assignment_central_forgot_stays_on_the_device(
        server: CentralServer, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team Oost")
    anna_name, bram_name = unique("anna"), unique("bram")
    server.add_user(anna_name, role="handler", team=team, password="pw")
    server.add_user(bram_name, role="handler", team=team, password="pw")
    anna = make_device(tmp_path, name="anna", url=server.url, username=anna_name, password="pw")
    try:
        with anna.ws.unit_of_work() as uow:
            _parent_id, case_id = make_case(uow)
        anna.sync()
        server.assign(case_id, bram_name)
        assert anna.sync().purged == [case_id]
        server.backup.take()  # type: ignore[attr-defined]
        server.assign(case_id, anna_name, reason="terug na verlof")  # central will forget this one
        anna.sync()
        with anna.ws.unit_of_work() as uow:
            StoryService().add(uow, case_id, kind="telefoon", text="Weer mijn zaak.")
        anna.sync()
        before = _data(anna)
        server.backup.restore()  # type: ignore[attr-defined]
        server.cli("new-epoch", "--reason", "back-up teruggezet")
        report = anna.sync()
        assert report.epoch_changed and report.kept == [case_id] and report.purged == []
        assert _data(anna) == before
        assert "blijft op dit apparaat" in explain(report)
        later = anna.sync()  # the replay is over: nothing is kept or purged behind the user's back
        assert later.kept == [] and later.purged == []
        with anna.ws.unit_of_work() as uow:
            assert uow.session.get(Case, case_id) is not None
    finally:
        anna.close()


def test_a_team_lead_keeps_the_teams_rows_and_leaves_pushing_them_to_their_handler(
        server: CentralServer, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team Oost")
    anna_name, tom_name, bram_name = unique("anna"), unique("tom"), unique("bram")
    server.add_user(anna_name, role="handler", team=team, password="pw")
    server.add_user(tom_name, role="team_lead", team=team, password="pw")
    server.add_user(bram_name, role="handler", team=unique("Team West"))
    anna = make_device(tmp_path, name="anna", url=server.url, username=anna_name, password="pw")
    tom = make_device(tmp_path, name="tom", url=server.url, username=tom_name, password="pw")
    try:
        with anna.ws.unit_of_work() as uow:
            _parent_id, case_id = make_case(uow)
        anna.sync()
        tom.sync()
        server.backup.take()  # type: ignore[attr-defined]
        _work_after_the_backup(anna, case_id)
        anna.sync()
        tom.sync()
        before = _data(tom)
        server.backup.restore()  # type: ignore[attr-defined]
        bram = DeviceSession(server, bram_name)
        try:
            bram_case, _ = open_case(bram)
            bram.push_ok(*[new_story(bram_case, f"Notitie {n}.", bram.user_id) for n in range(30)])
        finally:
            bram.close()

        made = iter(range(10, 20))

        def own_change(device: Device) -> None:  # so the after-sync check runs
            with device.ws.unit_of_work() as uow:
                make_case(uow, next(made))

        own_change(tom)
        first = tom.sync()
        assert first.central_behind and first.repushed == 0  # anna's rows are hers to push, not his
        assert not tom.open_conflicts()
        own_change(tom)
        second = tom.sync()  # central is still behind on anna's rows: nothing more to do, no new pull from 0
        assert not second.central_behind and second.repushed == 0 and not second.in_step
        assert {k: v for k, v in _data(tom).items() if k in before} == before
        own_change(anna)
        assert anna.sync().central_behind
        tom.sync()
        own_change(tom)
        assert tom.sync().in_step
        assert {k: v for k, v in _data(tom).items() if k in before} == before
    finally:
        anna.close()
        tom.close()
