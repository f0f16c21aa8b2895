"""Approving and issuing ask for the passphrase again; a wrong one changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from tests.helpers.factories import make_case, seed_local_user
from tests.helpers.fakes import MemorySecrets
from workbench.errors import WrongPassphrase
from workbench.staff.models import Role, User
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASS = "lang genoeg wachtwoord"


def test_approve_and_issue_need_the_passphrase_again(tmp_path: Path) -> None:
    from tests.workbench.letters.samples import beschikking_values, facts

    ws = Workspace.create(tmp_path / "p", PASS, secrets=MemorySecrets(), kdf=KdfParams.cheap())
    try:
        author = seed_local_user(ws.store, username="auteur")
        with ws.store.unit_of_work(author) as uow:
            _parent, case_id = make_case(uow)
            letter = ws.letters.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                             values=beschikking_values(), facts=facts())
            ws.letters.submit(uow, letter.id)
        with ws.unit_of_work() as uow:  # this device's user is the reviewer
            uow.session.execute(update(User).where(User.id == ws.actor.user_id).values(role=Role.REVIEWER))

        with pytest.raises(WrongPassphrase):
            ws.run(lambda uow: ws.approve_letter(uow, "niet het wachtwoord", letter.id))[0]
        with ws.unit_of_work() as uow:
            assert ws.letters.get(uow, letter.id).status == "in_review"
        assert ws.run(lambda uow: ws.approve_letter(uow, PASS, letter.id))[0].status == "approved"

        with pytest.raises(WrongPassphrase):
            ws.run(lambda uow: ws.issue_letter(uow, "niet het wachtwoord", letter.id))[0]
        with ws.unit_of_work() as uow:
            assert ws.letters.get(uow, letter.id).status == "approved"
        issued = ws.run(lambda uow: ws.issue_letter(uow, PASS, letter.id))[0]
        assert issued.status == "issued"
    finally:
        ws.close()
