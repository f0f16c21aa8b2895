"""Revocation against a real central: the device erases its store, key and keyring entries and says why."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.central import TEST_PASSWORD, CentralServer
from tests.helpers.devices import PASS, Device, make_device
from tests.helpers.factories import make_case
from tests.helpers.fakes import MemorySecrets
from workbench.cli.main import main as cli_main
from workbench.errors import UserError
from workbench.sync import client, revocation
from workbench.sync.revocation import DeviceErased
from workbench.sync.transport import CentralRefused
from workbench.vault import KdfParams
from workbench.workspace import Workspace

pytestmark = pytest.mark.sync


def _enrolled(central: CentralServer, unique: Callable[[str], str], tmp_path: Path, name: str = "laptop") -> Device:
    user = unique("sanne")
    central.add_user(user, role="handler", team=unique("Team"))
    return make_device(tmp_path, name=name, url=central.url, username=user, password=TEST_PASSWORD)


def _left_behind(folder: Path, secrets: dict[str, str], profile_id: str) -> list[str]:
    files = sorted(os.listdir(folder)) if folder.exists() else []
    return files + [name for name in secrets if profile_id in name]


def test_a_revoked_device_erases_its_store_key_and_keyring_entries_at_next_contact(
        central: CentralServer, unique: Callable[[str], str], tmp_path: Path) -> None:
    device = _enrolled(central, unique, tmp_path)
    ws, folder, profile_id = device.ws, device.ws.folder, device.ws.descriptor.profile_id
    with ws.unit_of_work() as uow:
        make_case(uow)
    device.sync()
    assert {"store.db", "profile.json"} <= set(os.listdir(folder))
    assert {f"{profile_id}/data-key", f"{profile_id}/audit-anchor", client.token_name(profile_id)} <= set(
        device.secrets.entries)
    central.cli("revoke-device", ws.descriptor.device_id, "--reason", "laptop gestolen uit de auto")
    with pytest.raises(DeviceErased) as caught:
        device.sync()
    message = caught.value.text()
    assert "ingetrokken" in message and "laptop gestolen uit de auto" in message and "gewist" in message
    assert caught.value.complete
    assert _left_behind(folder, device.secrets.entries, profile_id) == []
    # Nothing opens it again, and nothing recreates an empty store behind the handler's back.
    with pytest.raises(UserError):
        ws.run(lambda uow: None)
    ws.close()
    assert not folder.exists()
    with pytest.raises(UserError):
        Workspace.open(folder, PASS, secrets=device.secrets)


def test_a_disabled_users_device_erases_itself_too(
        central: CentralServer, unique: Callable[[str], str], tmp_path: Path) -> None:
    device = _enrolled(central, unique, tmp_path)
    folder, profile_id = device.ws.folder, device.ws.descriptor.profile_id
    lines = [json.loads(line) for line in central.cli("devices", "--json").stdout.splitlines()]
    name = next(line["user"] for line in lines if line["device_id"] == device.ws.descriptor.device_id)
    central.cli("disable-user", name, "--reason", "uit dienst")
    with pytest.raises(DeviceErased, match="uit dienst"):
        device.sync()
    assert _left_behind(folder, device.secrets.entries, profile_id) == []


def test_the_cli_says_why_and_exits_non_zero(central: CentralServer, unique: Callable[[str], str], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    user = unique("bram")
    central.add_user(user, role="handler", team=unique("Team"))
    folder = tmp_path / "demo"
    ws = Workspace.create(folder, PASS, demo=True, kdf=KdfParams.cheap())  # keyring: a file in the profile
    client.enroll(ws, server_url=central.url, username=user, password=TEST_PASSWORD, device_name="cli")
    device_id = ws.descriptor.device_id
    ws.close()
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASS)
    assert cli_main(["--profile", str(folder), "sync"]) == 0
    central.cli("revoke-device", device_id, "--reason", "kwijtgeraakt in de trein")
    capsys.readouterr()
    assert cli_main(["--profile", str(folder), "sync"]) == 1
    err = capsys.readouterr().err
    assert "ingetrokken" in err and "kwijtgeraakt in de trein" in err and "gewist" in err
    assert not folder.exists()


def test_the_token_rotates_at_sync_and_the_old_one_stops_working(
        central: CentralServer, unique: Callable[[str], str], tmp_path: Path) -> None:
    device = _enrolled(central, unique, tmp_path)
    name = client.token_name(device.ws.descriptor.profile_id)
    first = device.secrets.entries[name]
    device.sync()
    assert device.secrets.entries[name] == first  # not due yet: no rotation at every sync
    transport = client.transport_for(device.ws)
    try:
        later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
        assert revocation.renew_token(device.ws, transport, now=later) is True
    finally:
        transport.close()
    second = device.secrets.entries[name]
    assert second != first
    device.sync()  # uses the new token, which ends the old one
    old = client.Transport(central.url, token=first)
    try:
        with pytest.raises(CentralRefused) as caught:
            old.summary()
        assert caught.value.status == 401
    finally:
        old.close()
    device.close()


def test_enrollment_token_is_rotated_by_the_first_sync(
        central: CentralServer, unique: Callable[[str], str], tmp_path: Path) -> None:
    user = unique("kim")
    central.add_user(user, role="handler", team=unique("Team"))
    secrets = MemorySecrets()
    ws = Workspace.create(tmp_path / "p", PASS, secrets=secrets, kdf=KdfParams.cheap())
    client.enroll(ws, server_url=central.url, username=user, password=TEST_PASSWORD)
    name = client.token_name(ws.descriptor.profile_id)
    enrolled_with = secrets.entries[name]
    client.sync(ws)
    assert secrets.entries[name] != enrolled_with
    ws.close()
