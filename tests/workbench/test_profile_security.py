"""What a stolen laptop shows: no name, BSN or story phrase in any profile file; a wrong passphrase writes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers.fakes import MemorySecrets
from workbench.errors import WrongPassphrase
from workbench.parties.models import Parent
from workbench.progress import CancelToken, NoProgress
from workbench.story.models import StoryEntry
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASS = "lang genoeg wachtwoord"


def _needles(ws: Workspace) -> list[str]:
    """Distinctive plaintext that must never reach the disk: names, BSNs and story phrases."""
    with ws.unit_of_work() as uow:
        parents = uow.session.execute(select(Parent.achternaam, Parent.voornamen, Parent.bsn).limit(30)).all()
        texts = uow.session.scalars(select(StoryEntry.text).limit(30)).all()
    needles: set[str] = set()
    for achternaam, voornamen, bsn in parents:
        needles.add(bsn)
        if len(achternaam) >= 6:
            needles.add(achternaam)
        if voornamen and len(voornamen) >= 6:
            needles.add(voornamen)
    for text in texts:
        words = text.split()
        if len(words) >= 4:
            needles.add(" ".join(words[:4]))
    return sorted(needles)


def _profile_files(folder: Path, tmpdir: Path) -> list[Path]:
    return [p for base in (folder, tmpdir) for p in base.rglob("*") if p.is_file()]


def test_no_plaintext_in_any_file_of_the_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.demo.generator import generate

    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))  # SQLite would put any temp file here
    folder = tmp_path / "profile"
    ws = Workspace.create(folder, PASS, demo=True, kdf=KdfParams.cheap())
    generate(ws.store, ws.actor, cases=120, seed=3, progress=NoProgress(), cancel=CancelToken())
    needles = _needles(ws)
    assert len(needles) > 50
    # Look while the store is open (WAL and shared memory present) and again after it is closed.
    for phase in ("open", "closed"):
        files = _profile_files(folder, tmpdir)
        if phase == "open":
            assert any(p.name.endswith("-wal") for p in files)
        for path in files:
            data = path.read_bytes()
            for needle in needles:
                for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                    assert needle.encode(encoding) not in data, f"{needle!r} in {path.name} ({encoding})"
        if phase == "open":
            ws.close()


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("demo", [False, True])
def test_wrong_passphrase_leaves_every_file_byte_identical(tmp_path: Path, demo: bool) -> None:
    folder = tmp_path / "profile"
    secrets = None if demo else MemorySecrets()
    ws = Workspace.create(folder, PASS, demo=demo, secrets=secrets, kdf=KdfParams.cheap())
    ws.close()
    before = _digest(folder)
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Workspace.open(folder, "niet het wachtwoord", secrets=secrets)
    assert _digest(folder) == before
    Workspace.open(folder, PASS, secrets=secrets).close()
