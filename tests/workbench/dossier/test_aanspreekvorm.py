"""The parent's aanspreekvorm travels with the dossier (export, import elsewhere); a wrong one is refused."""

from __future__ import annotations

import pytest

from tests.helpers.factories import make_case
from workbench.dossier.export import export_case
from workbench.dossier.importer import import_dossier
from workbench.errors import UserError
from workbench.parties.service import ParentService
from workbench.progress import CancelToken, NoProgress
from workbench.store.unit_of_work import Actor, Store


def test_the_aanspreekvorm_is_exported_and_imported(store: Store, actor: Actor, other_store: Store,
                                                     other_actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow, aanspreekvorm="meneer")
        data = export_case(uow, case_id)
    assert data["parent"]["aanspreekvorm"] == "meneer"
    bad = {**data, "parent": {**data["parent"], "aanspreekvorm": "juffrouw"}}
    with pytest.raises(UserError) as err, other_store.unit_of_work(other_actor) as uow:
        import_dossier(uow, bad, progress=NoProgress(), cancel=CancelToken())
    assert err.value.field == "parent.aanspreekvorm" and "Aanspreekvorm is onbekend" in err.value.text()
    with other_store.unit_of_work(other_actor) as uow:
        import_dossier(uow, data, progress=NoProgress(), cancel=CancelToken())
        assert ParentService().get(uow, parent_id).aanspreekvorm == "meneer"
