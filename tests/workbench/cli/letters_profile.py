"""A small profile for the `workbench letters` tests: a few parents and cases, a colleague, and `main` in-process."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workbench.cli.main import main
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import Actor, UnitOfWork
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASS = "brieven wachtwoord"


def synthetic_bsn(n: int) -> str:
    """A synthetic BSN from the 999 range that passes the 11-proef."""
    for tail in range(n * 50, n * 50 + 50):
        digits = f"9998{tail:05d}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
        if total % 11 == 0:
            return digits
    raise AssertionError("no BSN found")


@dataclasses.dataclass
class Profile:
    """The profile folder, its cases (reference per name) and the colleague who can write letters too."""

    folder: Path
    cases: dict[str, str]
    colleague: str

    def run(self, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        """`workbench --profile FOLDER argv...` in this process: (exit code, stdout, stderr)."""
        capsys.readouterr()
        code = main(["--profile", str(self.folder), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    def as_user(self, user_id: str, work: Callable[[Workspace, UnitOfWork], Any]) -> Any:
        ws = Workspace.open(self.folder, PASS, kdf=KdfParams.cheap())
        try:
            with ws.store.unit_of_work(Actor(user_id, ws.actor.device_id)) as uow:
                return work(ws, uow)
        finally:
            ws.close()

    def as_colleague(self, work: Callable[[Workspace, UnitOfWork], Any]) -> Any:
        return self.as_user(self.colleague, work)

    def set_my_role(self, role: Role) -> None:
        def change(ws: Workspace, uow: UnitOfWork) -> None:
            me = uow.session.get(User, ws.actor.user_id)
            assert me is not None
            me.role = role
        self.as_user(self._me(), change)

    def _me(self) -> str:
        ws = Workspace.open(self.folder, PASS, kdf=KdfParams.cheap())
        try:
            return ws.actor.user_id
        finally:
            ws.close()


PARENTS = {
    # name: (voornamen, voorletters, tussenvoegsel, achternaam, aanspreekvorm, phase)
    "amira": ("Amira", "A.", "van", "Nus", "mevrouw", "eerste_toets"),
    "piet": ("Piet", "P.", "", "Jansen", "meneer", "eerste_toets"),
    "noor": ("Noor", "N.", "de", "Vries", "neutraal", "eerste_toets"),
    "kees": ("Kees", "K.", "", "Bakker", "meneer", "aangemeld"),
}


def make_profile(folder: Path, *, extra_cases: int = 0) -> Profile:
    """The parents above (and `extra_cases` more in eerste_toets), each with one case; a colleague handler."""
    ws = Workspace.create(folder, PASS, demo=True, kdf=KdfParams.cheap(), display_name="Sanne Pzb")
    cases: dict[str, str] = {}
    try:
        with ws.unit_of_work() as uow:
            people = dict(PARENTS)
            for i in range(extra_cases):
                people[f"extra{i}"] = ("Lotte", "L.", "", f"Ouder{chr(65 + i % 26)}", "mevrouw", "eerste_toets")
            for n, (name, (voornamen, voorletters, tv, achternaam, form, phase)) in enumerate(people.items()):
                parent = ws.parents.register(uow, bsn=synthetic_bsn(n), voornamen=voornamen, voorletters=voorletters,
                                             tussenvoegsel=tv, achternaam=achternaam, street="Lindelaan",
                                             house_number=str(n + 1), postcode="1234 AB", city="Zaandam")
                ws.parents.update(uow, parent.id, aanspreekvorm=form)
                case = ws.cases.open_case(uow, parent_id=parent.id)
                if phase != "aangemeld":
                    ws.cases.change_phase(uow, case.id, to_phase=phase)
                cases[name] = case.reference
            me = uow.session.get(User, ws.actor.user_id)
            assert me is not None
            colleague = User(id=str(uuid.uuid4()), username="collega", display_name="Chris Collega",
                             role=Role.HANDLER, team_id=me.team_id)
            uow.session.add(colleague)
    finally:
        ws.close()
    return Profile(folder, cases, colleague.id)
