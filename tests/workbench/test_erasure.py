"""Erasing a profile: keyring entries and the profile's own files go, other files stay, nothing comes back."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers.factories import make_case
from tests.helpers.fakes import MemorySecrets
from workbench.audit.journal import anchor_of
from workbench.erasure import erase_workspace, profile_secret_names
from workbench.sync import client
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASS = "correct horse battery staple"


def _profile(tmp_path: Path) -> tuple[Workspace, MemorySecrets]:
    secrets = MemorySecrets()
    ws = Workspace.create(tmp_path / "p", PASS, secrets=secrets, kdf=KdfParams.cheap())
    with ws.unit_of_work() as uow:
        make_case(uow)
    ws.secrets.set(client.token_name(ws.descriptor.profile_id), "token")
    anchor_of(ws.store).flush()  # type: ignore[union-attr]
    return ws, secrets


def test_erasing_removes_every_keyring_entry_and_the_profile_files_but_nothing_else(tmp_path: Path) -> None:
    ws, secrets = _profile(tmp_path)
    other = secrets.entries["someone-else/data-key"] = "kept"
    (ws.folder / "notities.txt").write_text("niet van ons", encoding="utf-8")
    (ws.folder / "settings.json").write_text("{}", encoding="utf-8")
    pid = ws.descriptor.profile_id
    assert {f"{pid}/data-key", f"{pid}/audit-anchor", client.token_name(pid)} <= set(secrets.entries)
    result = erase_workspace(ws)
    assert result.complete and result.secrets_removed >= 3
    assert [name for name in secrets.entries if pid in name] == []
    assert secrets.entries["someone-else/data-key"] == other
    assert sorted(os.listdir(ws.folder)) == ["notities.txt"]
    # The data key went first: without it the store cannot be read even if deleting a file had failed.
    deletes = [name for op, name in secrets.calls if op == "delete"]
    assert deletes.index(f"{pid}/data-key") < deletes.index(f"{pid}/audit-anchor")


def test_a_commit_after_the_erasure_does_not_write_the_anchor_back(tmp_path: Path) -> None:
    ws, secrets = _profile(tmp_path)
    keeper = anchor_of(ws.store)
    assert keeper is not None
    erase_workspace(ws)
    keeper.note(10**6, "ab" * 32)  # a unit of work that was already running on another thread commits
    keeper.flush()
    assert keeper.name not in secrets.entries


def test_what_could_not_be_erased_is_named(tmp_path: Path) -> None:
    ws, secrets = _profile(tmp_path)
    pid = ws.descriptor.profile_id
    secrets.fail_next = "get"  # the keyring fails on the first entry only
    result = erase_workspace(ws)
    assert not result.complete
    assert result.left == [f"sleutelbos: {profile_secret_names(pid)[0]}"]
    assert not (ws.folder / "store.db").exists()


def test_a_demo_profile_loses_its_keyring_file_too(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "demo", PASS, demo=True, kdf=KdfParams.cheap())
    assert (ws.folder / "demo-keyring.json").exists()
    assert erase_workspace(ws).complete
    assert not ws.folder.exists()
